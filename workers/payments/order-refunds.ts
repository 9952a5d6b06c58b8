import { z } from '@hono/zod-openapi';
import { and, asc, eq } from 'drizzle-orm';

import { centsToAmount } from '@contract/money';
import type { Queryable } from '@/platform/db';
import { paymentRefunds, payments } from '@/payments/tables';

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

/**
 * The completed refunds of one order. A checkout's payment and every return pay back through `payment_refunds`
 * rows; a single order's cancellation refunds its own payment whole (the payment becomes REFUNDED), which counts
 * as one more refund for what the rows do not already cover.
 */
export async function orderRefunds(q: Queryable, orderId: string): Promise<OrderRefund[]> {
  const [parts, [own]] = await Promise.all([
    q
      .select({ amountCents: paymentRefunds.amountCents, returnId: paymentRefunds.returnId, at: paymentRefunds.updatedAt, currency: payments.currency })
      .from(paymentRefunds)
      .innerJoin(payments, eq(payments.id, paymentRefunds.paymentId))
      .where(and(eq(paymentRefunds.orderId, orderId), eq(paymentRefunds.status, 'COMPLETED')))
      .orderBy(asc(paymentRefunds.updatedAt)),
    q.select().from(payments).where(and(eq(payments.orderId, orderId), eq(payments.status, 'REFUNDED'))),
  ]);
  const refunds: OrderRefund[] = parts.map((part) => ({
    amount: centsToAmount(part.amountCents),
    currency: part.currency,
    reason: part.returnId ? 'return' : 'cancellation',
    refundedAt: part.at.toISOString(),
  }));
  const covered = parts.reduce((sum, part) => sum + part.amountCents, 0);
  if (own && own.refundedCents > covered) {
    refunds.push({ amount: centsToAmount(own.refundedCents - covered), currency: own.currency, reason: 'cancellation', refundedAt: own.updatedAt.toISOString() });
  }
  return refunds.sort((a, b) => a.refundedAt.localeCompare(b.refundedAt));
}
