import { centsToAmount } from '@contract/money';
import { parentCategories } from '@/catalog';
import type { CheckoutPreviewResponse } from '@/orders/checkout-schema';
import type { Queryable } from '@/platform/db';
import { AppError } from '@/platform/errors';
import { bestPerLine, isRefusal, promotionEffect, type DiscountLine, type PromotionEffect, type Refusal, type RefusalCode, loadCandidates, toRule, type PromotionUse } from '@/promotions';
import type { PromotionFunder, PromotionType } from '@/promotions/tables';
import type { TaxCalculator } from '@/tax';

/**
 * Discount and tax of a purchase (docs/decisions/promotions.md), shared by the preview, the checkout and the
 * single-seller order: every seller's lines and shipping, the promotions that may be used (one code at most plus
 * the automatic ones), the best discount per line, then tax per line on the discounted amount and on each seller's
 * discounted shipping at the shipping rate. Reads only: the uses are taken by the placing transaction.
 */

export interface PricingLine {
  productId: number;
  quantity: number;
  product: { priceCents: number; categoryId: number | null };
}

export interface PricingGroup {
  sellerId: string;
  lines: readonly PricingLine[];
  shippingCents: number;
}

export interface PricedLine {
  discountCents: number;
  taxCents: number;
  promotionId: string | null;
}

export interface PricedGroup {
  sellerId: string;
  subtotalCents: number;
  shippingCents: number;
  shippingDiscountCents: number;
  shippingTaxCents: number;
  discountCents: number;
  taxCents: number;
  totalCents: number;
  /** The part of `discountCents` the platform pays (comes off the commission); the rest is the seller's. */
  platformDiscountCents: number;
  /** Per product: the line's discount when the seller pays it (commission is taken on what the seller sold at). */
  sellerDiscountByLine: Map<number, number>;
  lines: Map<number, PricedLine>;
}

export interface AppliedPromotion {
  id: string;
  code: string | null;
  name: string;
  type: PromotionType;
  fundedBy: PromotionFunder;
  discountCents: number;
}

export interface CodeOutcome {
  code: string;
  applied: boolean;
  discountCents: number;
  refusal: Refusal | null;
}

export interface Pricing {
  groups: Map<string, PricedGroup>;
  /** The prices included their tax: `taxCents` is reported, not added to the totals. */
  taxIncluded: boolean;
  subtotalCents: number;
  shippingCents: number;
  discountCents: number;
  taxCents: number;
  totalCents: number;
  promotions: AppliedPromotion[];
  uses: PromotionUse[];
  code: CodeOutcome | null;
}

export interface PricingDeps {
  db: Queryable;
  tax: TaxCalculator;
}

const REFUSAL_STATUS: Record<RefusalCode, 409 | 422> = {
  PROMO_CODE_UNKNOWN: 422,
  PROMO_CODE_INACTIVE: 422,
  PROMO_CODE_NOT_STARTED: 422,
  PROMO_CODE_EXPIRED: 422,
  PROMO_CODE_EXHAUSTED: 409,
  PROMO_CODE_CUSTOMER_LIMIT: 409,
  PROMO_CODE_NOT_APPLICABLE: 422,
  PROMO_CODE_MIN_SUBTOTAL: 422,
};

/** A refused code as the error a checkout answers with (nothing reserved or charged). */
export function refusedCodeError(outcome: CodeOutcome): AppError {
  const refusal = outcome.refusal!;
  return new AppError(REFUSAL_STATUS[refusal.code], refusal.code, refusal.message, { promoCode: `${outcome.code}: ${refusal.message}` });
}

