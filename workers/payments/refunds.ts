/**
 * Giving money back: a cancelled order's payment (or its part of a checkout's), and a return's amount — each refund
 * claimed once, asked of the provider with its own idempotency key, and recorded when the provider confirms it.
 */
import { and, eq, isNull } from 'drizzle-orm';

import { formatCents } from '@contract/money';
import { createNotification, shortOrderNumber } from '@/notifications';
import { findOrderForPayment, type OrderCancelled } from '@/orders';
import { announcePayment, findPaymentById, findPaymentByOrder, recordPaymentHistory, type PaymentRow } from '@/payments/records';
import type { PaymentDeps } from '@/payments/service';
import { paymentRefunds, payments, type PaymentStatus } from '@/payments/tables';
import type { Tx } from '@/platform/db';
import { conflict } from '@/platform/errors';

/**
 * `order.cancelled` → refund when the order's payment is COMPLETED (the seed never
 * refunded). Anything else is a no-op: no payment yet, PENDING (its later `payment.completed` makes
 * the order side ask again), FAILED, or already REFUNDED.
 */
export async function refundOrderPayment(deps: PaymentDeps, event: OrderCancelled): Promise<PaymentRow | null> {
  const payment = await findPaymentByOrder(deps.db, event.orderId);
  if (!payment || payment.status !== 'COMPLETED') return payment ?? null;
  if (payment.checkoutId !== null) return refundCheckoutOrder(deps, payment, event);
  // The whole payment, as one refund row (unique per order), confirmed like any other refund.
  return (await refundPaymentPart(deps, payment, { orderId: event.orderId, amountCents: payment.amountCents, reason: `order cancelled: ${event.reason}` })).payment;
}

/**
 * One order of a checkout was cancelled after its payment completed: only that order's total (lines + its
 * shipping) goes back, once, as a partial refund of the checkout's payment ({@link refundPaymentPart}).
 */
async function refundCheckoutOrder(deps: PaymentDeps, payment: PaymentRow, event: OrderCancelled): Promise<PaymentRow | null> {
  const order = await findOrderForPayment(deps.db, event.orderId);
  if (!order || order.status !== 'CANCELLED') {
    deps.logger.warn('order.cancelled for an order that is not cancelled: nothing refunded', { orderId: event.orderId, status: order?.status ?? null });
    return payment;
  }
  const reason = `order ${shortOrderNumber(order.id)} cancelled: ${event.reason}`.slice(0, 255);
  return (await refundPaymentPart(deps, payment, { orderId: order.id, amountCents: order.totalCents, reason })).payment;
}

/** A part of a payment to give back: a cancelled order of a checkout, or a return (`returnId`) of any order. */
export interface RefundPart {
  orderId: string;
  returnId?: string;
  amountCents: number;
  reason: string;
}

const refundRowOf = (payment: PaymentRow, part: RefundPart) =>
  part.returnId === undefined
    ? and(eq(paymentRefunds.paymentId, payment.id), eq(paymentRefunds.orderId, part.orderId), isNull(paymentRefunds.returnId))
    : eq(paymentRefunds.returnId, part.returnId);

/**
 * Gives back part of a payment exactly once. The refund row is claimed first (unique per cancelled order of the
 * payment, or per return), then the gateway is asked with the refund's id as idempotency key (a retry, or a concurrent
 * caller, sends the same key, so the provider refunds once). A refund the provider answers `succeeded` is recorded at
 * once ({@link completeRefund}); a `pending` one keeps its row PENDING with the provider's reference until the
 * provider's signed refund webhook completes it. Whenever the refund is found completed — now, by an earlier call or
 * by its webhook — `inTransaction` runs (the caller's own step, which must be idempotent).
 */
