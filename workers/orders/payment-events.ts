/** The saga's payment handlers: `payment.completed` (one order or a whole checkout) and `payment.failed`, each idempotent under redelivery. */
import { asc, eq } from 'drizzle-orm';

import { createNotification, orderNotices } from '@/notifications';
import { enqueue, eventEnvelope, linesOf, loadItems, type OrderDeps, type OrderRow, SYSTEM_PAYMENTS } from '@/orders/model';
import { recordStatusChanges } from '@/orders/status-history';
import { orders, type OrderStatus } from '@/orders/tables';
import { syncCheckoutStatus, transitionOrder } from '@/orders/transitions';
import type { PaymentCompleted, PaymentFailed } from '@/orders/messages';
import type { Tx } from '@/platform/db';
import { AppError } from '@/platform/errors';
import { describeError } from '@/platform/logger';
import { PermanentMessageError, SAGA_MAX_DELIVERIES } from '@/platform/queue-consumer';

/** What a payment event did: the stock step to (re)run after commit and any outbox rows to relay. */
export interface PaymentEventResult {
  outcome: 'applied' | 'duplicate' | 'refund-requested' | 'ignored' | 'cancelled-unfulfillable';
  status: OrderStatus;
  stockStep: 'commit' | 'release' | 'restock' | null;
  outboxIds: number[];
}

/** How the caller of {@link applyPaymentCompleted} delivers it, and what must commit with its outcome. */
export interface PaymentCompletedOptions {
  /** The delivery number of the queue message (1 = first); the last one settles a failing stock commit. */
  attempts?: number;
  /**
   * Runs inside the transaction that decides the order (after its row lock): the payments step
   * records the payment COMPLETED here, so payment and order change together (read-your-writes).
   */
  inTransaction?: (tx: Tx) => Promise<void>;
}

async function lockOrderForEvent(tx: Tx, orderId: string): Promise<OrderRow> {
  const [order] = await tx.select().from(orders).where(eq(orders.id, orderId)).for('update');
  // The order row commits with its outbox row, so an event for a missing order is a contract violation.
  if (!order) throw new PermanentMessageError(`payment event for unknown order ${orderId}`);
  return order;
}

export const UNFULFILLABLE_REASON = 'stock unavailable: the reservation was lost before payment';
export const STOCK_COMMIT_FAILED_REASON = 'stock could not be committed after payment; refunded';

/**
 * `payment.completed`: the units are committed in the StockDOs FIRST, then the order is confirmed
 * under its row lock — so a CONFIRMED order always has its units sold, and nothing can ship an
 * order whose stock is still only held.
 *
 * - PENDING: commit (idempotent per order), then PENDING → CONFIRMED + notify seller and buyer.
 * - The StockDO refuses the commit (the hold was released by a cancel, or expired and the units
 *   are gone): the order is cancelled (`stock unavailable`), the payment refunded via `order.cancelled`.
 * - The commit keeps failing (DO unreachable): the message is retried, the order stays PENDING;
 *   on the last delivery the order is cancelled the same way (`stock could not be committed`).
 * - Cancelled meanwhile (before or after our commit): stays CANCELLED, a refund is requested once,
 *   and `restock` gives back whatever the commit took (a no-op when the hold was already released).
 * - A repeat of an applied event changes nothing (a CANCELLED order re-runs the idempotent restock).
 */
export async function applyPaymentCompleted(deps: OrderDeps, event: PaymentCompleted, options: PaymentCompletedOptions = {}): Promise<PaymentEventResult> {
  const [seen] = await deps.db.select({ status: orders.status }).from(orders).where(eq(orders.id, event.orderId));
  if (!seen) throw new PermanentMessageError(`payment event for unknown order ${event.orderId}`);
  const cancelReason = seen.status === 'PENDING' ? await commitForPayment(deps, event.orderId, options.attempts ?? 1) : null;
  const result = await deps.transaction(async (tx): Promise<PaymentEventResult> => {
    const order = await lockOrderForEvent(tx, event.orderId);
    await options.inTransaction?.(tx);
    return decidePaymentCompleted(deps, tx, order, event, cancelReason);
  });
  // Gives back whatever a commit (ours, or a partial one) took for an order that ended CANCELLED; a
  // failure throws so the message is retried (and a replay of its dead letter re-runs it).
  if (result.stockStep === 'restock') await deps.stock.restock(event.orderId, linesOf(await loadItems(deps.db, event.orderId)));
  return result;
}

