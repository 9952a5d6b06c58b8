import { sql } from 'drizzle-orm';
import { bigint, char, check, index, pgTable, uuid, varchar } from 'drizzle-orm/pg-core';

import { createdAt, newId, updatedAt } from '@/platform/columns';

export const PAYMENT_STATUSES = ['PENDING', 'COMPLETED', 'FAILED', 'REFUNDED'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];
export const PAYMENT_METHODS = ['MOCK_CARD', 'MOCK_WALLET'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

export const payments = pgTable(
  'payments',
  {
    id: uuid().primaryKey().$defaultFn(newId),
    /** One payment per order, whatever the number of deliveries of `order.created`. */
    orderId: uuid().notNull().unique(),
    userId: uuid().notNull(),
    amountCents: bigint({ mode: 'number' }).notNull(),
    currency: char({ length: 3 }).notNull().default('USD'),
    status: varchar({ length: 16 }).$type<PaymentStatus>().notNull().default('PENDING'),
    method: varchar({ length: 16 }).$type<PaymentMethod>().notNull().default('MOCK_CARD'),
    idempotencyKey: varchar({ length: 255 }).notNull().unique(),
    gatewayReference: varchar({ length: 100 }),
    failureReason: varchar({ length: 255 }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check('payments_amount_check', sql`${t.amountCents} > 0`),
    check('payments_status_check', sql`${t.status} in ('PENDING', 'COMPLETED', 'FAILED', 'REFUNDED')`),
    check('payments_method_check', sql`${t.method} in ('MOCK_CARD', 'MOCK_WALLET')`),
    index('payments_user_created_idx').on(t.userId, t.createdAt.desc()),
    index('payments_status_created_idx').on(t.status, t.createdAt),
  ],
);

export const paymentHistory = pgTable(
  'payment_history',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    paymentId: uuid()
      .notNull()
      .references(() => payments.id, { onDelete: 'cascade' }),
    oldStatus: varchar({ length: 16 }).$type<PaymentStatus>(),
    newStatus: varchar({ length: 16 }).$type<PaymentStatus>().notNull(),
    reason: varchar({ length: 255 }),
    createdAt: createdAt(),
  },
  (t) => [index('payment_history_payment_idx').on(t.paymentId, t.createdAt)],
);
