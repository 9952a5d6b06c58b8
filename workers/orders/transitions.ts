/** State changes by people: every transition locks the order, checks the state machine and writes history and outbox together; cancel, ship, deliver. */
import { and, count, eq, sql } from 'drizzle-orm';

import { recordRefund, recordRelease, recordSale } from '@/marketplace';
import { createNotification, orderNotices } from '@/notifications';
import { type Caller, enqueue, eventEnvelope, linesOf, loadItems, type OrderChange, type OrderDeps, type OrderItemRow, type OrderRow, toOrderResponse } from '@/orders/model';
import type { ShipOrder } from '@/orders/shipment';
import { assertTransition } from '@/orders/state-machine';
import { recordStatusChanges } from '@/orders/status-history';
import { checkouts, orders, type OrderStatus } from '@/orders/tables';
import { recordAdminAction } from '@/platform/audit';
import type { Tx } from '@/platform/db';
import { forbidden, notFound } from '@/platform/errors';
import { describeError } from '@/platform/logger';
import { releasePromotionUses } from '@/promotions';

/** A transition re-reads the checkout's payment for the checkout's status (orders' `PaymentFactsPort`). */
type PaymentFacts = Pick<OrderDeps, 'payments'>;

interface TransitionSpec {
  to: OrderStatus;
  changedBy: string;
  reason: string | null;
  /** Throws when the caller may not touch this order; runs before the state check. */
  authorize?: (order: OrderRow) => void;
  set?: Partial<Pick<OrderRow, 'cancelReason' | 'paymentId' | 'shipmentCarrier' | 'trackingNumber'>>;
}

/** The orders of a purchase (the checkout's, else the one order) that are not cancelled, as `tx` sees them now. */
async function countLiveOrders(tx: Tx, order: { id: string; checkoutId: string | null }): Promise<number> {
  const [live] = await tx
    .select({ n: count() })
    .from(orders)
    .where(and(order.checkoutId ? eq(orders.checkoutId, order.checkoutId) : eq(orders.id, order.id), sql`${orders.status} <> 'CANCELLED'`));
  return live?.n ?? 0;
}

/** Locks the order (`SELECT … FOR UPDATE`), checks the caller and the state machine, applies and records the transition. */
export async function transitionOrder(deps: PaymentFacts, tx: Tx, orderId: string, spec: TransitionSpec): Promise<{ order: OrderRow; from: OrderStatus }> {
  const [locked] = await tx.select().from(orders).where(eq(orders.id, orderId)).for('update');
  if (!locked) throw notFound('ORDER_NOT_FOUND', 'Order not found');
  spec.authorize?.(locked);
  assertTransition(locked.status, spec.to);
  const [order] = await tx
    .update(orders)
    .set({ status: spec.to, ...spec.set, updatedAt: new Date() })
    .where(eq(orders.id, orderId))
    .returning();
  await recordStatusChanges(tx, [{ order: order!, oldStatus: locked.status, reason: spec.reason, changedBy: spec.changedBy }]);
  // The seller's earnings move with the order, in the same transaction (workers/marketplace/ledger.ts).
  if (spec.to === 'CONFIRMED') await recordSale(tx, order!);
  if (spec.to === 'CANCELLED' && locked.status === 'CONFIRMED') await recordRefund(tx, order!, spec.reason ?? 'cancelled');
  // A cancelled purchase gives its promotions' uses back (docs/decisions/promotions.md).
  if (spec.to === 'CANCELLED') await releasePromotionUses(tx, order!, countLiveOrders);
  if (spec.to === 'DELIVERED') await recordRelease(tx, order!, 'order delivered');
  if (order!.checkoutId !== null) await syncCheckoutStatus(deps, tx, order!.checkoutId);
  return { order: order!, from: locked.status };
}

/**
 * A checkout's status follows its payment and its orders: PAID once its payment completed (refunds of some orders
 * do not undo that), PAYMENT_FAILED once it was declined (both as payments tells them, in this transaction), CANCELLED when every order was cancelled before any
 * payment, PENDING otherwise. Called inside each transaction that changes one of its orders (after the order's
 * row lock: checkout rows are always locked last, so two such transactions cannot deadlock).
 */
export async function syncCheckoutStatus({ payments }: PaymentFacts, tx: Tx, checkoutId: string): Promise<void> {
  const settlement = await payments.checkoutSettlement(tx, checkoutId);
  await tx.execute(sql`
    update ${checkouts} c set
      status = coalesce(
        ${settlement.status}::text,
        case when not exists (select 1 from ${orders} o where o.checkout_id = c.id and o.status <> 'CANCELLED') then 'CANCELLED' else 'PENDING' end
      ),
      payment_id = coalesce(${settlement.paymentId}::uuid, c.payment_id),
      updated_at = now()
    where c.id = ${checkoutId}`);
}