/** `address` undefined (a preview before the buyer gave one): no tax. */
export async function pricePurchase(deps: PricingDeps, userId: string, groups: readonly PricingGroup[], address: { country: string; state?: string | null } | undefined, promoCode: string | null | undefined): Promise<Pricing> {
  const parents = await parentCategories(deps.db, groups.flatMap((g) => g.lines.map((l) => l.product.categoryId)));
  const discountLines: DiscountLine[] = groups.flatMap((g) =>
    g.lines.map((l) => ({ productId: l.productId, sellerId: g.sellerId, categoryId: l.product.categoryId, parentCategoryId: parents.get(l.product.categoryId ?? 0) ?? null, amountCents: l.product.priceCents * l.quantity })),
  );
  const shipping = groups.map((g) => ({ sellerId: g.sellerId, amountCents: g.shippingCents }));
  const candidates = await loadCandidates(deps.db, userId, promoCode);
  const effects: { promotionId: string; effect: PromotionEffect }[] = [];
  let code: CodeOutcome | null = candidates.code ? { code: candidates.code.code, applied: false, discountCents: 0, refusal: candidates.code.refusal } : null;
  for (const row of candidates.usable) {
    const effect = promotionEffect(toRule(row), discountLines, shipping);
    if (isRefusal(effect)) {
      if (row.code !== null && code) code.refusal = effect;
      continue;
    }
    effects.push({ promotionId: row.id, effect });
  }
  const applied = bestPerLine(effects);
  const byId = new Map(candidates.usable.map((row) => [row.id, row]));
  if (code && !code.refusal && candidates.code?.promotionId) {
    const given = applied.byPromotion.get(candidates.code.promotionId) ?? 0;
    code = given > 0 ? { ...code, applied: true, discountCents: given } : { ...code, refusal: { code: 'PROMO_CODE_NOT_APPLICABLE', message: 'Other promotions already give these products a bigger discount' } };
  }

  const taxItems = groups.flatMap((g) => [
    ...g.lines.map((l) => ({ id: `line:${l.productId}`, kind: 'goods' as const, categoryId: l.product.categoryId, amountCents: l.product.priceCents * l.quantity - (applied.lines.get(l.productId)?.discountCents ?? 0) })),
    { id: `shipping:${g.sellerId}`, kind: 'shipping' as const, categoryId: null, amountCents: g.shippingCents - (applied.shipping.get(g.sellerId)?.discountCents ?? 0) },
  ]);
  const taxes = address ? await deps.tax.calculate({ country: address.country, state: address.state ?? '' }, taxItems) : new Map<string, number>();
  const taxIncluded = deps.tax.pricesIncludeTax;

  const priced = new Map<string, PricedGroup>();
  for (const g of groups) {
    const lines = new Map<number, PricedLine>();
    const sellerDiscountByLine = new Map<number, number>();
    let platformDiscountCents = 0;
    const funder = (promotionId: string) => byId.get(promotionId)!.fundedBy;
    for (const l of g.lines) {
      const discount = applied.lines.get(l.productId);
      lines.set(l.productId, { discountCents: discount?.discountCents ?? 0, taxCents: taxes.get(`line:${l.productId}`) ?? 0, promotionId: discount?.promotionId ?? null });
      if (discount && funder(discount.promotionId) === 'platform') platformDiscountCents += discount.discountCents;
      if (discount && funder(discount.promotionId) === 'seller') sellerDiscountByLine.set(l.productId, discount.discountCents);
    }
    const shippingDiscount = applied.shipping.get(g.sellerId);
    if (shippingDiscount && funder(shippingDiscount.promotionId) === 'platform') platformDiscountCents += shippingDiscount.discountCents;
    const subtotalCents = g.lines.reduce((sum, l) => sum + l.product.priceCents * l.quantity, 0);
    const shippingDiscountCents = shippingDiscount?.discountCents ?? 0;
    const shippingTaxCents = taxes.get(`shipping:${g.sellerId}`) ?? 0;
    const discountCents = [...lines.values()].reduce((sum, l) => sum + l.discountCents, shippingDiscountCents);
    const taxCents = [...lines.values()].reduce((sum, l) => sum + l.taxCents, shippingTaxCents);
    priced.set(g.sellerId, {
      sellerId: g.sellerId,
      subtotalCents,
      shippingCents: g.shippingCents,
      shippingDiscountCents,
      shippingTaxCents,
      discountCents,
      taxCents,
      totalCents: subtotalCents - discountCents + g.shippingCents + (taxIncluded ? 0 : taxCents),
      platformDiscountCents,
      sellerDiscountByLine,
      lines,
    });
  }
  const sum = (pick: (g: PricedGroup) => number) => [...priced.values()].reduce((total, g) => total + pick(g), 0);
  const promotions: AppliedPromotion[] = [...applied.byPromotion].map(([id, discountCents]) => {
    const row = byId.get(id)!;
    return { id, code: row.code, name: row.name, type: row.type, fundedBy: row.fundedBy, discountCents };
  });
  return {
    groups: priced,
    taxIncluded,
    subtotalCents: sum((g) => g.subtotalCents),
    shippingCents: sum((g) => g.shippingCents),
    discountCents: sum((g) => g.discountCents),
    taxCents: sum((g) => g.taxCents),
    totalCents: sum((g) => g.totalCents),
    promotions,
    uses: promotions.map((p) => ({ promotionId: p.id, code: p.code, discountCents: p.discountCents })),
    code,
  };
}

/** The totals of an order, a checkout or a preview, from integer cents. */
export const toTotals = (t: { subtotalCents: number; shippingCents: number; discountCents: number; taxCents: number; totalCents: number }, taxIncluded: boolean, currency = 'USD') => ({
  subtotal: centsToAmount(t.subtotalCents),
  shipping: centsToAmount(t.shippingCents),
  discount: centsToAmount(t.discountCents),
  tax: centsToAmount(t.taxCents),
  taxIncluded,
  total: centsToAmount(t.totalCents),
  currency,
});

/** The preview answer (checkouts and single-seller orders alike) from priced seller groups. */
export function toPreviewResponse(
  groups: readonly { sellerId: string; lines: readonly PricingLine[]; priced: PricedGroup; shipping: { optionId: string | null; method: string; minDays: number; maxDays: number } }[],
  pricing: Pricing,
): CheckoutPreviewResponse {
  const totals = (t: PricedGroup | Pricing) => toTotals(t, pricing.taxIncluded);
  return {
    totals: totals(pricing),
    orders: groups.map((g) => ({
      sellerId: g.sellerId,
      totals: totals(g.priced),
      shipping: { ...g.shipping, price: centsToAmount(g.priced.shippingCents), discount: centsToAmount(g.priced.shippingDiscountCents), tax: centsToAmount(g.priced.shippingTaxCents) },
      items: g.lines.map((l) => {
        const line = g.priced.lines.get(l.productId)!;
        return { productId: l.productId, quantity: l.quantity, unitPrice: centsToAmount(l.product.priceCents), subtotal: centsToAmount(l.product.priceCents * l.quantity), discount: centsToAmount(line.discountCents), tax: centsToAmount(line.taxCents), promotionId: line.promotionId };
      }),
    })),
    promotions: pricing.promotions.map(({ discountCents, ...p }) => ({ ...p, discount: centsToAmount(discountCents) })),
    promoCode: pricing.code ? { code: pricing.code.code, applied: pricing.code.applied, discount: centsToAmount(pricing.code.discountCents), refusal: pricing.code.refusal } : null,
  };
}
