import { z } from '@hono/zod-openapi';

import { PAYMENT_CONFIRMATIONS, PAYMENT_METHODS, PAYMENT_STATUSES } from '@/payments/tables';
import { pageQuerySchema } from '@/platform/pagination';

export const paymentSchema = z
  .object({
    id: z.string(),
    /** The order paid; null for a checkout's payment (which pays every order of `checkoutId`). */
    orderId: z.string().nullable(),
    checkoutId: z.string().nullable(),
    userId: z.string(),
    amount: z.number(),
    /** Σ of refunds made so far (a checkout's payment is refunded order by order). */
    refundedAmount: z.number(),
    currency: z.string(),
    status: z.enum(PAYMENT_STATUSES),
    method: z.enum(PAYMENT_METHODS),
    gatewayReference: z.string().nullable(),
    /** Why the last attempt failed; on a PENDING client-confirmed payment, the buyer's last declined card. */
    failureReason: z.string().nullable(),
    /** `off_session`: charged by the shop (saved card); `client`: the buyer confirms it on the provider's form. */
    confirmation: z.enum(PAYMENT_CONFIRMATIONS),
    /**
     * Only for the payment's buyer, while a client-confirmed payment waits for them: `redirect` → open `url` (the
     * provider's payment page); `use_provider_js` → confirm `clientSecret` with the provider's script.
     */
    nextAction: z
      .object({ type: z.enum(['redirect', 'use_provider_js']), url: z.string().nullable(), clientSecret: z.string() })
      .nullable()
      .openapi('PaymentNextAction'),
    createdAt: z.string().openapi({ format: 'date-time' }),
    updatedAt: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('Payment');

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