/**
 * Commits a PENDING order's reserved units for its payment. Returns null when committed, or the reason to cancel
 * the order with when the StockDO refused (or, on the last delivery, kept failing); throws when a retry may heal it.
 */
async function commitForPayment(deps: OrderDeps, orderId: string, attempts: number): Promise<string | null> {
  try {
    await deps.stock.commit(orderId, linesOf(await loadItems(deps.db, orderId)));
    return null;
  } catch (err) {
    // A refusal will not heal by retrying; an unreachable DO might, until the last delivery.
    const final = err instanceof AppError || attempts >= SAGA_MAX_DELIVERIES;
    if (!final) throw err;
    deps.logger.error('stock commit of a paid order failed for good; cancelling and refunding it', { orderId, ...describeError(err) });
    return err instanceof AppError ? UNFULFILLABLE_REASON : STOCK_COMMIT_FAILED_REASON;
  }
}

/** The decision of `payment.completed` for one order already locked in `tx` (see {@link applyPaymentCompleted}). */
async function decidePaymentCompleted(deps: OrderDeps, tx: Tx, order: OrderRow, event: { paymentId: string; correlationId: string }, cancelReason: string | null): Promise<PaymentEventResult> {
  if (order.status === 'PENDING' && cancelReason === null) {
    const { order: confirmed } = await transitionOrder(deps, tx, order.id, { to: 'CONFIRMED', changedBy: SYSTEM_PAYMENTS, reason: `payment ${event.paymentId} completed`, set: { paymentId: event.paymentId } });
    await createNotification(tx, { userId: confirmed.sellerId, orderId: order.id, ...orderNotices.paid(order.id, order) });
    await createNotification(tx, { userId: confirmed.userId, orderId: order.id, ...orderNotices.paymentConfirmed(order.id, order) });
    return { outcome: 'applied', status: 'CONFIRMED', stockStep: null, outboxIds: [] };
  }
  if (order.status === 'PENDING' && cancelReason !== null) {
    await transitionOrder(deps, tx, order.id, { to: 'CANCELLED', changedBy: SYSTEM_PAYMENTS, reason: cancelReason, set: { cancelReason, paymentId: event.paymentId } });
    const outboxId = await enqueue(tx, { type: 'order.cancelled', ...eventEnvelope(order.id, event.correlationId), previousStatus: 'PENDING', reason: cancelReason });
    await createNotification(tx, { userId: order.userId, orderId: order.id, ...orderNotices.unfulfillableToBuyer(order.id, order) });
    await createNotification(tx, { userId: order.sellerId, orderId: order.id, ...orderNotices.unfulfillableToSeller(order.id) });
    return { outcome: 'cancelled-unfulfillable', status: 'CANCELLED', stockStep: 'restock', outboxIds: [outboxId] };
  }
  if (order.paymentId === event.paymentId) {
    return { outcome: 'duplicate', status: order.status, stockStep: order.status === 'CANCELLED' ? 'restock' : null, outboxIds: [] };
  }
  if (order.status === 'CANCELLED') {
    const [updated] = await tx.update(orders).set({ paymentId: event.paymentId, updatedAt: new Date() }).where(eq(orders.id, order.id)).returning();
    const reason = 'payment completed after cancellation; refund requested';
    await recordStatusChanges(tx, [{ order: updated!, oldStatus: 'CANCELLED', reason, changedBy: SYSTEM_PAYMENTS }]);
    const outboxId = await enqueue(tx, { type: 'order.cancelled', ...eventEnvelope(order.id, event.correlationId), previousStatus: 'CANCELLED', reason });
    await createNotification(tx, { userId: order.userId, orderId: order.id, ...orderNotices.refundPending(order.id, order) });
    if (order.checkoutId !== null) await syncCheckoutStatus(deps, tx, order.checkoutId);
    return { outcome: 'refund-requested', status: 'CANCELLED', stockStep: 'restock', outboxIds: [outboxId] };
  }
  deps.logger.warn('payment.completed ignored', { orderId: order.id, status: order.status, paymentId: event.paymentId, orderPaymentId: order.paymentId });
  return { outcome: 'ignored', status: order.status, stockStep: null, outboxIds: [] };
}

