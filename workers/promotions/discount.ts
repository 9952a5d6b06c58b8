import { formatCents } from '@contract/money';

import type { PromotionFunder, PromotionScope, PromotionType } from '@/promotions/tables';

/**
 * Pure discount arithmetic (docs/decisions/promotions.md). Integer cents throughout: a percentage rounds half up per
 * line, a fixed amount is split over the lines it may touch in proportion to their amounts (largest remainder), so
 * every promotion's parts add up to exactly what it gives and no line ever goes below zero.
 *
 * Stacking: at most one code plus every automatic promotion that applies; each line (and each seller's shipping)
 * takes the single best discount offered for it — promotions never add up on one line.
 */

export interface DiscountLine {
  productId: number;
  sellerId: string;
  categoryId: number | null;
  /** The parent of `categoryId`: a category promotion covers its subcategories, as the catalog's category pages do. */
  parentCategoryId?: number | null;
  /** unit price × quantity */
  amountCents: number;
}

/** One seller's shipping charge in the purchase. */
export interface ShippingCharge {
  sellerId: string;
  amountCents: number;
}

export interface PromotionRule {
  id: string;
  code: string | null;
  name: string;
  type: PromotionType;
  /** percentage: basis points; fixed: cents; free_shipping: unused. */
  value: number;
  scope: PromotionScope;
  sellerId: string | null;
  categoryId: number | null;
  productIds: number[] | null;
  minSubtotalCents: number | null;
  fundedBy: PromotionFunder;
}

export type RefusalCode =
  | 'PROMO_CODE_UNKNOWN'
  | 'PROMO_CODE_INACTIVE'
  | 'PROMO_CODE_NOT_STARTED'
  | 'PROMO_CODE_EXPIRED'
  | 'PROMO_CODE_EXHAUSTED'
  | 'PROMO_CODE_CUSTOMER_LIMIT'
  | 'PROMO_CODE_NOT_APPLICABLE'
  | 'PROMO_CODE_MIN_SUBTOTAL';

export interface Refusal {
  code: RefusalCode;
  message: string;
}

/** What one promotion would take off each line (by product id) and each seller's shipping (by seller id). */
export interface PromotionEffect {
  lines: Map<number, number>;
  shipping: Map<string, number>;
}

export const isRefusal = (value: PromotionEffect | Refusal): value is Refusal => 'code' in value;


/** Whether the promotion may touch this line: its seller restriction first, then its scope. */
export function lineInScope(rule: PromotionRule, line: DiscountLine): boolean {
  if (rule.sellerId !== null && line.sellerId !== rule.sellerId) return false;
  switch (rule.scope) {
    case 'order':
    case 'seller':
      return true;
    case 'category':
      return rule.categoryId !== null && (line.categoryId === rule.categoryId || line.parentCategoryId === rule.categoryId);
    case 'products':
      return (rule.productIds ?? []).includes(line.productId);
  }
}

/** `a × b / c` rounded half up, for non-negative integers. */
export function mulDivRound(a: number, b: number, c: number): number {
  return Math.floor((a * b + Math.floor(c / 2)) / c);
}

/** Splits `total` over `weights` in proportion (largest remainder, ties to the earlier one); Σ parts = total. */
export function allocate(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum === 0 || total === 0) return weights.map(() => 0);
  const parts = weights.map((w) => Math.floor((total * w) / sum));
  let left = total - parts.reduce((a, b) => a + b, 0);
  const order = weights.map((w, i) => ({ i, rest: (total * w) % sum })).sort((x, y) => y.rest - x.rest || x.i - y.i);
  for (const { i } of order) {
    if (left === 0) break;
    parts[i]! += 1;
    left--;
  }
  return parts;
}

/**
 * What the promotion takes off, or why it takes nothing: no line in its scope (a seller's promotion on another
 * seller's products included), its minimum (Σ of the lines in its scope) not met, or nothing to take off.
 */
