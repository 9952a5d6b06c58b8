/** An order's status history and its live event: every status change of an order is written (and announced) here. */
import { sql } from 'drizzle-orm';

import type { OrderRow } from '@/orders/model';
import { orderStatusHistory, type OrderStatus } from '@/orders/tables';
import type { Tx } from '@/platform/db';
import { publishLiveAfterCommit, type LiveDelivery } from '@/platform/live-events';

export interface StatusChange {
  /** The order as it is after the change (its `status` is the history row's new status). */
  order: OrderRow;
  oldStatus: OrderStatus | null;
  reason: string | null;
  changedBy: string;
}

/**
 * Writes one history row per changed order (at most one per order per call) and, once `tx` commits, tells each
 * order's buyer and seller its status as `order.updated`. The version is the order's number of history rows, this
 * one included — counted by the insert itself, so nothing is read after the commit.
 */
export async function recordStatusChanges(tx: Tx, changes: readonly StatusChange[]): Promise<void> {
  if (changes.length === 0) return;
  const written = await tx
    .insert(orderStatusHistory)
    .values(changes.map(({ order, oldStatus, reason, changedBy }) => ({ orderId: order.id, oldStatus, newStatus: order.status, reason, changedBy })))
    .returning({
      orderId: orderStatusHistory.orderId,
      // A statement does not see its own insert: the order's earlier rows, plus this one. (Spelled out: drizzle
      // writes a column of the insert's table unqualified, which inside the subquery would mean h's own column.)
      version: sql<number>`(select count(*) from ${orderStatusHistory} h where h.order_id = ${orderStatusHistory}.order_id) + 1`.mapWith(Number),
    });
  const versionOf = new Map(written.map((row) => [row.orderId, row.version]));
  publishLiveAfterCommit(
    tx,
    changes.flatMap(({ order }) => orderUpdated(order, versionOf.get(order.id) ?? 0)),
  );
}

/** `order.updated` for the buyer and for the seller: `{orderId, status, version, updatedAt, role}`. */
function orderUpdated(order: OrderRow, version: number): LiveDelivery[] {
  const data = { orderId: order.id, status: order.status, version, updatedAt: order.updatedAt.toISOString() };
  const id = `order:${order.id}:${version}`;
  return [
    { userId: order.userId, event: { id, type: 'order.updated', version, data: { ...data, role: 'buyer' } } },
    { userId: order.sellerId, event: { id, type: 'order.updated', version, data: { ...data, role: 'seller' } } },
  ];
}
