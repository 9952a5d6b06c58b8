/** The orders domain's front door: what other domains may use (functions, types and schemas, never tables). */

export { aggregateIdOf, orderEventSchema } from './messages';
export type { CheckoutCreated, OrderCancelled, OrderCreated, PaymentCompleted, PaymentEvent } from './messages';
export { MAX_LINE_QUANTITY, MAX_ORDER_LINES, idempotencyHeaderSchema, orderIdParamsSchema, orderSchema, returnSummarySchema } from './schema';
export type { ReturnSummary } from './schema';
export { orderRefundSchema, paymentSchema } from './payment-schema';
export type { OrderRefund, PaymentResponse } from './payment-schema';
export { toOrderResponse } from './model';
export type { Caller, CheckoutSettlement, PaymentFactsPort, ReturnSummariesPort, StockLine } from './model';
export { findCheckoutOrdersForPayment, findOrderForPayment, orderSummaryColumns } from './reading';
