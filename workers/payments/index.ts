/** The payments domain's front door: what other domains may use (functions, types and schemas, never tables). */

export { TransientGatewayError } from './gateway';
export { paymentEventSchema } from './messages';
export type { PaymentCompleted, PaymentFailed } from './messages';
export { orderRefundSchema, orderRefunds } from './order-refunds';
export { paymentSchema } from './schema';
export { refundOrderPart, toPaymentResponse } from './service';
export type { PaidOrderPort, PaymentDeps } from './service';
