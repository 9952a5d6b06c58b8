import { sql } from 'drizzle-orm';
import { bigint, check, integer, pgTable, primaryKey, timestamp, uniqueIndex, uuid, varchar } from 'drizzle-orm/pg-core';

import { createdAt, newId, updatedAt } from '@/platform/columns';

export const CART_STATUSES = ['ACTIVE', 'CHECKED_OUT', 'ABANDONED'] as const;
export type CartStatus = (typeof CART_STATUSES)[number];

/** Reporting mirror of each shopper's CartDO (the Durable Object is the source of truth). */
export const carts = pgTable(
  'carts',
  {
    id: uuid().primaryKey().$defaultFn(newId),
    userId: uuid().notNull(),
    status: varchar({ length: 16 }).$type<CartStatus>().notNull().default('ACTIVE'),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check('carts_status_check', sql`${t.status} in ('ACTIVE', 'CHECKED_OUT', 'ABANDONED')`),
    uniqueIndex('carts_one_active_per_user_key').on(t.userId).where(sql`${t.status} = 'ACTIVE'`),
  ],
);

export const cartItems = pgTable(
  'cart_items',
  {
    cartId: uuid()
      .notNull()
      .references(() => carts.id, { onDelete: 'cascade' }),
    productId: bigint({ mode: 'number' }).notNull(),
    quantity: integer().notNull(),
    unitPriceSnapshotCents: integer().notNull(),
    productNameSnapshot: varchar({ length: 200 }).notNull(),
    sellerId: uuid().notNull(),
    addedAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.cartId, t.productId] }), check('cart_items_quantity_check', sql`${t.quantity} between 1 and 999`)],
);
