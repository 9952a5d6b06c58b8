/** Scheduled maintenance: re-publishing stuck orders, cancelling timed-out unpaid ones (the reaper), and the pending-age stats. */
import { and, asc, count, eq, sql } from 'drizzle-orm';

import { awaitingRelease, RELEASE_AFTER_SHIPPING_DAYS, releaseEarnings } from '@/marketplace';
import { createNotification, orderNotices } from '@/notifications';
import { enqueue, eventEnvelope, loadItems, type OrderDeps, RESERVATION_TTL_MS, SYSTEM_REAPER } from '@/orders/model';
import { checkouts, orders, orderStatusHistory, outbox } from '@/orders/tables';
import { runStockStep, transitionOrder } from '@/orders/transitions';
import type { Db, Tx } from '@/platform/db';
import { describeError } from '@/platform/logger';

/** Minutes after which an unpaid order's `order.created` is re-published, and the cap on re-publications. */
const REAPER_REPUBLISH_AFTER_SECONDS = 120;
const REAPER_MAX_REPUBLISHES = 5;
const REAPER_TIMEOUT_SECONDS = RESERVATION_TTL_MS / 1000;

/**
 * Reaper, step 1: PENDING orders older than 2 minutes whose last `order.created` went out over 2
 * minutes ago get it re-published (a copy of the first one), at most 5 times per order.
 */
export async function requeueStuckOrders(db: Db, limit = 100): Promise<number[]> {
  const result = await db.execute(sql`
    insert into ${outbox} (aggregate_id, event_type, payload, headers)
    select o.id, 'order.created', first.payload, first.headers
    from ${orders} o
    join lateral (
      select x.payload, x.headers from ${outbox} x
      where x.aggregate_id = o.id and x.event_type = 'order.created' order by x.id limit 1
    ) first on true
    where o.status = 'PENDING'
      and o.created_at < now() - make_interval(secs => ${REAPER_REPUBLISH_AFTER_SECONDS})
      and o.created_at > now() - make_interval(secs => ${REAPER_TIMEOUT_SECONDS})
      and (select count(*) from ${outbox} x where x.aggregate_id = o.id and x.event_type = 'order.created') <= ${REAPER_MAX_REPUBLISHES}
      and not exists (
        select 1 from ${outbox} x where x.aggregate_id = o.id and x.event_type = 'order.created'
          and (x.published_at is null or x.created_at > now() - make_interval(secs => ${REAPER_REPUBLISH_AFTER_SECONDS}))
      )
    limit ${limit}
    returning id`);
  // A checkout's payment is asked for by its one `checkout.created`: re-published the same way while any of its
  // orders is still PENDING (the payments side charges it at most once, whatever the number of copies).
  const checkoutRows = await db.execute(sql`
    insert into ${outbox} (aggregate_id, event_type, payload, headers)
    select c.id, 'checkout.created', first.payload, first.headers
    from ${checkouts} c
    join lateral (
      select x.payload, x.headers from ${outbox} x
      where x.aggregate_id = c.id and x.event_type = 'checkout.created' order by x.id limit 1
    ) first on true
    where c.status = 'PENDING'
      and exists (select 1 from ${orders} o where o.checkout_id = c.id and o.status = 'PENDING')
      and c.created_at < now() - make_interval(secs => ${REAPER_REPUBLISH_AFTER_SECONDS})
      and c.created_at > now() - make_interval(secs => ${REAPER_TIMEOUT_SECONDS})
      and (select count(*) from ${outbox} x where x.aggregate_id = c.id and x.event_type = 'checkout.created') <= ${REAPER_MAX_REPUBLISHES}
      and not exists (
        select 1 from ${outbox} x where x.aggregate_id = c.id and x.event_type = 'checkout.created'
          and (x.published_at is null or x.created_at > now() - make_interval(secs => ${REAPER_REPUBLISH_AFTER_SECONDS}))
      )
    limit ${limit}
    returning id`);
  return [...(result.rows as { id: string | number }[]), ...(checkoutRows.rows as { id: string | number }[])].map((row) => Number(row.id));
}

