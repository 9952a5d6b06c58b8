import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { allocate, availability, bestPerLine, isRefusal, lineInScope, mulDivRound, promotionEffect, type DiscountLine, type PromotionEffect, type PromotionRule } from '@/promotions/discount';

const rule = (over: Partial<PromotionRule> = {}): PromotionRule => ({
  id: 'p1',
  code: null,
  name: 'test',
  type: 'percentage',
  value: 1000,
  scope: 'order',
  sellerId: null,
  categoryId: null,
  productIds: null,
  minSubtotalCents: null,
  fundedBy: 'platform',
  ...over,
});

const lines: DiscountLine[] = [
  { productId: 1, sellerId: 'A', categoryId: 10, amountCents: 1999 },
  { productId: 2, sellerId: 'A', categoryId: 20, amountCents: 500 },
  { productId: 3, sellerId: 'B', categoryId: 10, amountCents: 1250 },
];
const shipping = [
  { sellerId: 'A', amountCents: 300 },
  { sellerId: 'B', amountCents: 0 },
];

const effect = (r: PromotionRule) => {
  const e = promotionEffect(r, lines, shipping);
  if (isRefusal(e)) throw new Error(e.message);
  return e;
};
const total = (e: PromotionEffect) => [...e.lines.values(), ...e.shipping.values()].reduce((a, b) => a + b, 0);

describe('promotionEffect', () => {
  it('takes a percentage off every line in scope, rounded half up per line', () => {
    const e = effect(rule({ value: 1000 }));
    expect([...e.lines]).toEqual([[1, 200], [2, 50], [3, 125]]);
  });

  it('splits a fixed amount over the lines in proportion, adding up exactly and capped at their amounts', () => {
    expect(total(effect(rule({ type: 'fixed', value: 1000 })))).toBe(1000);
    const capped = effect(rule({ type: 'fixed', value: 100_000, scope: 'seller', sellerId: 'A' }));
    expect([...capped.lines]).toEqual([[1, 1999], [2, 500]]);
  });

  it('limits a seller promotion to its seller, a category one to its category, a products one to its list', () => {
    expect([...effect(rule({ sellerId: 'B', scope: 'seller' })).lines.keys()]).toEqual([3]);
    expect([...effect(rule({ scope: 'category', categoryId: 10 })).lines.keys()]).toEqual([1, 3]);
    expect([...effect(rule({ scope: 'products', productIds: [2] })).lines.keys()]).toEqual([2]);
    expect(lineInScope(rule({ scope: 'products', productIds: [2], sellerId: 'B' }), lines[1]!)).toBe(false);
  });

  it('covers a category and its subcategories, as category pages do, but not a sibling', () => {
    const child = { productId: 9, sellerId: 'A', categoryId: 11, parentCategoryId: 10, amountCents: 100 };
    expect(lineInScope(rule({ scope: 'category', categoryId: 10 }), child)).toBe(true);
    expect(lineInScope(rule({ scope: 'category', categoryId: 11 }), child)).toBe(true);
    expect(lineInScope(rule({ scope: 'category', categoryId: 12 }), child)).toBe(false);
  });

  it('refuses a seller promotion on another seller’s products, a minimum not met, and nothing to take off', () => {
    const other = promotionEffect(rule({ sellerId: 'C', scope: 'seller' }), lines, shipping);
    expect(other).toMatchObject({ code: 'PROMO_CODE_NOT_APPLICABLE', message: expect.stringContaining('another seller') });
    expect(promotionEffect(rule({ minSubtotalCents: 10_000 }), lines, shipping)).toMatchObject({ code: 'PROMO_CODE_MIN_SUBTOTAL' });
    // The minimum counts only the lines in scope: seller B has 12.50.
    expect(promotionEffect(rule({ sellerId: 'B', minSubtotalCents: 1300 }), lines, shipping)).toMatchObject({ code: 'PROMO_CODE_MIN_SUBTOTAL' });
    expect(promotionEffect(rule({ type: 'free_shipping', sellerId: 'B' }), lines, shipping)).toMatchObject({ code: 'PROMO_CODE_NOT_APPLICABLE' });
  });

  it('free shipping takes the shipping of the sellers whose lines are in scope', () => {
    const e = effect(rule({ type: 'free_shipping', scope: 'category', categoryId: 20 }));
    expect([...e.shipping]).toEqual([['A', 300]]);
    expect(e.lines.size).toBe(0);
  });
});