async function refundPaymentPart(
  deps: Pick<PaymentDeps, 'db' | 'gateway' | 'transaction'>,
  payment: PaymentRow,
  part: RefundPart,
  options: { inTransaction?: (tx: Tx) => Promise<void> } = {},
): Promise<{ payment: PaymentRow | null; recorded: boolean }> {
  await deps.db.insert(paymentRefunds).values({ paymentId: payment.id, orderId: part.orderId, returnId: part.returnId ?? null, amountCents: part.amountCents, reason: part.reason.slice(0, 255) }).onConflictDoNothing();
  const [refund] = await deps.db.select().from(paymentRefunds).where(refundRowOf(payment, part));
  if (!refund) throw new Error(`refund of order ${part.orderId} was not visible`);
  if (refund.status !== 'COMPLETED') {
    const answer = await deps.gateway.refund({ paymentId: payment.id, gatewayReference: payment.gatewayReference, amountCents: refund.amountCents, currency: payment.currency, idempotencyKey: `refund-${refund.id}`, refundId: refund.id });
    if (answer.status === 'succeeded') return completeRefund(deps, refund.id, answer.refundReference, options);
    await deps.db.update(paymentRefunds).set({ gatewayReference: answer.refundReference.slice(0, 100), updatedAt: new Date() }).where(and(eq(paymentRefunds.id, refund.id), eq(paymentRefunds.status, 'PENDING')));
  }
  // Completed before, or by its webhook while the provider was answering: only the caller's step is left.
  const [now] = await deps.db.select({ status: paymentRefunds.status }).from(paymentRefunds).where(eq(paymentRefunds.id, refund.id));
  if (now?.status === 'COMPLETED' && options.inTransaction) await deps.transaction(options.inTransaction);
  return { payment: (await findPaymentById(deps.db, payment.id)) ?? null, recorded: false };
}

/**
 * Records a refund the provider confirmed: the refund, the payment's `refunded_cents` (checked ≤ the amount by the
 * table), the buyer's notice and `inTransaction` commit together — only for the call that finds the refund still
 * PENDING under its row lock; the payment becomes REFUNDED when nothing is left.
 */
export async function completeRefund(
  deps: Pick<PaymentDeps, 'transaction'>,
  refundId: string,
  refundReference: string,
  options: { inTransaction?: (tx: Tx) => Promise<void> } = {},
): Promise<{ payment: PaymentRow | null; recorded: boolean }> {
  return deps.transaction(async (tx) => {
    const [claimed] = await tx.select().from(paymentRefunds).where(eq(paymentRefunds.id, refundId)).for('update');
    const [current] = claimed ? await tx.select().from(payments).where(eq(payments.id, claimed.paymentId)).for('update') : [];
    if (!claimed || !current || claimed.status === 'COMPLETED') return { payment: current ?? null, recorded: false };
    await tx.update(paymentRefunds).set({ status: 'COMPLETED', gatewayReference: refundReference.slice(0, 100), updatedAt: new Date() }).where(eq(paymentRefunds.id, refundId));
    const refundedCents = current.refundedCents + claimed.amountCents;
    const status: PaymentStatus = refundedCents >= current.amountCents ? 'REFUNDED' : current.status;
    const [updated] = await tx.update(payments).set({ refundedCents, status, updatedAt: new Date() }).where(eq(payments.id, current.id)).returning();
    const version = await recordPaymentHistory(tx, { paymentId: current.id, oldStatus: current.status, newStatus: status, reason: `refunded ${formatCents(claimed.amountCents)} ${current.currency} for ${claimed.reason ?? 'a refund'}`.slice(0, 255) });
    announcePayment(tx, updated!, version);
    await createNotification(tx, {
      userId: current.userId,
      type: 'REFUND_ISSUED',
      title: `Refund issued for order ${shortOrderNumber(claimed.orderId)}`,
      body: `${formatCents(claimed.amountCents)} ${current.currency} will be returned to your payment method.`,
      orderId: claimed.orderId,
    });
    await options.inTransaction?.(tx);
    return { payment: updated ?? null, recorded: true };
  });
}

/**
 * Refunds part of the payment that paid for `orderId` (its own, or its checkout's), once (see
 * {@link refundPaymentPart}). 409 `PAYMENT_NOT_REFUNDABLE` when there is no completed payment to take it from.
 */
export async function refundOrderPart(deps: Pick<PaymentDeps, 'db' | 'gateway' | 'transaction'>, part: RefundPart, options: { inTransaction?: (tx: Tx) => Promise<void> } = {}) {
  const payment = await findPaymentByOrder(deps.db, part.orderId);
  if (!payment) throw conflict('PAYMENT_NOT_REFUNDABLE', 'This order has no payment to refund');
  const [done] = await deps.db.select({ status: paymentRefunds.status }).from(paymentRefunds).where(refundRowOf(payment, part));
  if (done?.status !== 'COMPLETED' && payment.status !== 'COMPLETED') throw conflict('PAYMENT_NOT_REFUNDABLE', `The order's payment is ${payment.status}`, { status: payment.status });
  return refundPaymentPart(deps, payment, part, options);
}
