import { sql } from 'drizzle-orm';
import { bigint, boolean, check, index, integer, pgTable, timestamp, unique, uuid, varchar } from 'drizzle-orm/pg-core';

import { orderItems, orders } from '@/orders/tables';
import { createdAt, newId, updatedAt } from '@/platform/columns';
import { RETURN_STATUSES } from '@contract/returns';

// The statuses are on the wire too (an order's answer lists its returns'), so the list lives in the shared contract.
export { RETURN_STATUSES };
export type ReturnStatus = (typeof RETURN_STATUSES)[number];

/**
 * A buyer's request to send back some lines of a DELIVERED order. `refundCents` is fixed when the seller marks it
 * RECEIVED (lines' paid price, plus shipping when it completes the return of the whole order) and paid back through
 * the order's payment as one partial refund keyed by this return's id, so a retry never refunds twice.
 */
export const returns = pgTable(
  'returns',
  {
    id: uuid().primaryKey().$defaultFn(newId),
    orderId: uuid()
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    buyerId: uuid().notNull(),
    sellerId: uuid().notNull(),
    status: varchar({ length: 16 }).$type<ReturnStatus>().notNull().default('REQUESTED'),
    reason: varchar({ length: 500 }).notNull(),
    sellerNote: varchar({ length: 500 }),
    /** Chosen by the seller when marking it received: the units go back on the shelf (once, keyed by this id). */
    restock: boolean().notNull().default(false),
    /** Fixed at RECEIVED; null before. */
    refundCents: bigint({ mode: 'number' }),
    currency: varchar({ length: 3 }).notNull().default('USD'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    receivedAt: timestamp({ withTimezone: true }),
    refundedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    check('returns_status_check', sql`${t.status} in ('REQUESTED', 'APPROVED', 'REJECTED', 'SENT', 'RECEIVED', 'REFUNDED')`),
    check('returns_refund_check', sql`${t.refundCents} is null or ${t.refundCents} >= 0`),
    index('returns_order_idx').on(t.orderId),
    index('returns_buyer_created_idx').on(t.buyerId, t.createdAt.desc()),
    index('returns_seller_created_idx').on(t.sellerId, t.createdAt.desc()),
  ],
);

export const returnLines = pgTable(
  'return_lines',
  {
    id: uuid().primaryKey().$defaultFn(newId),
    returnId: uuid()
      .notNull()
      .references(() => returns.id, { onDelete: 'cascade' }),
    orderItemId: uuid()
      .notNull()
      .references(() => orderItems.id, { onDelete: 'cascade' }),
    quantity: integer().notNull(),
  },
  (t) => [check('return_lines_quantity_check', sql`${t.quantity} > 0`), unique('return_lines_return_item_key').on(t.returnId, t.orderItemId), index('return_lines_item_idx').on(t.orderItemId)],
);

export const returnStatusHistory = pgTable(
  'return_status_history',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    returnId: uuid()
      .notNull()
      .references(() => returns.id, { onDelete: 'cascade' }),
    oldStatus: varchar({ length: 16 }).$type<ReturnStatus>(),
    newStatus: varchar({ length: 16 }).$type<ReturnStatus>().notNull(),
    note: varchar({ length: 500 }),
    changedBy: varchar({ length: 64 }).notNull(),
    changedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('return_status_history_return_idx').on(t.returnId, t.changedAt)],
);
