import { sql } from 'drizzle-orm';
import { bigint, boolean, check, index, pgTable, text, uuid, varchar } from 'drizzle-orm/pg-core';

import { createdAt, newId } from '@/platform/columns';

/** In-app notifications, written in the same transaction as the state change they announce. */
export const notifications = pgTable(
  'notifications',
  {
    id: uuid().primaryKey().$defaultFn(newId),
    userId: uuid().notNull(),
    type: varchar({ length: 40 }).notNull(),
    title: varchar({ length: 255 }).notNull(),
    body: text(),
    orderId: uuid(),
    productId: bigint({ mode: 'number' }),
    isRead: boolean().notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [
    check('notifications_one_link_check', sql`(${t.orderId} is null) <> (${t.productId} is null)`),
    index('notifications_user_created_idx').on(t.userId, t.createdAt.desc()),
    index('notifications_user_unread_idx').on(t.userId).where(sql`not ${t.isRead}`),
  ],
);
