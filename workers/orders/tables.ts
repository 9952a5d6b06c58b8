import { sql } from 'drizzle-orm';
import { bigint, char, check, index, integer, jsonb, pgTable, text, timestamp, uuid, varchar } from 'drizzle-orm/pg-core';

import { createdAt, newId, updatedAt } from '@/platform/columns';

export const ORDER_STATUSES = ['PENDING', 'CONFIRMED', 'SHIPPED', 'DELIVERED', 'CANCELLED'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export interface ShippingAddress {
  street: string;
  city: string;
  state: string;
  country: string;
  zipCode: string;
}

export const orders = pgTable(
  'orders',
  {
    id: uuid().primaryKey().$defaultFn(newId),
    userId: uuid().notNull(),
    /** One seller per order; a multi-seller cart checks out one seller group at a time. */
    sellerId: uuid().notNull(),
    cartId: uuid(),
    status: varchar({ length: 16 }).$type<OrderStatus>().notNull().default('PENDING'),
    totalCents: bigint({ mode: 'number' }).notNull(),
    currency: char({ length: 3 }).notNull().default('USD'),
    shippingAddress: jsonb().$type<ShippingAddress>().notNull(),
    cancelReason: varchar({ length: 255 }),
    paymentId: uuid(),
    /** Set by the seller when shipping (both or neither). */
    shipmentCarrier: varchar({ length: 40 }),
    trackingNumber: varchar({ length: 40 }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check('orders_status_check', sql`${t.status} in ('PENDING', 'CONFIRMED', 'SHIPPED', 'DELIVERED', 'CANCELLED')`),
    check('orders_total_check', sql`${t.totalCents} >= 0`),
    index('orders_user_created_idx').on(t.userId, t.createdAt.desc()),
    index('orders_seller_status_created_idx').on(t.sellerId, t.status, t.createdAt.desc()),
    index('orders_status_created_idx').on(t.status, t.createdAt),
    // The operator console's today/7 d/30 d figures and admin date-range search.
    index('orders_created_idx').on(t.createdAt),
    // Admin search by the short order number people quote (the id's last 8 hex digits).
    index('orders_short_number_idx').on(sql`right(replace(${t.id}::text, '-', ''), 8)`),
  ],
);

export const orderItems = pgTable(
  'order_items',
  {
    id: uuid().primaryKey().$defaultFn(newId),
    orderId: uuid()
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    productId: bigint({ mode: 'number' }).notNull(),
    sellerId: uuid().notNull(),
    productName: varchar({ length: 200 }).notNull(),
    /** Snapshot of the server's price when the order was placed. */
    unitPriceCents: integer().notNull(),
    quantity: integer().notNull(),
    imageUrl: text(),
  },
  (t) => [index('order_items_order_idx').on(t.orderId), check('order_items_quantity_check', sql`${t.quantity} > 0`)],
);

export const orderStatusHistory = pgTable(
  'order_status_history',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    orderId: uuid()
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    oldStatus: varchar({ length: 16 }).$type<OrderStatus>(),
    newStatus: varchar({ length: 16 }).$type<OrderStatus>().notNull(),
    reason: varchar({ length: 255 }),
    /** A user id, or `system:payments` / `system:reaper`. */
    changedBy: varchar({ length: 64 }).notNull(),
    changedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('order_status_history_order_idx').on(t.orderId, t.changedAt)],
);

/** Transactional outbox: written with the state change, relayed to Queues after commit, swept by cron. */
export const outbox = pgTable(
  'outbox',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    aggregateId: uuid().notNull(),
    eventType: varchar({ length: 64 }).notNull(),
    payload: jsonb().notNull(),
    headers: jsonb().$type<Record<string, string>>().notNull().default({}),
    createdAt: createdAt(),
    publishedAt: timestamp({ withTimezone: true }),
    attempts: integer().notNull().default(0),
    lastError: text(),
  },
  (t) => [index('outbox_unpublished_idx').on(t.createdAt).where(sql`${t.publishedAt} is null`)],
);
