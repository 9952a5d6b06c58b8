import { and, count, desc, eq, sql } from 'drizzle-orm';

import { notifications } from '@/notifications/tables';
import type { Db, Queryable } from '@/platform/db';
import { publishLiveAfterCommit, type LiveEvent } from '@/platform/live-events';
import { notFound } from '@/platform/errors';

/** What a notification links to: exactly one of an order or a product. */
export type NotificationLink = { orderId: string; productId?: never } | { productId: number; orderId?: never };

export type NewNotification = NotificationLink & {
  userId: string;
  type: string;
  title: string;
  body?: string | null;
};

/**
 * Writes an in-app notification. Pass the open transaction of the state change it announces, so
 * the notice exists exactly when the change does (the seed wrote them outside the
 * transaction and lost them on failure). Once that transaction commits, the recipient's open sockets get it as
 * `notification.created` with their unread count, counted by the insert itself.
 */
export async function createNotification(q: Queryable, input: NewNotification): Promise<void> {
  // Both clients build the same SQL; the cast only picks one overload of the builder.
  const [row] = await (q as Db)
    .insert(notifications)
    .values({
      userId: input.userId,
      type: input.type,
      title: input.title.slice(0, 255),
      body: input.body ?? null,
      orderId: input.orderId ?? null,
      productId: input.productId ?? null,
      // The insert's own instant rather than the transaction's start (`now()`): notifications of one transaction get
      // distinct times, and the live event's age can be told from it (`npm run bench:live`).
      createdAt: sql`clock_timestamp()`,
    })
    .returning({
      id: notifications.id,
      orderId: notifications.orderId,
      productId: notifications.productId,
      title: notifications.title,
      body: notifications.body,
      createdAt: notifications.createdAt,
      // A statement does not see its own insert: the unread rows before it, plus this one.
      unreadCount: sql<number>`(select count(*) from ${notifications} n where n.user_id = ${input.userId} and not n.is_read) + 1`.mapWith(Number),
    });
  if (row) publishLiveAfterCommit(q, [{ userId: input.userId, event: notificationCreated(row) }]);
}

/** The bell's item as `GET /orders/notifications` lists it, with the recipient's unread count. */
function notificationCreated({ unreadCount, ...n }: { id: string; orderId: string | null; productId: number | null; title: string; body: string | null; createdAt: Date; unreadCount: number }): LiveEvent {
  return {
    id: `notification:${n.id}`,
    type: 'notification.created',
    version: n.createdAt.getTime(),
    data: { notification: { ...n, isRead: false, createdAt: n.createdAt.toISOString() }, unreadCount },
  };
}

/**
 * How orders are named to people: 8 hex characters of the id, upper-cased. The original system used the first 8, which
 * were random for the seed's UUIDv4 ids; ours are UUIDv7, whose first 8 are a timestamp shared by every order
 * placed in the same ~65 s, so we take the last 8 (random bits) instead.
 */
export const shortOrderNumber = (orderId: string) => orderId.replaceAll('-', '').slice(-8).toUpperCase();

/** Newest notifications shown in the SPA's bell. */
const NOTIFICATION_LIST_LIMIT = 20;

/** The caller's unread count and newest notifications. */
export async function listNotifications(db: Queryable, userId: string) {
  const [items, [unread]] = await Promise.all([
    db
      .select({
        id: notifications.id,
        orderId: notifications.orderId,
        productId: notifications.productId,
        title: notifications.title,
        body: notifications.body,
        isRead: notifications.isRead,
        createdAt: notifications.createdAt,
      })
      .from(notifications)
      .where(eq(notifications.userId, userId))
      .orderBy(desc(notifications.createdAt), desc(notifications.id))
      .limit(NOTIFICATION_LIST_LIMIT),
    db
      .select({ total: count() })
      .from(notifications)
      .where(and(eq(notifications.userId, userId), eq(notifications.isRead, false))),
  ]);
  return { unreadCount: unread?.total ?? 0, items: items.map((item) => ({ ...item, createdAt: item.createdAt.toISOString() })) };
}

/** Marks every unread notification of the caller as read. */
export async function markAllNotificationsRead(db: Queryable, userId: string): Promise<void> {
  await db
    .update(notifications)
    .set({ isRead: true })
    .where(and(eq(notifications.userId, userId), eq(notifications.isRead, false)));
}

/** Marks one notification read; someone else's (or a missing) id is 404, never a hint that it exists. */
export async function markNotificationRead(db: Db, userId: string, id: string): Promise<void> {
  const rows = await db
    .update(notifications)
    .set({ isRead: true })
    .where(and(eq(notifications.id, id), eq(notifications.userId, userId)))
    .returning({ id: notifications.id });
  if (rows.length === 0) throw notFound('NOTIFICATION_NOT_FOUND', 'Notification not found');
}