export function promotionEffect(rule: PromotionRule, lines: readonly DiscountLine[], shipping: readonly ShippingCharge[]): PromotionEffect | Refusal {
  const eligible = lines.filter((line) => lineInScope(rule, line));
  if (eligible.length === 0) {
    const otherSeller = rule.sellerId !== null && !lines.some((line) => line.sellerId === rule.sellerId);
    return {
      code: 'PROMO_CODE_NOT_APPLICABLE',
      message: otherSeller ? "This promotion is for another seller's products, none of which are in this purchase" : 'This promotion applies to none of the products in this purchase',
    };
  }
  const eligibleCents = eligible.reduce((sum, line) => sum + line.amountCents, 0);
  if (rule.minSubtotalCents !== null && eligibleCents < rule.minSubtotalCents) {
    return { code: 'PROMO_CODE_MIN_SUBTOTAL', message: `This promotion needs at least ${formatCents(rule.minSubtotalCents)} of eligible products; this purchase has ${formatCents(eligibleCents)}` };
  }
  const effect: PromotionEffect = { lines: new Map(), shipping: new Map() };
  if (rule.type === 'percentage') {
    for (const line of eligible) effect.lines.set(line.productId, mulDivRound(line.amountCents, Math.min(rule.value, 10_000), 10_000));
  } else if (rule.type === 'fixed') {
    const parts = allocate(Math.min(rule.value, eligibleCents), eligible.map((line) => line.amountCents));
    eligible.forEach((line, i) => effect.lines.set(line.productId, parts[i]!));
  } else {
    const sellers = new Set(eligible.map((line) => line.sellerId));
    for (const charge of shipping) if (sellers.has(charge.sellerId)) effect.shipping.set(charge.sellerId, charge.amountCents);
  }
  const total = [...effect.lines.values(), ...effect.shipping.values()].reduce((a, b) => a + b, 0);
  if (total === 0) return { code: 'PROMO_CODE_NOT_APPLICABLE', message: rule.type === 'free_shipping' ? 'Shipping is already free for these products' : 'This promotion takes nothing off this purchase' };
  return effect;
}

export interface AppliedDiscount {
  discountCents: number;
  promotionId: string;
}

export interface AppliedDiscounts {
  lines: Map<number, AppliedDiscount>;
  shipping: Map<string, AppliedDiscount>;
  /** What each promotion that won at least one line gives in all. */
  byPromotion: Map<string, number>;
}

/** The best discount per line and per shipping charge among the effects (a tie goes to the one listed first). */
export function bestPerLine(effects: readonly { promotionId: string; effect: PromotionEffect }[]): AppliedDiscounts {
  const result: AppliedDiscounts = { lines: new Map(), shipping: new Map(), byPromotion: new Map() };
  const take = <K>(target: Map<K, AppliedDiscount>, key: K, cents: number, promotionId: string) => {
    const current = target.get(key);
    if (cents > 0 && (!current || cents > current.discountCents)) target.set(key, { discountCents: cents, promotionId });
  };
  for (const { promotionId, effect } of effects) {
    for (const [productId, cents] of effect.lines) take(result.lines, productId, cents, promotionId);
    for (const [sellerId, cents] of effect.shipping) take(result.shipping, sellerId, cents, promotionId);
  }
  for (const applied of [...result.lines.values(), ...result.shipping.values()]) {
    result.byPromotion.set(applied.promotionId, (result.byPromotion.get(applied.promotionId) ?? 0) + applied.discountCents);
  }
  return result;
}

/** The state of a promotion that decides whether it may be used now by this customer. */
export interface PromotionState {
  active: boolean;
  startsAt: Date;
  endsAt: Date | null;
  usageLimit: number | null;
  usedCount: number;
  perCustomerLimit: number | null;
}

/** Why the promotion may not be used now by a customer who already holds `customerUses` of it, or null. */
export function availability(state: PromotionState, now: Date, customerUses: number): Refusal | null {
  if (!state.active) return { code: 'PROMO_CODE_INACTIVE', message: 'This promotion is paused' };
  if (state.startsAt > now) return { code: 'PROMO_CODE_NOT_STARTED', message: `This promotion starts at ${state.startsAt.toISOString()}` };
  if (state.endsAt !== null && state.endsAt <= now) return { code: 'PROMO_CODE_EXPIRED', message: `This promotion ended at ${state.endsAt.toISOString()}` };
  if (state.usageLimit !== null && state.usedCount >= state.usageLimit) return { code: 'PROMO_CODE_EXHAUSTED', message: 'This promotion has been used as often as it may be' };
  if (state.perCustomerLimit !== null && customerUses >= state.perCustomerLimit) {
    return { code: 'PROMO_CODE_CUSTOMER_LIMIT', message: `You have already used this promotion ${customerUses} time(s), the most allowed` };
  }
  return null;
}