describe('bestPerLine (the stacking rule)', () => {
  it('gives each line the single best discount, never the sum, and counts what each promotion gave', () => {
    const ten = { promotionId: 'ten', effect: effect(rule({ value: 1000 })) };
    const fiveOff = { promotionId: 'five', effect: effect(rule({ type: 'fixed', value: 500, scope: 'products', productIds: [2] })) };
    const applied = bestPerLine([ten, fiveOff]);
    expect(applied.lines.get(1)).toEqual({ discountCents: 200, promotionId: 'ten' });
    expect(applied.lines.get(2)).toEqual({ discountCents: 500, promotionId: 'five' });
    expect(Object.fromEntries(applied.byPromotion)).toEqual({ ten: 325, five: 500 });
  });

  it('a tie goes to the one listed first (the code)', () => {
    const a = { promotionId: 'code', effect: effect(rule({ value: 1000 })) };
    const b = { promotionId: 'auto', effect: effect(rule({ value: 1000 })) };
    expect(bestPerLine([a, b]).byPromotion.has('auto')).toBe(false);
  });

  it('never takes a line below zero and always adds up, whatever the promotions (property)', () => {
    const amount = fc.integer({ min: 1, max: 1_000_000 });
    fc.assert(
      fc.property(fc.array(amount, { minLength: 1, maxLength: 8 }), fc.array(fc.record({ pct: fc.integer({ min: 1, max: 10_000 }), fixed: fc.integer({ min: 1, max: 5_000_000 }), kind: fc.boolean() }), { minLength: 1, maxLength: 4 }), (amounts, promos) => {
        const ls = amounts.map((amountCents, i) => ({ productId: i + 1, sellerId: 'S', categoryId: null, amountCents }));
        const effects = promos.map((p, i) => {
          const e = promotionEffect(rule({ id: `p${i}`, type: p.kind ? 'percentage' : 'fixed', value: p.kind ? p.pct : p.fixed }), ls, []);
          return { promotionId: `p${i}`, effect: isRefusal(e) ? { lines: new Map(), shipping: new Map() } : e };
        });
        for (const { effect: e } of effects) expect(total(e)).toBeLessThanOrEqual(amounts.reduce((a, b) => a + b, 0));
        const applied = bestPerLine(effects);
        for (const l of ls) expect(applied.lines.get(l.productId)?.discountCents ?? 0).toBeLessThanOrEqual(l.amountCents);
        const sum = [...applied.lines.values()].reduce((a, b) => a + b.discountCents, 0);
        expect([...applied.byPromotion.values()].reduce((a, b) => a + b, 0)).toBe(sum);
      }),
    );
  });
});

describe('allocate and rounding', () => {
  it('splits exactly, by largest remainder', () => {
    expect(allocate(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(allocate(0, [5, 5])).toEqual([0, 0]);
    expect(mulDivRound(125, 1, 10)).toBe(13);
    expect(mulDivRound(124, 1, 10)).toBe(12);
  });
});

describe('availability', () => {
  const now = new Date('2026-12-06T12:00:00Z');
  const state = { active: true, startsAt: new Date('2026-12-01T00:00:00Z'), endsAt: null, usageLimit: null, usedCount: 0, perCustomerLimit: null };
  it.each([
    ['paused', { active: false }, 0, 'PROMO_CODE_INACTIVE'],
    ['not started', { startsAt: new Date('2026-12-07T00:00:00Z') }, 0, 'PROMO_CODE_NOT_STARTED'],
    ['expired', { endsAt: new Date('2026-12-06T12:00:00Z') }, 0, 'PROMO_CODE_EXPIRED'],
    ['exhausted', { usageLimit: 5, usedCount: 5 }, 0, 'PROMO_CODE_EXHAUSTED'],
    ['used up by this customer', { perCustomerLimit: 1 }, 1, 'PROMO_CODE_CUSTOMER_LIMIT'],
  ])('refuses a promotion that is %s', (_name, over, uses, code) => {
    expect(availability({ ...state, ...over }, now, uses)).toMatchObject({ code });
  });
  it('accepts one within its window and limits', () => {
    expect(availability({ ...state, usageLimit: 5, usedCount: 4, perCustomerLimit: 2 }, now, 1)).toBeNull();
  });
});
