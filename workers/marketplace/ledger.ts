import { and, desc, count, eq, inArray, sql, type SQL, type SQLWrapper } from 'drizzle-orm';

import { centsToAmount } from '@contract/money';
import { commissionShareCents } from '@/marketplace/commission';
import { sellerLedgerEntries, type LedgerEntryType } from '@/marketplace/tables';
import type { Db, Queryable, Tx } from '@/platform/db';
import { pageMeta, pageOffset } from '@/platform/pagination';

/**
 * The sellers' earnings ledger (docs/decisions/marketplace.md, workers/marketplace/tables.ts). The order service
 * writes SALE / REFUND / RELEASE inside the transaction that changes the order, so the ledger and the order can
 * never disagree; each is unique per order, so a repeated step writes nothing.
 */

/** What the ledger needs of an order (the orders domain passes its row). */
interface LedgerOrder {
  id: string;
  sellerId: string;
  checkoutId: string | null;
  totalCents: number;
  commissionCents: number;
  currency: string;
}

const insertOnce = (tx: Tx, values: typeof sellerLedgerEntries.$inferInsert) => tx.insert(sellerLedgerEntries).values(values).onConflictDoNothing();

/** The order was paid (→ CONFIRMED): the seller earns its total less the commission, pending until released. */
export async function recordSale(tx: Tx, order: LedgerOrder): Promise<void> {
  const net = order.totalCents - order.commissionCents;
  await insertOnce(tx, { sellerId: order.sellerId, type: 'SALE', orderId: order.id, checkoutId: order.checkoutId, grossCents: order.totalCents, commissionCents: order.commissionCents, pendingDeltaCents: net, currency: order.currency, memo: 'order paid' });
}

/**
 * A paid order was cancelled (the buyer is refunded its total): the sale is reversed, commission included. Only a
 * CONFIRMED order can be cancelled, so its earnings are still pending. No SALE → nothing to reverse.
 */
export async function recordRefund(tx: Tx, order: LedgerOrder, reason: string): Promise<void> {
  const [sale] = await tx.select().from(sellerLedgerEntries).where(and(eq(sellerLedgerEntries.orderId, order.id), eq(sellerLedgerEntries.type, 'SALE')));
  if (!sale) return;
  await insertOnce(tx, {
    sellerId: sale.sellerId,
    type: 'REFUND',
    orderId: order.id,
    checkoutId: order.checkoutId,
    grossCents: -sale.grossCents,
    commissionCents: -sale.commissionCents,
    pendingDeltaCents: -sale.pendingDeltaCents,
    currency: sale.currency,
    memo: `refunded: ${reason}`.slice(0, 255),
  });
}

/**
 * Part of a delivered order was refunded after a return: the seller gives back the refund less the platform's
 * prorated commission, from `available` once the sale was released (else from `pending`); one entry per return.
 * `available` may go below zero when the earnings were already paid out: the next payouts recover it.
 */
export async function recordReturnRefund(tx: Tx, order: Pick<LedgerOrder, 'id' | 'checkoutId'>, refund: { returnId: string; refundCents: number }): Promise<void> {
  const entries = await tx.select().from(sellerLedgerEntries).where(and(eq(sellerLedgerEntries.orderId, order.id), inArray(sellerLedgerEntries.type, ['SALE', 'RELEASE'])));
  const sale = entries.find((entry) => entry.type === 'SALE');
  if (!sale || refund.refundCents <= 0) return;
  const commission = commissionShareCents(refund.refundCents, { totalCents: sale.grossCents, commissionCents: sale.commissionCents });
  const net = refund.refundCents - commission;
  const released = entries.some((entry) => entry.type === 'RELEASE');
  await insertOnce(tx, {
    sellerId: sale.sellerId,
    type: 'RETURN',
    orderId: order.id,
    returnId: refund.returnId,
    checkoutId: order.checkoutId,
    grossCents: -refund.refundCents,
    commissionCents: -commission,
    pendingDeltaCents: released ? 0 : -net,
    availableDeltaCents: released ? -net : 0,
    currency: sale.currency,
    memo: 'return refunded',
  });
}

/** The order was delivered (or shipped long enough ago): its net earnings become available for payout. */
export async function recordRelease(tx: Tx, order: Pick<LedgerOrder, 'id'>, memo: string): Promise<boolean> {
  const [sale] = await tx.select().from(sellerLedgerEntries).where(and(eq(sellerLedgerEntries.orderId, order.id), eq(sellerLedgerEntries.type, 'SALE')));
  if (!sale) return false;
  const rows = await tx
    .insert(sellerLedgerEntries)
    .values({ sellerId: sale.sellerId, type: 'RELEASE', orderId: order.id, checkoutId: sale.checkoutId, pendingDeltaCents: -sale.pendingDeltaCents, availableDeltaCents: sale.pendingDeltaCents, currency: sale.currency, memo })
    .onConflictDoNothing()
    .returning({ id: sellerLedgerEntries.id });
  return rows.length > 0;
}

