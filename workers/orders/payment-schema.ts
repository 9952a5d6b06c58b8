/**
 * What orders' answers carry of their payment: a checkout's `payment` (the `Payment` schema, which payments also
 * answers on its own routes) and an order's `refunds`. Orders owns these shapes because its answers embed them, as it
 * owns `ReturnSummary`; payments fills them in through orders' `PaymentFactsPort` (wired by the composition root).
 */
import { z } from '@hono/zod-openapi';

import { PAYMENT_CONFIRMATIONS, PAYMENT_METHODS, PAYMENT_STATUSES } from '@contract/payments';

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
export type PaymentResponse = z.infer<typeof paymentSchema>;

/** What an order shows of the money it got back (the order response's `refunds`), oldest first. */
export const orderRefundSchema = z
  .object({
    amount: z.number(),
    currency: z.string(),
    /** `cancellation`: the order was cancelled after it was paid; `return`: returned items were paid back. */
    reason: z.enum(['cancellation', 'return']),
    refundedAt: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('OrderRefund');
export type OrderRefund = z.infer<typeof orderRefundSchema>;
