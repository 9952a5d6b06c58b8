import { z } from '@hono/zod-openapi';

import { paymentSchema } from '@/orders';
import { pageQuerySchema } from '@/platform/pagination';

/** The payment's answer: a checkout embeds it, so orders owns the schema (workers/orders/payment-schema.ts). */
export { paymentSchema };

export const createPaymentSchema = z
  .object({
    orderId: z.guid(),
    amount: z.number().positive().max(1_000_000).multipleOf(0.01),
    currency: z.string().length(3).regex(/^[A-Za-z]{3}$/),
    idempotencyKey: z.string().min(1).max(255).regex(/^[\x20-\x7E]+$/),
  })
  .strict()
  .openapi('CreatePayment');

export const paymentListQuerySchema = pageQuerySchema({ sortFields: ['createdAt'], defaultSort: { field: 'createdAt', direction: 'DESC' } });
export const paymentIdParamsSchema = z.object({ id: z.guid().openapi({ param: { name: 'id', in: 'path' } }) });
export const paymentOrderParamsSchema = z.object({ orderId: z.guid().openapi({ param: { name: 'orderId', in: 'path' } }) });

/** A card saved at the provider: only what the provider shows of it. */
export const savedPaymentMethodSchema = z
  .object({
    id: z.string(),
    brand: z.string(),
    last4: z.string(),
    expMonth: z.number().int(),
    expYear: z.number().int(),
    /** The card off-session orders (no interactive confirmation) are charged against. */
    isDefault: z.boolean(),
    createdAt: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('SavedPaymentMethod');

export const cardSetupSchema = z
  .object({
    setupIntentId: z.string(),
    /** `redirect`: open `url` (the simulated provider's setup page); `use_provider_js`: confirm `clientSecret` with the provider's script. */
    nextAction: z.object({ type: z.enum(['redirect', 'use_provider_js']), url: z.string().nullable(), clientSecret: z.string() }).openapi('CardSetupNextAction'),
  })
  .openapi('CardSetup');

export const paymentProviderSchema = z
  .object({
    provider: z.enum(['simulated', 'stripe']),
    /** The real provider's publishable key (public by design) for its browser script; null with the simulated one. */
    publishableKey: z.string().nullable(),
  })
  .openapi('PaymentProvider');

export const paymentMethodIdParamsSchema = z.object({ id: z.guid().openapi({ param: { name: 'id', in: 'path' } }) });
