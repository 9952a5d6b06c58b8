import { notifications } from '@/notifications/tables';
import type { Queryable } from '@/platform/db';

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
 * the notice exists exactly when the change does (SPEC §4.5; the seed wrote them outside the
 * transaction and lost them on failure).
 */
export async function createNotification(q: Queryable, input: NewNotification): Promise<void> {
  await q.insert(notifications).values({
    userId: input.userId,
    type: input.type,
    title: input.title.slice(0, 255),
    body: input.body ?? null,
    orderId: input.orderId ?? null,
    productId: input.productId ?? null,
  });
}

/** First 8 hex characters of an order id, upper-cased: how orders are named to people. */
export const shortOrderNumber = (orderId: string) => orderId.replaceAll('-', '').slice(0, 8).toUpperCase();
