import { sql } from 'drizzle-orm';
import { bigint, boolean, char, check, index, integer, pgTable, smallint, uniqueIndex, uuid, varchar } from 'drizzle-orm/pg-core';

import { categories } from '@/catalog/tables';
import { createdAt, newId, updatedAt } from '@/platform/columns';

/**
 * A seller's shipping option (docs/decisions/marketplace.md). A checkout picks one active option per seller; a seller
 * with no active option ships with the platform default (workers/marketplace/shipping.ts).
 */
export const shippingOptions = pgTable(
  'shipping_options',
  {
    id: uuid().primaryKey().$defaultFn(newId),
    sellerId: uuid().notNull(),
    name: varchar({ length: 100 }).notNull(),
    priceCents: integer().notNull(),
    /** The option is free when the seller's part of the cart (its lines) costs at least this much. */
    freeOverCents: integer(),
    minDays: smallint().notNull(),
    maxDays: smallint().notNull(),
    active: boolean().notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check('shipping_options_price_check', sql`${t.priceCents} >= 0`),
    check('shipping_options_free_over_check', sql`${t.freeOverCents} is null or ${t.freeOverCents} >= 0`),
    check('shipping_options_days_check', sql`${t.minDays} >= 0 and ${t.minDays} <= ${t.maxDays}`),
    index('shipping_options_seller_idx').on(t.sellerId, t.active),
  ],
);

/** Per-category override of the platform commission (`PLATFORM_COMMISSION_BPS`), in basis points (1/100 %). */
export const categoryCommissionRates = pgTable(
  'category_commission_rates',
  {
    categoryId: bigint({ mode: 'number' })
      .primaryKey()
      .references(() => categories.id, { onDelete: 'cascade' }),
    rateBps: integer().notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [check('category_commission_rates_rate_check', sql`${t.rateBps} >= 0 and ${t.rateBps} <= 10000`)],
);

export const LEDGER_ENTRY_TYPES = ['SALE', 'RELEASE', 'REFUND', 'RETURN', 'PAYOUT', 'PAYOUT_REVERSAL'] as const;
export type LedgerEntryType = (typeof LEDGER_ENTRY_TYPES)[number];

/**
 * The sellers' earnings ledger: append-only, one row per money movement, each moving amounts between the seller's
 * `pending` and `available` buckets (signed cents). A seller's balance is the sum of its rows.
 *
 * - SALE (order paid): pending += gross − commission; `grossCents`/`commissionCents` say how it splits.
 * - RELEASE (order DELIVERED, or N days after shipping): pending −= net, available += net.
 * - REFUND (a paid order cancelled): pending −= net, and the commission is reversed (`commissionCents` < 0).
 * - RETURN (part of a delivered order refunded after a return): gross −= refund, commission −= its share, the net
 *   leaves `available` (or `pending` when not yet released); one per return (`returnId`).
 * - PAYOUT (admin pays the seller): available −= amount. PAYOUT_REVERSAL (the transfer failed): available += amount.
 *
 * One SALE/RELEASE/REFUND per order (unique), one RETURN per return, one PAYOUT/PAYOUT_REVERSAL per payout: every writer is idempotent.
 */
export const sellerLedgerEntries = pgTable(
  'seller_ledger_entries',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    sellerId: uuid().notNull(),
    type: varchar({ length: 16 }).$type<LedgerEntryType>().notNull(),
    orderId: uuid(),
    checkoutId: uuid(),
    payoutId: uuid(),
    returnId: uuid(),
    /** What the buyer paid for the order (SALE, REFUND as a negative), 0 otherwise. */
    grossCents: bigint({ mode: 'number' }).notNull().default(0),
    /** The platform's part of `grossCents` (negative on a REFUND). */
    commissionCents: bigint({ mode: 'number' }).notNull().default(0),
    pendingDeltaCents: bigint({ mode: 'number' }).notNull().default(0),
    availableDeltaCents: bigint({ mode: 'number' }).notNull().default(0),
    currency: char({ length: 3 }).notNull().default('USD'),
    memo: varchar({ length: 255 }),
    createdAt: createdAt(),
  },
  (t) => [
    check('seller_ledger_entries_type_check', sql`${t.type} in ('SALE', 'RELEASE', 'REFUND', 'RETURN', 'PAYOUT', 'PAYOUT_REVERSAL')`),
    index('seller_ledger_entries_seller_idx').on(t.sellerId, t.createdAt.desc(), t.id.desc()),
    uniqueIndex('seller_ledger_entries_order_type_idx').on(t.orderId, t.type).where(sql`${t.orderId} is not null and ${t.returnId} is null`),
    uniqueIndex('seller_ledger_entries_return_type_idx').on(t.returnId, t.type).where(sql`${t.returnId} is not null`),
    uniqueIndex('seller_ledger_entries_payout_type_idx').on(t.payoutId, t.type).where(sql`${t.payoutId} is not null`),
  ],
);

export const PAYOUT_STATUSES = ['PENDING', 'PAID', 'FAILED'] as const;
export type PayoutStatus = (typeof PAYOUT_STATUSES)[number];

/** A transfer of available earnings to a seller through the {@link PayoutProvider} (workers/marketplace/payouts.ts). */
export const payouts = pgTable(
  'payouts',
  {
    id: uuid().primaryKey().$defaultFn(newId),
    sellerId: uuid().notNull(),
    amountCents: bigint({ mode: 'number' }).notNull(),
    currency: char({ length: 3 }).notNull().default('USD'),
    status: varchar({ length: 16 }).$type<PayoutStatus>().notNull().default('PENDING'),
    providerReference: varchar({ length: 100 }),
    failureReason: varchar({ length: 255 }),
    requestedBy: uuid().notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check('payouts_amount_check', sql`${t.amountCents} > 0`),
    check('payouts_status_check', sql`${t.status} in ('PENDING', 'PAID', 'FAILED')`),
    index('payouts_seller_created_idx').on(t.sellerId, t.createdAt.desc()),
  ],
);

/** Where a seller's payouts go with the Stripe Connect provider (onboarding fills it; see docs/decisions/marketplace.md). */
export const sellerPayoutAccounts = pgTable('seller_payout_accounts', {
  sellerId: uuid().primaryKey(),
  stripeAccountId: varchar({ length: 64 }).notNull(),
  updatedAt: updatedAt(),
});
