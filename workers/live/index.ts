import { and, count, eq, inArray, isNull, sql } from 'drizzle-orm';

import type { LiveDO } from '@do/live';
import type { StockFeedDO } from '@do/stock-feed';
import { getConfig, type AppEnv } from '@/env';
import { users } from '@/identity/tables';
import type { LiveEvent } from '@/live/protocol';
import { notifications } from '@/notifications/tables';
import { orders } from '@/orders/tables';
import { toPaymentResponse } from '@/payments';
import { payments } from '@/payments/tables';
import { createDb } from '@/platform/db';
import { createLogger, describeError } from '@/platform/logger';

/**
 * The front door of live updates for the rest of the Worker. Every function here returns at once and does its
 * work in the background (`waitUntil`): a live push never delays nor fails the request, message or commit that
 * caused it. Whatever is missed is caught up by the SPA's refetch on reconnect and its polling fallback.
 */

export const liveStub = (env: AppEnv, userId: string) => env.LIVE_DO.get(env.LIVE_DO.idFromName(userId)) as unknown as DurableObjectStub<LiveDO>;

/** The product's live-stock feed (durable-objects/stock-feed.ts). */
export const stockFeedStub = (env: AppEnv, productId: number) =>
  env.STOCK_FEED_DO.get(env.STOCK_FEED_DO.idFromName(String(productId))) as unknown as DurableObjectStub<StockFeedDO>;

// Loaded lazily: the app module graph is also imported in Node (OpenAPI generation), where this module does not exist.
let runtime: Promise<{ waitUntil(promise: Promise<unknown>): void }> | undefined;

function inBackground(env: AppEnv, what: string, task: () => Promise<unknown>): void {
  const promise = task().catch((err: unknown) => {
    createLogger(getConfig(env).LOG_LEVEL, { domain: 'live' }).warn(`live ${what} failed`, describeError(err));
  });
  runtime ??= import('cloudflare:workers');
  runtime.then(
    (workers) => {
      try {
        workers.waitUntil(promise);
      } catch {
        // No request or message context: the promise simply runs on.
      }
    },
    // Outside the Workers runtime the promise simply runs on.
    () => undefined,
  );
}

/** Sends ready-made events to every socket of `userId`. */
export function publishLive(env: AppEnv, userId: string, events: LiveEvent[]): void {
  if (events.length === 0) return;
  inBackground(env, 'publish', () => liveStub(env, userId).publish(events));
}

/**
 * Closes the user's sockets of sessions that ended (logout, password reset, role change, deletion): call it after
 * the session version was bumped. The current version is read back, so a login racing the logout keeps its socket.
 */
export function endLiveSessions(env: AppEnv, userId: string): void {
  inBackground(env, 'end sessions', async () => {
    const [row] = await createDb(env).select({ sessionVersion: users.sessionVersion, deletedAt: users.deletedAt }).from(users).where(eq(users.id, userId));
    await liveStub(env, userId).endSessions(!row || row.deletedAt ? null : row.sessionVersion);
  });
}

/** The columns of a committed notification that live events need. */
export interface CommittedNotification {
  id: string;
  userId: string;
  orderId: string | null;
  productId: number | null;
  title: string;
  body: string | null;
  createdAt: Date;
}

/**
 * After a transaction that wrote notifications has committed: tells each recipient (with their unread count), and
 * for every order they mention, tells its buyer and its seller the order's status (and the buyer the payment's).
 * Users with no open socket cost one cheap DO call and no database read beyond the orders' rows.
 */
export function publishCommittedNotifications(env: AppEnv, committed: CommittedNotification[]): void {
  if (committed.length === 0) return;
  inBackground(env, 'notifications', () => pushNotifications(env, committed));
}

async function connectedUsers(env: AppEnv, userIds: Iterable<string>): Promise<Set<string>> {
  const ids = [...new Set(userIds)];
  const counts = await Promise.all(ids.map((id) => liveStub(env, id).connections()));
  return new Set(ids.filter((_, i) => (counts[i] ?? 0) > 0));
}

async function pushNotifications(env: AppEnv, committed: CommittedNotification[]): Promise<void> {
  const db = createDb(env);
  const orderIds = [...new Set(committed.flatMap((n) => (n.orderId ? [n.orderId] : [])))];
  const orderRows =
    orderIds.length === 0
      ? []
      : await db
          .select({
            id: orders.id,
            userId: orders.userId,
            sellerId: orders.sellerId,
            status: orders.status,
            updatedAt: orders.updatedAt,
            version: sql<number>`(select count(*) from "order_status_history" h where h."order_id" = "orders"."id")`.mapWith(Number),
          })
          .from(orders)
          .where(inArray(orders.id, orderIds));
  const connected = await connectedUsers(env, [...committed.map((n) => n.userId), ...orderRows.flatMap((o) => [o.userId, o.sellerId])]);
  if (connected.size === 0) return;

  const notified = [...new Set(committed.map((n) => n.userId))].filter((id) => connected.has(id));
  const buyersOrders = orderRows.filter((o) => connected.has(o.userId)).map((o) => o.id);
  const [unread, paymentRows] = await Promise.all([
    notified.length === 0
      ? []
      : db
          .select({ userId: notifications.userId, total: count() })
          .from(notifications)
          .where(and(inArray(notifications.userId, notified), eq(notifications.isRead, false)))
          .groupBy(notifications.userId),
    buyersOrders.length === 0
      ? []
      : db
          .select({
            payment: payments,
            version: sql<number>`(select count(*) from "payment_history" h where h."payment_id" = "payments"."id")`.mapWith(Number),
          })
          .from(payments)
          .where(inArray(payments.orderId, buyersOrders)),
  ]);
  const unreadOf = new Map(unread.map((u) => [u.userId, u.total]));

  const events = new Map<string, LiveEvent[]>();
  const push = (userId: string, event: LiveEvent) => {
    if (!connected.has(userId)) return;
    const list = events.get(userId) ?? [];
    list.push(event);
    events.set(userId, list);
  };
  for (const order of orderRows) {
    const data = { orderId: order.id, status: order.status, version: order.version, updatedAt: order.updatedAt.toISOString() };
    const id = `order:${order.id}:${order.version}`;
    push(order.userId, { id, type: 'order.updated', version: order.version, data: { ...data, role: 'buyer' } });
    push(order.sellerId, { id, type: 'order.updated', version: order.version, data: { ...data, role: 'seller' } });
  }
  for (const { payment, version } of paymentRows) {
    push(payment.userId, { id: `payment:${payment.id}:${version}`, type: 'payment.updated', version, data: { ...toPaymentResponse(payment, payment.userId), version } });
  }
  for (const n of committed) {
    push(n.userId, {
      id: `notification:${n.id}`,
      type: 'notification.created',
      version: n.createdAt.getTime(),
      data: {
        notification: { id: n.id, orderId: n.orderId, productId: n.productId, title: n.title, body: n.body, isRead: false, createdAt: n.createdAt.toISOString() },
        unreadCount: unreadOf.get(n.userId) ?? 0,
      },
    });
  }
  await Promise.all([...events].map(([userId, list]) => liveStub(env, userId).publish(list)));
}

/** Users that exist and are not deleted, with their session version (the ticket is bound to it). */
export async function currentSessionVersion(env: AppEnv, userId: string): Promise<number | null> {
  const [row] = await createDb(env)
    .select({ sessionVersion: users.sessionVersion })
    .from(users)
    .where(and(eq(users.id, userId), isNull(users.deletedAt)));
  return row?.sessionVersion ?? null;
}