const isBuyerOrAdmin = (caller: Caller) => (order: OrderRow) => {
  if (caller.role !== 'admin' && order.userId !== caller.id) throw forbidden();
};

/** An admin's transition is recorded in the audit log inside the transition's own transaction. */
const auditIfAdmin = (tx: Tx, caller: Caller, action: string, change: { order: OrderRow; from: OrderStatus }) =>
  caller.role === 'admin'
    ? recordAdminAction(tx, { actor: { id: caller.id, email: caller.email ?? '' }, action, targetType: 'order', targetId: change.order.id, before: { status: change.from }, after: { status: change.order.status, reason: change.order.cancelReason } })
    : Promise.resolve();

export async function runStockStep(deps: OrderDeps, step: 'release' | 'restock' | 'commit', orderId: string, items: OrderItemRow[]) {
  try {
    await deps.stock[step](orderId, linesOf(items));
  } catch (err) {
    // The state change is committed; a missed release is repaired by the reservation's expiry alarm.
    deps.logger.error(`stock ${step} failed after the order changed`, { orderId, ...describeError(err) });
  }
}

/**
 * Buyer (or admin) cancels a PENDING or CONFIRMED order. PENDING → release the reservation;
 * CONFIRMED → restock. Either way `order.cancelled` goes out so a completed payment is refunded.
 */
export async function cancelOrder(deps: OrderDeps, caller: Caller, orderId: string, reason: string | undefined, correlationId: string): Promise<OrderChange> {
  const cancelReason = (reason ?? (caller.role === 'admin' ? 'cancelled by admin' : 'cancelled by buyer')).slice(0, 255);
  const { order, from, items, outboxId } = await deps.transaction(async (tx) => {
    const changed = await transitionOrder(deps, tx, orderId, { to: 'CANCELLED', changedBy: caller.id, reason: cancelReason, authorize: isBuyerOrAdmin(caller), set: { cancelReason } });
    const outboxId = await enqueue(tx, { type: 'order.cancelled', ...eventEnvelope(orderId, correlationId), previousStatus: changed.from, reason: cancelReason });
    await auditIfAdmin(tx, caller, 'order.cancelled', changed);
    await createNotification(tx, { userId: changed.order.sellerId, orderId, ...orderNotices.cancelled(orderId, caller.role === 'admin' ? 'admin' : 'buyer', cancelReason) });
    return { ...changed, items: await loadItems(tx, orderId), outboxId };
  });
  await runStockStep(deps, from === 'CONFIRMED' ? 'restock' : 'release', orderId, items);
  return { order: toOrderResponse(order, items), outboxIds: [outboxId] };
}

/** The order's seller (or an admin) ships a CONFIRMED order, with the carrier and tracking number when given. */
export async function shipOrder(deps: OrderDeps, caller: Caller, orderId: string, shipment: ShipOrder = {}): Promise<OrderChange> {
  const { order, items } = await deps.transaction(async (tx) => {
    const changed = await transitionOrder(deps, tx, orderId, {
      to: 'SHIPPED',
      changedBy: caller.id,
      reason: shipment.carrier ? `shipped with ${shipment.carrier} (${shipment.trackingNumber})` : 'shipped',
      set: shipment.carrier && shipment.trackingNumber ? { shipmentCarrier: shipment.carrier, trackingNumber: shipment.trackingNumber } : undefined,
      authorize: (row) => {
        if (caller.role !== 'admin' && row.sellerId !== caller.id) throw forbidden();
      },
    });
    await auditIfAdmin(tx, caller, 'order.shipped', changed);
    await createNotification(tx, { userId: changed.order.userId, orderId, ...orderNotices.shipped(orderId) });
    return { ...changed, items: await loadItems(tx, orderId) };
  });
  return { order: toOrderResponse(order, items), outboxIds: [] };
}

/** The buyer (or an admin) confirms delivery of a SHIPPED order; this enables reviews. */
export async function deliverOrder(deps: OrderDeps, caller: Caller, orderId: string): Promise<OrderChange> {
  const { order, items } = await deps.transaction(async (tx) => {
    const changed = await transitionOrder(deps, tx, orderId, { to: 'DELIVERED', changedBy: caller.id, reason: 'delivered', authorize: isBuyerOrAdmin(caller) });
    await auditIfAdmin(tx, caller, 'order.delivered', changed);
    await createNotification(tx, { userId: changed.order.sellerId, orderId, ...orderNotices.delivered(orderId) });
    return { ...changed, items: await loadItems(tx, orderId) };
  });
  return { order: toOrderResponse(order, items), outboxIds: [] };
}
