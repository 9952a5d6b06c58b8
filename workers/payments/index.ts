/** The payments domain's front door: what other domains may use (functions, types and schemas, never tables). */

export { TransientGatewayError } from './gateway';
export { paymentFacts } from './order-facts';
export { toPaymentResponse } from './records';
export { refundOrderPart } from './refunds';
export type { PaidOrderPort, PaymentDeps } from './service';
