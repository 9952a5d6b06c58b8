import { z } from 'zod';

/** Messages on the `payment-events` queue, produced by the payment consumer, consumed by orders. */

const envelopeFields = {
  version: z.literal(1),
  correlationId: z.string().min(1).max(128),
  eventId: z.string().min(1).max(64),
  orderId: z.guid(),
  paymentId: z.guid(),
  occurredAt: z.string(),
};

const paymentCompletedSchema = z.object({
  type: z.literal('payment.completed'),
  ...envelopeFields,
  amount: z.number().positive(),
});

const paymentFailedSchema = z.object({
  type: z.literal('payment.failed'),
  ...envelopeFields,
  reason: z.string().max(255),
});

export const paymentEventSchema = z.discriminatedUnion('type', [paymentCompletedSchema, paymentFailedSchema]);

export type PaymentCompleted = z.infer<typeof paymentCompletedSchema>;
export type PaymentFailed = z.infer<typeof paymentFailedSchema>;
export type PaymentEvent = z.infer<typeof paymentEventSchema>;
