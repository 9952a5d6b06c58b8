/** What payments tells orders (orders' `PaymentFactsPort`, wired by the composition root): a checkout's payment and status, an order's refunds. */
import { and, asc, eq } from 'drizzle-orm';

import { centsToAmount } from '@contract/money';
import type { CheckoutSettlement, OrderRefund, PaymentFactsPort } from '@/orders';
import { toPaymentResponse } from '@/payments/records';
import { paymentRefunds, payments } from '@/payments/tables';
import type { Queryable } from '@/platform/db';

/**
 * The completed refunds of one order. A checkout's payment and every return pay back through `payment_refunds`
 * rows; a single order's cancellation refunds its own payment whole (the payment becomes REFUNDED), which counts
 * as one more refund for what the rows do not already cover.
 */
async function orderRefunds(q: Queryable, orderId: string): Promise<OrderRefund[]> {
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

/** The checkout's one payment as its answer shows it, or null before the saga created it. */
async function checkoutPayment(q: Queryable, checkoutId: string) {
  const [payment] = await q.select().from(payments).where(eq(payments.checkoutId, checkoutId));
  return payment ? toPaymentResponse(payment) : null;
}

/** PAID once the checkout's payment completed (refunded or not), PAYMENT_FAILED once it was declined. */
async function checkoutSettlement(q: Queryable, checkoutId: string): Promise<CheckoutSettlement> {
  const [payment] = await q.select({ id: payments.id, status: payments.status }).from(payments).where(eq(payments.checkoutId, checkoutId));
  if (!payment) return { paymentId: null, status: null };
  const status = payment.status === 'COMPLETED' || payment.status === 'REFUNDED' ? 'PAID' : payment.status === 'FAILED' ? 'PAYMENT_FAILED' : null;
  return { paymentId: payment.id, status };
}

export const paymentFacts: PaymentFactsPort = { checkoutPayment, orderRefunds, checkoutSettlement };
