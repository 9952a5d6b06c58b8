import { sql } from 'drizzle-orm';
import { bigint, boolean, check, index, integer, jsonb, pgTable, timestamp, uniqueIndex, uuid, varchar } from 'drizzle-orm/pg-core';

import { categories } from '@/catalog/tables';
import { createdAt, newId, updatedAt } from '@/platform/columns';

export const PROMOTION_TYPES = ['percentage', 'fixed', 'free_shipping'] as const;
export type PromotionType = (typeof PROMOTION_TYPES)[number];
export const PROMOTION_SCOPES = ['order', 'seller', 'category', 'products'] as const;
export type PromotionScope = (typeof PROMOTION_SCOPES)[number];
export const PROMOTION_FUNDERS = ['platform', 'seller'] as const;
export type PromotionFunder = (typeof PROMOTION_FUNDERS)[number];

/**
 * A promotion (docs/decisions/promotions.md): a code (or none: automatic), what it takes off, which lines it may
 * touch, when and how often. `usedCount` is the number of purchases holding an unreleased redemption; the checkout
 * raises it with a conditional UPDATE (`used_count < usage_limit`), a cancelled purchase gives it back.
 */
export const promotions = pgTable(
  'promotions',
  {
    id: uuid().primaryKey().$defaultFn(newId),
    /** Upper-cased; null = automatic (applies to every purchase it fits). */
    code: varchar({ length: 40 }),
    name: varchar({ length: 120 }).notNull(),
    type: varchar({ length: 16 }).$type<PromotionType>().notNull(),
    /** percentage: basis points (1500 = 15 %); fixed: cents; free_shipping: 0. */
    value: integer().notNull().default(0),
    scope: varchar({ length: 16 }).$type<PromotionScope>().notNull().default('order'),
    /** Only this seller's lines may be discounted (always set for a seller-funded promotion). */
    sellerId: uuid(),
    categoryId: bigint({ mode: 'number' }).references(() => categories.id, { onDelete: 'set null' }),
    productIds: jsonb().$type<number[]>(),
    minSubtotalCents: integer(),
    startsAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    endsAt: timestamp({ withTimezone: true }),
    usageLimit: integer(),
    perCustomerLimit: integer(),
    usedCount: integer().notNull().default(0),
    active: boolean().notNull().default(true),
    fundedBy: varchar({ length: 16 }).$type<PromotionFunder>().notNull(),
    createdBy: uuid().notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check('promotions_type_check', sql`${t.type} in ('percentage', 'fixed', 'free_shipping')`),
    check('promotions_scope_check', sql`${t.scope} in ('order', 'seller', 'category', 'products')`),
    check('promotions_funded_by_check', sql`${t.fundedBy} in ('platform', 'seller') and (${t.fundedBy} = 'platform' or ${t.sellerId} is not null)`),
    check('promotions_value_check', sql`${t.value} >= 0 and (${t.type} <> 'percentage' or ${t.value} <= 10000)`),
    check('promotions_usage_check', sql`${t.usedCount} >= 0 and (${t.usageLimit} is null or ${t.usedCount} <= ${t.usageLimit})`),
    check('promotions_limits_check', sql`(${t.usageLimit} is null or ${t.usageLimit} > 0) and (${t.perCustomerLimit} is null or ${t.perCustomerLimit} > 0) and (${t.minSubtotalCents} is null or ${t.minSubtotalCents} >= 0)`),
    check('promotions_window_check', sql`${t.endsAt} is null or ${t.endsAt} > ${t.startsAt}`),
    uniqueIndex('promotions_code_idx').on(t.code).where(sql`${t.code} is not null`),
    index('promotions_automatic_idx').on(t.active).where(sql`${t.code} is null`),
    index('promotions_seller_idx').on(t.sellerId, t.createdAt.desc()),
  ],
);

/**
 * One use of a promotion by one purchase (a checkout, or a single-seller order: `purchaseId` is its id). Released
 * (with `usedCount` given back) when every order of the purchase was cancelled.
 */
export const promotionRedemptions = pgTable(
  'promotion_redemptions',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    promotionId: uuid()
      .notNull()
      .references(() => promotions.id, { onDelete: 'cascade' }),
    userId: uuid().notNull(),
    purchaseId: uuid().notNull(),
    discountCents: bigint({ mode: 'number' }).notNull(),
    releasedAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('promotion_redemptions_purchase_idx').on(t.purchaseId, t.promotionId),
    index('promotion_redemptions_user_idx').on(t.promotionId, t.userId).where(sql`${t.releasedAt} is null`),
  ],
);