export interface SellerBalance {
  sellerId: string;
  currency: string;
  /** Earned on paid orders not yet delivered. */
  pending: number;
  /** Released and not yet paid out: what a payout may take. */
  available: number;
  /** Σ of the seller's sales (gross), refunds deducted. */
  grossSales: number;
  /** Σ of the commission kept by the platform, refunds deducted. */
  commission: number;
  /** Σ of payouts made (failed ones given back). */
  paidOut: number;
}

/** Integer-cent balance of one seller (the payout check reads it under the seller's lock). */
export async function balanceCents(q: Queryable, sellerId: string) {
  const [row] = await q
    .select({
      pending: sql<string>`coalesce(sum(${sellerLedgerEntries.pendingDeltaCents}), 0)`,
      available: sql<string>`coalesce(sum(${sellerLedgerEntries.availableDeltaCents}), 0)`,
      gross: sql<string>`coalesce(sum(${sellerLedgerEntries.grossCents}), 0)`,
      commission: sql<string>`coalesce(sum(${sellerLedgerEntries.commissionCents}), 0)`,
      paidOut: sql<string>`coalesce(-sum(${sellerLedgerEntries.availableDeltaCents}) filter (where ${sellerLedgerEntries.type} in ('PAYOUT', 'PAYOUT_REVERSAL')), 0)`,
    })
    .from(sellerLedgerEntries)
    .where(eq(sellerLedgerEntries.sellerId, sellerId));
  return { pending: Number(row?.pending ?? 0), available: Number(row?.available ?? 0), gross: Number(row?.gross ?? 0), commission: Number(row?.commission ?? 0), paidOut: Number(row?.paidOut ?? 0) };
}

export async function sellerBalance(q: Queryable, sellerId: string): Promise<SellerBalance> {
  const cents = await balanceCents(q, sellerId);
  return {
    sellerId,
    currency: 'USD',
    pending: centsToAmount(cents.pending),
    available: centsToAmount(cents.available),
    grossSales: centsToAmount(cents.gross),
    commission: centsToAmount(cents.commission),
    paidOut: centsToAmount(cents.paidOut),
  };
}

export type LedgerEntryResponse = ReturnType<typeof toLedgerEntryResponse>;

function toLedgerEntryResponse(row: typeof sellerLedgerEntries.$inferSelect) {
  return {
    id: row.id,
    sellerId: row.sellerId,
    type: row.type,
    orderId: row.orderId,
    checkoutId: row.checkoutId,
    payoutId: row.payoutId,
    gross: centsToAmount(row.grossCents),
    commission: centsToAmount(row.commissionCents),
    pendingDelta: centsToAmount(row.pendingDeltaCents),
    availableDelta: centsToAmount(row.availableDeltaCents),
    currency: row.currency,
    memo: row.memo,
    createdAt: row.createdAt.toISOString(),
  };
}

/** A seller's entries, newest first (or every seller's, for an admin without `sellerId`). */
export async function listLedger(db: Db, query: { page: number; size: number; sellerId?: string | undefined; type?: LedgerEntryType | undefined }) {
  const where = and(query.sellerId ? eq(sellerLedgerEntries.sellerId, query.sellerId) : undefined, query.type ? eq(sellerLedgerEntries.type, query.type) : undefined);
  const [rows, [total]] = await Promise.all([
    db.select().from(sellerLedgerEntries).where(where).orderBy(desc(sellerLedgerEntries.createdAt), desc(sellerLedgerEntries.id)).limit(query.size).offset(pageOffset(query)),
    db.select({ total: count() }).from(sellerLedgerEntries).where(where),
  ]);
  return { data: rows.map(toLedgerEntryResponse), meta: pageMeta(query.page, query.size, total?.total ?? 0) };
}

/** Days after shipping at which a SHIPPED order's earnings are released even without a delivery confirmation. */
export const RELEASE_AFTER_SHIPPING_DAYS = 14;

/**
 * A condition for the orders domain's query of the orders whose earnings a cron may release: the order (its id
 * column) has a SALE and no RELEASE yet. A condition rather than a list of ids, so the query's limit counts only
 * orders still to release.
 */
export const awaitingRelease = (orderId: SQLWrapper): SQL =>
  sql`exists (select 1 from ${sellerLedgerEntries} s where s.order_id = ${orderId} and s.type = 'SALE') and not exists (select 1 from ${sellerLedgerEntries} r where r.order_id = ${orderId} and r.type = 'RELEASE')`;

/** Releases the earnings of each order, each in its own transaction (a repeat writes nothing); how many were released. */
export async function releaseEarnings(transaction: <T>(fn: (tx: Tx) => Promise<T>) => Promise<T>, orderIds: readonly string[], memo: string): Promise<number> {
  let released = 0;
  for (const id of orderIds) {
    if (await transaction((tx) => recordRelease(tx, { id }, memo))) released++;
  }
  return released;
}