/** What {@link applyCheckoutPaymentCompleted} did to each order of the checkout. */
export interface CheckoutPaymentResult {
  results: (PaymentEventResult & { orderId: string })[];
  outboxIds: number[];
}

/**
 * The checkout's one payment was approved (the payments step, read-your-writes): every PENDING order's units are
 * committed first (all StockDOs at once), then ONE transaction locks every order of the checkout (in id order),
 * runs `inTransaction` (the payment is recorded COMPLETED there) and decides each order exactly as
 * {@link applyPaymentCompleted} would — so a client that reads the payment COMPLETED finds every order decided. A
 * StockDO that does not answer throws: the payment is then recorded alone and each order's `payment.completed`
 * (the payments step publishes one per order) settles it through the consumer, retries included.
 */
export async function applyCheckoutPaymentCompleted(
  deps: OrderDeps,
  event: { checkoutId: string; paymentId: string; correlationId: string },
  options: { inTransaction?: (tx: Tx) => Promise<void> } = {},
): Promise<CheckoutPaymentResult> {
  const members = await deps.db.select({ id: orders.id, status: orders.status }).from(orders).where(eq(orders.checkoutId, event.checkoutId)).orderBy(asc(orders.id));
  if (members.length === 0) throw new PermanentMessageError(`payment event for unknown checkout ${event.checkoutId}`);
  const reasons = new Map<string, string | null>();
  const committed = await Promise.allSettled(members.map(async (member) => reasons.set(member.id, member.status === 'PENDING' ? await commitForPayment(deps, member.id, 1) : null)));
  const failed = committed.find((outcome) => outcome.status === 'rejected');
  if (failed) throw failed.reason;
  const results = await deps.transaction(async (tx) => {
    const locked = await tx.select().from(orders).where(eq(orders.checkoutId, event.checkoutId)).orderBy(asc(orders.id)).for('update');
    await options.inTransaction?.(tx);
    const decided: (PaymentEventResult & { orderId: string })[] = [];
    for (const order of locked) decided.push({ orderId: order.id, ...(await decidePaymentCompleted(deps, tx, order, event, reasons.get(order.id) ?? null)) });
    await syncCheckoutStatus(deps, tx, event.checkoutId);
    return decided;
  });
  await Promise.all(results.filter((r) => r.stockStep === 'restock').map(async (r) => deps.stock.restock(r.orderId, linesOf(await loadItems(deps.db, r.orderId)))));
  return { results, outboxIds: results.flatMap((r) => r.outboxIds) };
}

const PAYMENT_FAILED_PREFIX = 'payment failed';

/**
 * `payment.failed`: PENDING → CANCELLED + release the reservation + notify the buyer. A decline is
 * final (never retried). Repeats re-run the idempotent release; late failures for other states are no-ops.
 */
export async function applyPaymentFailed(deps: OrderDeps, event: PaymentFailed): Promise<PaymentEventResult> {
  const result = await deps.transaction(async (tx): Promise<PaymentEventResult> => {
    const order = await lockOrderForEvent(tx, event.orderId);
    if (order.status === 'PENDING') {
      const cancelReason = `${PAYMENT_FAILED_PREFIX}: ${event.reason}`.slice(0, 255);
      await transitionOrder(deps, tx, order.id, { to: 'CANCELLED', changedBy: SYSTEM_PAYMENTS, reason: cancelReason, set: { cancelReason, paymentId: event.paymentId } });
      await createNotification(tx, { userId: order.userId, orderId: order.id, ...orderNotices.paymentFailed(order.id) });
      return { outcome: 'applied', status: 'CANCELLED', stockStep: 'release', outboxIds: [] };
    }
    if (order.status === 'CANCELLED' && order.paymentId === event.paymentId && order.cancelReason?.startsWith(PAYMENT_FAILED_PREFIX)) {
      return { outcome: 'duplicate', status: order.status, stockStep: 'release', outboxIds: [] };
    }
    return { outcome: 'ignored', status: order.status, stockStep: null, outboxIds: [] };
  });
  if (result.stockStep === 'release') await deps.stock.release(event.orderId, linesOf(await loadItems(deps.db, event.orderId)));
  return result;
}
