import { and, asc, count, desc, eq, inArray, isNull, lte, or, gt, sql } from 'drizzle-orm';

import { amountToCents, centsToAmount } from '@contract/money';
import { isUniqueViolation } from '@/platform/db';
import { assertCategoryExists, productSellers } from '@/catalog';
import type { Db, Queryable, Tx } from '@/platform/db';
import { AppError, conflict, forbidden, notFound } from '@/platform/errors';
import { availability, type PromotionRule, type Refusal } from '@/promotions/discount';
import type { CreatePromotion, PromotionResponse, UpdatePromotion } from '@/promotions/schema';
import { promotionRedemptions, promotions } from '@/promotions/tables';

/** Promotions: the admin's and the sellers' (docs/decisions/promotions.md), their lookup at checkout and their uses. */

export type PromotionRow = typeof promotions.$inferSelect;

interface Caller {
  id: string;
  role: 'customer' | 'seller' | 'admin';
}


export function toRule(row: PromotionRow): PromotionRule {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    type: row.type,
    value: row.value,
    scope: row.scope,
    sellerId: row.sellerId,
    categoryId: row.categoryId,
    productIds: row.productIds,
    minSubtotalCents: row.minSubtotalCents,
    fundedBy: row.fundedBy,
  };
}

function toResponse(row: PromotionRow, discountGivenCents: number): PromotionResponse {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    type: row.type,
    value: row.type === 'percentage' ? row.value / 100 : row.type === 'fixed' ? centsToAmount(row.value) : 0,
    scope: row.scope,
    sellerId: row.sellerId,
    categoryId: row.categoryId,
    productIds: row.productIds,
    minSubtotal: row.minSubtotalCents === null ? null : centsToAmount(row.minSubtotalCents),
    startsAt: row.startsAt.toISOString(),
    endsAt: row.endsAt?.toISOString() ?? null,
    usageLimit: row.usageLimit,
    perCustomerLimit: row.perCustomerLimit,
    usedCount: row.usedCount,
    discountGiven: centsToAmount(discountGivenCents),
    active: row.active,
    fundedBy: row.fundedBy,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

async function discountGiven(q: Queryable, ids: string[]): Promise<Map<string, number>> {
  if (ids.length === 0) return new Map();
  const rows = await q
    .select({ promotionId: promotionRedemptions.promotionId, total: sql<string>`coalesce(sum(${promotionRedemptions.discountCents}), 0)` })
    .from(promotionRedemptions)
    .where(and(inArray(promotionRedemptions.promotionId, ids), isNull(promotionRedemptions.releasedAt)))
    .groupBy(promotionRedemptions.promotionId);
  return new Map(rows.map((row) => [row.promotionId, Number(row.total)]));
}

/** Every promotion (admin) or the calling seller's own, newest first, with their usage. */
export async function listPromotions(db: Db, caller: Caller): Promise<PromotionResponse[]> {
  const rows = await db
    .select()
    .from(promotions)
    .where(caller.role === 'admin' ? undefined : and(eq(promotions.sellerId, caller.id), eq(promotions.fundedBy, 'seller')))
    .orderBy(desc(promotions.createdAt), desc(promotions.id))
    .limit(500);
  const given = await discountGiven(db, rows.map((row) => row.id));
  return rows.map((row) => toResponse(row, given.get(row.id) ?? 0));
}

/**
 * A new promotion. An admin's is platform-funded (optionally restricted to one seller's products); a seller's is
 * seller-funded and only ever touches its own products: listed products must all be its own (403 naming the others).
 */
export async function createPromotion(db: Queryable, caller: Caller, input: CreatePromotion): Promise<PromotionResponse> {
  const bySeller = caller.role === 'seller';
  const sellerId = bySeller ? caller.id : (input.sellerId ?? null);
  const scope = input.scope ?? 'order';
  if (scope === 'seller' && sellerId === null) throw new AppError(400, 'VALIDATION_ERROR', 'Request validation failed', { sellerId: 'A seller promotion needs sellerId' });
  if (bySeller && input.sellerId && input.sellerId !== caller.id) throw forbidden('A seller creates promotions for its own products only', 'NOT_YOUR_PRODUCTS');
  if (input.categoryId) {
    await assertCategoryExists(db, input.categoryId);
  }
  if (input.productIds) {
    const ids = [...new Set(input.productIds)];
    const known = await productSellers(db, ids);
    const missing = ids.filter((id) => !known.has(id));
    if (missing.length > 0) throw new AppError(404, 'PRODUCT_NOT_FOUND', `Product ${missing.join(', ')} not found`, Object.fromEntries(missing.map((id) => [`productIds.${id}`, 'Not found'])));
    const foreign = sellerId === null ? [] : ids.filter((id) => known.get(id) !== sellerId);
    if (foreign.length > 0) {
      throw new AppError(403, 'NOT_YOUR_PRODUCTS', `Product ${foreign.join(', ')} belongs to another seller`, Object.fromEntries(foreign.map((id) => [`productIds.${id}`, 'Belongs to another seller'])));
    }
  }
  const value = input.type === 'percentage' ? Math.round(input.value! * 100) : input.type === 'fixed' ? amountToCents(input.value!) : 0;
  try {
    const [row] = await db
      .insert(promotions)
      .values({
        code: input.code ?? null,
        name: input.name,
        type: input.type,
        value,
        scope,
        sellerId,
        categoryId: input.categoryId ?? null,
        productIds: input.productIds ? [...new Set(input.productIds)] : null,
        minSubtotalCents: input.minSubtotal === undefined || input.minSubtotal === null ? null : amountToCents(input.minSubtotal),
        ...(input.startsAt && { startsAt: new Date(input.startsAt) }),
        endsAt: input.endsAt ? new Date(input.endsAt) : null,
        usageLimit: input.usageLimit ?? null,
        perCustomerLimit: input.perCustomerLimit ?? null,
        active: input.active ?? true,
        fundedBy: bySeller ? 'seller' : 'platform',
        createdBy: caller.id,
      })
      .returning();
    return toResponse(row!, 0);
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict('PROMO_CODE_TAKEN', `The code ${input.code} is already used by another promotion`, { code: 'Already taken' });
    throw err;
  }
}

async function ownPromotion(q: Queryable, caller: Caller, id: string): Promise<PromotionRow> {
  const [row] = await q.select().from(promotions).where(eq(promotions.id, id));
  if (!row) throw notFound('PROMOTION_NOT_FOUND', 'Promotion not found');
  if (caller.role !== 'admin' && !(row.fundedBy === 'seller' && row.sellerId === caller.id)) throw forbidden();
  return row;
}

export async function getPromotion(db: Db, caller: Caller, id: string): Promise<PromotionResponse> {
  const row = await ownPromotion(db, caller, id);
  return toResponse(row, (await discountGiven(db, [id])).get(id) ?? 0);
}

/** Name, window, limits, minimum, pause/resume; what a promotion takes off never changes once created. */
export async function updatePromotion(db: Queryable, caller: Caller, id: string, input: UpdatePromotion): Promise<PromotionResponse> {
  const current = await ownPromotion(db, caller, id);
  const startsAt = input.startsAt ? new Date(input.startsAt) : current.startsAt;
  const endsAt = input.endsAt === undefined ? current.endsAt : input.endsAt === null ? null : new Date(input.endsAt);
  if (endsAt !== null && endsAt <= startsAt) throw new AppError(400, 'VALIDATION_ERROR', 'Request validation failed', { endsAt: 'endsAt must be after startsAt' });
  const [row] = await db
    .update(promotions)
    .set({
      ...(input.name !== undefined && { name: input.name }),
      ...(input.minSubtotal !== undefined && { minSubtotalCents: input.minSubtotal === null ? null : amountToCents(input.minSubtotal) }),
      startsAt,
      endsAt,
      ...(input.usageLimit !== undefined && { usageLimit: input.usageLimit }),
      ...(input.perCustomerLimit !== undefined && { perCustomerLimit: input.perCustomerLimit }),
      ...(input.active !== undefined && { active: input.active }),
      updatedAt: new Date(),
    })
    // The limit may not drop below the uses already held (checked in the same statement as the uses change).
    .where(and(eq(promotions.id, id), input.usageLimit ? lte(promotions.usedCount, input.usageLimit) : undefined))
    .returning();
  if (!row) throw conflict('USAGE_LIMIT_BELOW_USED', `This promotion is already used ${current.usedCount} time(s); the limit cannot be lower`, { usageLimit: `At least ${current.usedCount}` });
  return toResponse(row, (await discountGiven(db, [id])).get(id) ?? 0);
}

/** Only a promotion never used may be deleted (pause it otherwise: orders keep pointing at it). */
export async function deletePromotion(db: Queryable, caller: Caller, id: string): Promise<void> {
  await ownPromotion(db, caller, id);
  const [used] = await db.select({ total: count() }).from(promotionRedemptions).where(eq(promotionRedemptions.promotionId, id));
  if ((used?.total ?? 0) > 0) throw conflict('PROMOTION_IN_USE', 'This promotion has been used; pause it (active: false) instead of deleting it');
  await db.delete(promotions).where(eq(promotions.id, id));
}

// ── At checkout ──────────────────────────────────────────────────────────────────────────────────────────────────

export interface Candidates {
  /** The entered code's promotion when it may be used now, and every automatic one that may. */
  usable: PromotionRow[];
  /** The entered code (normalised), and why it was refused before looking at the lines (null: not refused yet). */
  code: { code: string; promotionId: string | null; refusal: Refusal | null } | null;
}

/** Uses the customer holds of each promotion (cancelled purchases excluded). */
async function customerUses(q: Queryable, userId: string, ids: string[]): Promise<Map<string, number>> {
  if (ids.length === 0) return new Map();
  const rows = await q
    .select({ promotionId: promotionRedemptions.promotionId, n: count() })
    .from(promotionRedemptions)
    .where(and(eq(promotionRedemptions.userId, userId), inArray(promotionRedemptions.promotionId, ids), isNull(promotionRedemptions.releasedAt)))
    .groupBy(promotionRedemptions.promotionId);
  return new Map(rows.map((row) => [row.promotionId, row.n]));
}

/** The promotions a purchase may use now: the code's (or why not) and the automatic ones (limits and window checked). */
export async function loadCandidates(q: Queryable, userId: string, rawCode: string | null | undefined, now = new Date()): Promise<Candidates> {
  const code = rawCode ? rawCode.trim().toUpperCase() : null;
  const rows = await q
    .select()
    .from(promotions)
    .where(
      or(
        and(isNull(promotions.code), eq(promotions.active, true), lte(promotions.startsAt, now), or(isNull(promotions.endsAt), gt(promotions.endsAt, now))),
        code ? eq(promotions.code, code) : undefined,
      ),
    )
    .orderBy(asc(promotions.id));
  const uses = await customerUses(q, userId, rows.map((row) => row.id));
  const usable: PromotionRow[] = [];
  let codeState: Candidates['code'] = code ? { code, promotionId: null, refusal: { code: 'PROMO_CODE_UNKNOWN', message: `There is no promotion with the code ${code}` } } : null;
  for (const row of rows) {
    const refusal = availability(row, now, uses.get(row.id) ?? 0);
    if (row.code !== null) codeState = { code: row.code, promotionId: row.id, refusal };
    if (!refusal) usable.push(row);
  }
  // The code first: on a tie for a line, the code the buyer entered wins.
  usable.sort((a, b) => Number(b.code !== null) - Number(a.code !== null));
  return { usable, code: codeState };
}

/** A promotion's use by one purchase, as the checkout transaction records it. */
export interface PromotionUse {
  promotionId: string;
  code: string | null;
  discountCents: number;
}

const USE_REFUSALS: Record<'exhausted' | 'customer', { code: string; message: string }> = {
  exhausted: { code: 'PROMO_CODE_EXHAUSTED', message: 'This promotion was used up (or ended) while you checked out; nothing was charged — look at the new total and try again' },
  customer: { code: 'PROMO_CODE_CUSTOMER_LIMIT', message: 'You have used this promotion as often as allowed' },
};

/**
 * Takes one use of each promotion for the purchase, inside its transaction (docs/decisions/promotions.md): a
 * conditional `UPDATE … SET used_count = used_count + 1 WHERE used_count < usage_limit AND active AND in window`
 * holds the promotion's row lock until commit, so concurrent purchases queue on it and exactly `usage_limit` of them
 * succeed; the per-customer count is read after the lock is held. A refused use throws 409 (the transaction rolls
 * back, the caller releases the stock). Promotions are locked in id order, so two purchases never deadlock.
 */
export async function redeemPromotions(tx: Tx, userId: string, purchaseId: string, uses: readonly PromotionUse[]): Promise<void> {
  for (const use of [...uses].sort((a, b) => (a.promotionId < b.promotionId ? -1 : 1))) {
    const [row] = await tx
      .update(promotions)
      .set({ usedCount: sql`${promotions.usedCount} + 1` })
      .where(
        and(
          eq(promotions.id, use.promotionId),
          eq(promotions.active, true),
          lte(promotions.startsAt, sql`now()`),
          or(isNull(promotions.endsAt), gt(promotions.endsAt, sql`now()`)),
          or(isNull(promotions.usageLimit), sql`${promotions.usedCount} < ${promotions.usageLimit}`),
        ),
      )
      .returning({ perCustomerLimit: promotions.perCustomerLimit });
    const refuse = (kind: 'exhausted' | 'customer') => new AppError(409, USE_REFUSALS[kind].code, USE_REFUSALS[kind].message, { promoCode: use.code ?? `automatic promotion ${use.promotionId}` });
    if (!row) throw refuse('exhausted');
    if (row.perCustomerLimit !== null) {
      const held = (await customerUses(tx, userId, [use.promotionId])).get(use.promotionId) ?? 0;
      if (held >= row.perCustomerLimit) throw refuse('customer');
    }
    await tx.insert(promotionRedemptions).values({ promotionId: use.promotionId, userId, purchaseId, discountCents: use.discountCents });
  }
}

/**
 * A cancelled order gives its purchase's uses back once every order of that purchase is cancelled (a checkout's
 * seller orders share one use). Runs in the cancelling transaction after the order's lock: the redemption rows are
 * locked first, then the orders are read, so two orders of one checkout cancelled at once cannot both miss it.
 */
/** How many orders of the purchase (the checkout's, else the one order) are not cancelled: orders answers it. */
export type CountLiveOrders = (tx: Tx, order: { id: string; checkoutId: string | null }) => Promise<number>;

export async function releasePromotionUses(tx: Tx, order: { id: string; checkoutId: string | null }, countLiveOrders: CountLiveOrders): Promise<void> {
  const purchaseId = order.checkoutId ?? order.id;
  const held = await tx
    .select({ id: promotionRedemptions.id, promotionId: promotionRedemptions.promotionId })
    .from(promotionRedemptions)
    .where(and(eq(promotionRedemptions.purchaseId, purchaseId), isNull(promotionRedemptions.releasedAt)))
    .orderBy(asc(promotionRedemptions.promotionId))
    .for('update');
  if (held.length === 0) return;
  if ((await countLiveOrders(tx, order)) > 0) return;
  await tx.update(promotionRedemptions).set({ releasedAt: new Date() }).where(inArray(promotionRedemptions.id, held.map((h) => h.id)));
  for (const h of held) await tx.update(promotions).set({ usedCount: sql`${promotions.usedCount} - 1` }).where(eq(promotions.id, h.promotionId));
}
