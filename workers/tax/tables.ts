import { sql } from 'drizzle-orm';
import { bigint, check, integer, pgTable, uniqueIndex, uuid, varchar } from 'drizzle-orm/pg-core';

import { categories } from '@/catalog/tables';
import { createdAt, newId, updatedAt } from '@/platform/columns';

export const TAX_APPLIES_TO = ['goods', 'shipping'] as const;
export type TaxAppliesTo = (typeof TAX_APPLIES_TO)[number];

/**
 * Tax rates managed by the admin (docs/decisions/promotions.md): per country (matched case-insensitively against the
 * address), optionally per state/region, optionally per category (goods only); shipping has rates of its own.
 * `ratePpm` is parts per million (8.875 % = 88 750), so rates are exact integers.
 */
export const taxRates = pgTable(
  'tax_rates',
  {
    id: uuid().primaryKey().$defaultFn(newId),
    country: varchar({ length: 100 }).notNull(),
    region: varchar({ length: 100 }),
    categoryId: bigint({ mode: 'number' }).references(() => categories.id, { onDelete: 'cascade' }),
    appliesTo: varchar({ length: 16 }).$type<TaxAppliesTo>().notNull().default('goods'),
    ratePpm: integer().notNull(),
    name: varchar({ length: 100 }).notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check('tax_rates_rate_check', sql`${t.ratePpm} >= 0 and ${t.ratePpm} <= 1000000`),
    check('tax_rates_applies_to_check', sql`${t.appliesTo} in ('goods', 'shipping') and (${t.appliesTo} = 'goods' or ${t.categoryId} is null)`),
    uniqueIndex('tax_rates_key_idx').on(sql`lower(${t.country})`, sql`coalesce(lower(${t.region}), '')`, sql`coalesce(${t.categoryId}, 0)`, t.appliesTo),
  ],
);