/**
 * Reaper, step 2: PENDING orders older than the reservation TTL → CANCELLED (`payment timeout`),
 * stock released, buyer told, and `order.cancelled` sent so a payment that completes later is refunded.
 * The scan is only a candidate list: each order is re-checked inside its own locked transition
 * (still PENDING, still older than the TTL), so an order paid meanwhile is never touched.
 */
export async function cancelTimedOutOrders(deps: OrderDeps, limit = 50): Promise<{ cancelled: string[]; outboxIds: number[] }> {
  const stale = await deps.db
    .select({ id: orders.id })
    .from(orders)
    .where(and(eq(orders.status, 'PENDING'), sql`${orders.createdAt} < now() - make_interval(secs => ${REAPER_TIMEOUT_SECONDS})`))
    .orderBy(asc(orders.createdAt))
    .limit(limit);
  const cancelled: string[] = [];
  const outboxIds: number[] = [];
  for (const { id } of stale) {
    try {
      const outcome = await deps.transaction(async (tx) => {
        const [locked] = await tx
          .select({ status: orders.status, timedOut: sql<boolean>`${orders.createdAt} < now() - make_interval(secs => ${REAPER_TIMEOUT_SECONDS})` })
          .from(orders)
          .where(eq(orders.id, id))
          .for('update');
        if (!locked || locked.status !== 'PENDING' || !locked.timedOut) return null;
        const changed = await transitionOrder(deps, tx, id, { to: 'CANCELLED', changedBy: SYSTEM_REAPER, reason: 'payment timeout', set: { cancelReason: 'payment timeout' } });
        const outboxId = await enqueue(tx, { type: 'order.cancelled', ...eventEnvelope(id, `reaper-${id}`), previousStatus: changed.from, reason: 'payment timeout' });
        await createNotification(tx, { userId: changed.order.userId, orderId: id, ...orderNotices.paymentTimedOut(id) });
        return { items: await loadItems(tx, id), outboxId };
      });
      if (!outcome) continue;
      await runStockStep(deps, 'release', id, outcome.items);
      cancelled.push(id);
      outboxIds.push(outcome.outboxId);
    } catch (err) {
      deps.logger.error('reaper could not cancel an order', { orderId: id, ...describeError(err) });
    }
  }
  return { cancelled, outboxIds };
}

/** PENDING-age counts for the ops view. */
export async function pendingOrderStats(db: Db) {
  const [row] = await db
    .select({
      pending: count(),
      olderThan2m: sql<number>`count(*) filter (where ${orders.createdAt} < now() - interval '2 minutes')`.mapWith(Number),
      olderThan15m: sql<number>`count(*) filter (where ${orders.createdAt} < now() - interval '15 minutes')`.mapWith(Number),
      oldestAgeSeconds: sql<number | null>`extract(epoch from now() - min(${orders.createdAt}))::int`.mapWith((v) => (v === null ? null : Number(v))),
    })
    .from(orders)
    .where(eq(orders.status, 'PENDING'));
  return { pending: row?.pending ?? 0, olderThan2m: row?.olderThan2m ?? 0, olderThan15m: row?.olderThan15m ?? 0, oldestAgeSeconds: row?.oldestAgeSeconds ?? null };
}

/**
 * Cron: releases the sellers' earnings of orders SHIPPED more than `days` days ago that the buyer never marked
 * delivered (and whose earnings the ledger has not released yet).
 */
export async function releaseShippedEarnings(db: Db, transaction: <T>(fn: (tx: Tx) => Promise<T>) => Promise<T>, limit = 100, days = RELEASE_AFTER_SHIPPING_DAYS): Promise<number> {
  const due = await db
    .select({ id: orders.id })
    .from(orders)
    .where(
      and(
        eq(orders.status, 'SHIPPED'),
        sql`exists (select 1 from ${orderStatusHistory} h where h.order_id = ${orders.id} and h.new_status = 'SHIPPED' and h.changed_at < now() - make_interval(days => ${days}))`,
        awaitingRelease(orders.id),
      ),
    )
    .orderBy(asc(orders.updatedAt))
    .limit(limit);
  return releaseEarnings(
    transaction,
    due.map(({ id }) => id),
    `released ${days} days after shipping`,
  );
}
