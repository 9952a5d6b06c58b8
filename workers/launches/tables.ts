import { bigint, check, index, integer, pgTable, timestamp, uuid } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';

import { products } from '@/catalog/tables';
import { createdAt, updatedAt } from '@/platform/columns';

/**
 * A product's launch (docs/decisions/flash-sales.md, "Waiting room"): from the moment it is set until `endsAt`,
 * buying the product needs an admission from its waiting room (one `WaitingRoomDO` per launch id). At most one
 * launch per product; changing it keeps its id and line, ending it and setting a new one starts a new line.
 */
export const launches = pgTable(
  'launches',
  {
    id: uuid().primaryKey(),
    productId: bigint({ mode: 'number' })
      .notNull()
      .unique()
      .references(() => products.id, { onDelete: 'cascade' }),
    /** When admissions start; buyers may join the line before. */
    startsAt: timestamp({ withTimezone: true }).notNull(),
    /** After this the product sells normally again; null: until the launch is removed. */
    endsAt: timestamp({ withTimezone: true }),
    /** Tickets admitted per second. */
    admitPerSecond: integer().notNull(),
    /** Live tickets one client address may hold (one per account always). */
    perClientLimit: integer().notNull(),
    /** Units one admission may buy. */
    maxQuantity: integer().notNull(),
    createdBy: uuid().notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('launches_ends_at_idx').on(t.endsAt),
    check('launches_rate_positive', sql`${t.admitPerSecond} > 0`),
    check('launches_client_limit_positive', sql`${t.perClientLimit} > 0`),
    check('launches_max_quantity_positive', sql`${t.maxQuantity} > 0`),
  ],
);

export type LaunchRow = typeof launches.$inferSelect;
