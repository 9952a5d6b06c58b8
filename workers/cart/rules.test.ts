import { describe, expect, it } from 'vitest';

import { MAX_CART_LINES, planAdd, planRemoveOrdered, planSet, type ProductQuote } from '@/cart/rules';

const product: ProductQuote = { productId: 7, name: 'Lamp', priceCents: 2_500, sellerId: 's', stockAvailable: 10 };

describe('planAdd', () => {
  it('adds to the existing quantity', () => {
    expect(planAdd({ quantity: 4 }, 1, product, 3)).toEqual({ ok: true, quantity: 7 });
    expect(planAdd(undefined, 0, product, 3)).toEqual({ ok: true, quantity: 3 });
  });

  it('refuses a total above the available stock', () => {
    expect(planAdd({ quantity: 8 }, 1, product, 3)).toEqual({
      ok: false,
      violation: { code: 'INSUFFICIENT_STOCK', productId: 7, requested: 11, available: 10 },
    });
    expect(planAdd(undefined, 0, { ...product, stockAvailable: -2 }, 1)).toMatchObject({ violation: { available: 0 } });
  });

  it('refuses a line above 999 units before looking at stock', () => {
    expect(planAdd({ quantity: 999 }, 1, { ...product, stockAvailable: 5_000 }, 1)).toMatchObject({ ok: false, violation: { code: 'QUANTITY_LIMIT_EXCEEDED', requested: 1_000 } });
  });

  it('refuses a new line in a full cart but not more of a line already there', () => {
    expect(planAdd(undefined, MAX_CART_LINES, product, 1)).toEqual({ ok: false, violation: { code: 'CART_FULL', limit: MAX_CART_LINES } });
    expect(planAdd({ quantity: 1 }, MAX_CART_LINES, product, 1)).toEqual({ ok: true, quantity: 2 });
  });
});

describe('planSet', () => {
  it('needs the line and checks the absolute quantity against stock', () => {
    expect(planSet(undefined, product, 1)).toEqual({ ok: false, violation: { code: 'NOT_IN_CART', productId: 7 } });
    expect(planSet({ quantity: 9 }, product, 2)).toEqual({ ok: true, quantity: 2 });
    expect(planSet({ quantity: 1 }, product, 11)).toMatchObject({ ok: false, violation: { code: 'INSUFFICIENT_STOCK' } });
  });
});

describe('planRemoveOrdered', () => {
  it('returns the remaining quantity of each changed line, 0 meaning delete', () => {
    const lines = [
      { productId: 1, quantity: 5 },
      { productId: 2, quantity: 2 },
      { productId: 3, quantity: 1 },
    ];
    const remaining = planRemoveOrdered(lines, [
      { productId: 1, quantity: 2 },
      { productId: 1, quantity: 1 },
      { productId: 2, quantity: 9 },
      { productId: 99, quantity: 1 },
    ]);
    expect([...remaining]).toEqual([
      [1, 2],
      [2, 0],
    ]);
  });
});
