import { z } from 'zod';

import { ORDER_STATUSES } from '@/orders/tables';

/** Messages on the `order-events` queue, produced through the outbox, consumed by payments. */

const envelopeFields = {
  version: z.literal(1),
  /** Copied from the `X-Correlation-ID` of the request that started the saga. */
  correlationId: z.string().min(1).max(128),
  eventId: z.string().min(1).max(64),
  orderId: z.guid(),
  occurredAt: z.string(),
};

/** The largest amount a saga message carries; checkout refuses larger totals up front (422). */
export const MAX_MESSAGE_AMOUNT = 100_000_000;

const money = z.number().nonnegative().max(MAX_MESSAGE_AMOUNT);

const orderCreatedSchema = z.object({
  type: z.literal('order.created'),
  ...envelopeFields,
  userId: z.guid(),
  totalAmount: money,
  currency: z.string().length(3),
  items: z.array(z.object({ productId: z.number().int().positive(), quantity: z.number().int().positive(), unitPrice: money })).min(1),
  /** One payment per order: the payment's idempotency key is the order id. */
  idempotencyKey: z.string().min(1).max(255),
  /** `client`: the buyer confirms the payment on the provider's form; absent: charged off-session (old clients). */
  paymentConfirmation: z.enum(['off_session', 'client']).optional(),
});

const orderCancelledSchema = z.object({
  type: z.literal('order.cancelled'),
  ...envelopeFields,
  /** The status the order left; `CANCELLED` when a payment completed after the order was already cancelled. */
  previousStatus: z.enum(ORDER_STATUSES),
  reason: z.string().max(255),
});

/**
 * One payment for a whole checkout (docs/decisions/marketplace.md): the payments side charges `totalAmount` once
 * (idempotency key = checkout id) and publishes one `payment.completed`/`payment.failed` per order of the checkout.
 */
const checkoutCreatedSchema = z.object({
  type: z.literal('checkout.created'),
  version: z.literal(1),
  correlationId: envelopeFields.correlationId,
  eventId: envelopeFields.eventId,
  checkoutId: z.guid(),
  occurredAt: z.string(),
  userId: z.guid(),
  totalAmount: money,
  currency: z.string().length(3),
  /** The seller orders the payment pays for; their totals add up to `totalAmount`. */
  orders: z.array(z.object({ orderId: z.guid(), totalAmount: money })).min(1).max(50),
  idempotencyKey: z.string().min(1).max(255),
  /** As on `order.created`: `client` → one provider intent for the checkout's total, confirmed by the buyer. */
  paymentConfirmation: z.enum(['off_session', 'client']).optional(),
});

export const orderEventSchema = z.discriminatedUnion('type', [orderCreatedSchema, orderCancelledSchema, checkoutCreatedSchema]);

/** The aggregate a saga message is about (the consumers keep one aggregate's messages in order). */
export const aggregateIdOf = (event: OrderEvent): string => (event.type === 'checkout.created' ? event.checkoutId : event.orderId);

export type CheckoutCreated = z.infer<typeof checkoutCreatedSchema>;
export type OrderCreated = z.infer<typeof orderCreatedSchema>;
export type OrderCancelled = z.infer<typeof orderCancelledSchema>;
export type OrderEvent = z.infer<typeof orderEventSchema>;

/**
 * Messages on the `payment-events` queue, produced by the payment consumer, consumed by orders (the orders side of the
 * saga). Orders owns this contract, as it owns `order-events`: payments, above orders, imports both.
 */

const paymentEnvelopeFields = { ...envelopeFields, paymentId: z.guid() };

const paymentCompletedSchema = z.object({
  type: z.literal('payment.completed'),
  ...paymentEnvelopeFields,
  amount: z.number().positive(),
});

const paymentFailedSchema = z.object({
  type: z.literal('payment.failed'),
  ...paymentEnvelopeFields,
  reason: z.string().max(255),
});

export const paymentEventSchema = z.discriminatedUnion('type', [paymentCompletedSchema, paymentFailedSchema]);

export type PaymentCompleted = z.infer<typeof paymentCompletedSchema>;
export type PaymentFailed = z.infer<typeof paymentFailedSchema>;
export type PaymentEvent = z.infer<typeof paymentEventSchema>;
