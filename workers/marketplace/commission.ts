import { inArray } from 'drizzle-orm';

import { categoryCommissionRates } from '@/marketplace/tables';
import type { Queryable } from '@/platform/db';

/** The platform's commission when neither the environment nor a category says otherwise: 10 %. */
export const DEFAULT_COMMISSION_BPS = 1000;

/** `PLATFORM_COMMISSION_BPS` (basis points, 0–10000) or the default; a bad value fails loudly. */
export function commissionBpsFromEnv(value: string | undefined): number {
  if (value === undefined || value.trim() === '') return DEFAULT_COMMISSION_BPS;
  const bps = Number(value);
  if (!Number.isInteger(bps) || bps < 0 || bps > 10_000) throw new Error(`PLATFORM_COMMISSION_BPS must be an integer 0–10000, got "${value}"`);
  return bps;
}

export interface CommissionLine {
  categoryId: number | null;
  /** unit price × quantity */
  lineCents: number;
}

/**
 * The platform's cut of one seller order: each line's subtotal at its category's rate (an override in
 * `category_commission_rates`) or the platform rate, rounded once per order. Shipping is not commissioned: it
 * passes through to the seller who ships.
 */
export async function commissionCents(q: Queryable, lines: readonly CommissionLine[], defaultBps: number): Promise<number> {
  const categoryIds = [...new Set(lines.map((line) => line.categoryId).filter((id): id is number => id !== null))];
  const overrides = new Map<number, number>();
  if (categoryIds.length > 0) {
    const rows = await q.select({ categoryId: categoryCommissionRates.categoryId, rateBps: categoryCommissionRates.rateBps }).from(categoryCommissionRates).where(inArray(categoryCommissionRates.categoryId, categoryIds));
    for (const row of rows) overrides.set(row.categoryId, row.rateBps);
  }
  const exact = lines.reduce((sum, line) => sum + line.lineCents * ((line.categoryId !== null ? overrides.get(line.categoryId) : undefined) ?? defaultBps), 0) / 10_000;
  return Math.round(exact);
}

/** The platform's share of a refund: the order's commission prorated by the refunded part of its total. */
export const commissionShareCents = (refundCents: number, order: { totalCents: number; commissionCents: number }) =>
  order.totalCents <= 0 ? 0 : Math.round((order.commissionCents * refundCents) / order.totalCents);
