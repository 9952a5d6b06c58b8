import { describe, expect, it } from 'vitest';

import type { CartSnapshot } from '@/cart/rules';
import { addToCart, getCart, toCartView, type CartDeps, type CartStore } from '@/cart/service';
import type { CartProduct } from '@/catalog/cart-lookup';
import type { AuthUser } from '@/env';
import { AppError } from '@/platform/errors';

const now = new Date('2026-11-25T12:00:00Z');
const line = (productId: number, quantity: number, unitPriceCents: number) => ({
  productId,
  quantity,
  unitPriceCents,
  productName: `Snapshot ${productId}`,
  sellerId: 'seller-a',
  addedAt: 1,
  updatedAt: 1,
});
const product = (id: number, priceCents: number, extra: Partial<CartProduct> = {}): CartProduct => ({
  id,
  name: `Live ${id}`,
  priceCents,
  status: 'ACTIVE',
  sellerId: 'seller-a',
  imageUrl: `/img/${id}.svg`,
  stockAvailable: 10,
  ...extra,
});

describe('toCartView', () => {
  const cart: CartSnapshot = { userId: 'u', lines: [line(1, 3, 1_999), line(2, 1, 500), line(3, 2, 250)], updatedAt: Date.parse('2026-11-20T00:00:00Z'), expiresAt: null };

  it('prices lines from the catalog in exact cents and flags changed prices', () => {
    const view = toCartView('u', cart, new Map([[1, product(1, 1_999)], [2, product(2, 650)]]), now);
    expect(view.items[0]).toEqual({
      product_id: 1,
      product_name: 'Live 1',
      quantity: 3,
      unit_price: 19.99,
      subtotal: 59.97,
      seller_id: 'seller-a',
      image_url: '/img/1.svg',
      stock_available: 10,
      price_changed: false,
    });
    expect(view.items[1]).toMatchObject({ unit_price: 6.5, price_changed: true });
    // 59.97 + 6.50 + 5.00 (product 3 is gone from the catalog: snapshot price, no stock)
    expect(view.total).toBe(71.47);
    expect(view.items[2]).toMatchObject({ product_name: 'Snapshot 3', unit_price: 2.5, stock_available: 0, price_changed: false, image_url: null });
    expect(view.updated_at).toBe('2026-11-20T00:00:00.000Z');
  });

  it('shows no stock for a product that is no longer ACTIVE', () => {
    const view = toCartView('u', cart, new Map([[1, product(1, 1_999, { status: 'INACTIVE' })]]), now);
    expect(view.items[0]!.stock_available).toBe(0);
  });

  it('dates a cart that was never written at the time of the read', () => {
    expect(toCartView('u', { userId: null, lines: [], updatedAt: null, expiresAt: null }, new Map(), now)).toEqual({
      user_id: 'u',
      status: 'ACTIVE',
      items: [],
      total: 0,
      updated_at: now.toISOString(),
    });
  });
});

function fakeDeps(products: CartProduct[], lines: CartSnapshot['lines'] = []) {
  const calls: number[][] = [];
  const snapshot: CartSnapshot = { userId: 'u', lines, updatedAt: 0, expiresAt: null };
  const cart: CartStore = {
    getCart: async () => snapshot,
    addItem: async (_userId, quote, quantity) => ({ ok: true, cart: { ...snapshot, lines: [...lines, line(quote.productId, quantity, quote.priceCents)] } }),
    setItemQuantity: async () => ({ ok: true, cart: snapshot }),
    removeItem: async () => snapshot,
    clear: async () => snapshot,
  };
  const deps: CartDeps = {
    cart,
    products: async (ids) => {
      calls.push(ids);
      return products.filter((p) => ids.includes(p.id));
    },
    now: () => now,
  };
  return { deps, calls };
}

const shopper: AuthUser = { id: 'u', email: 'u@example.com', role: 'customer' };

describe('addToCart', () => {
  it('reads the catalog once for the new product and the lines already in the cart', async () => {
    const { deps, calls } = fakeDeps([product(1, 100), product(2, 200)], [line(2, 1, 200)]);
    const view = await addToCart(deps, shopper, { product_id: 1, quantity: 2 });
    expect(calls).toEqual([[1, 2]]);
    expect(view.total).toBe(4);
  });

  it('refuses a seller their own product with SELLER_CANNOT_BUY_OWN_PRODUCT', async () => {
    const { deps } = fakeDeps([product(1, 100, { sellerId: 'u' })]);
    await expect(addToCart(deps, { ...shopper, role: 'seller' }, { product_id: 1, quantity: 1 })).rejects.toMatchObject({ status: 403, code: 'SELLER_CANNOT_BUY_OWN_PRODUCT' });
  });

  it('maps a CartDO refusal to its error', async () => {
    const { deps } = fakeDeps([product(1, 100)]);
    deps.cart.addItem = async () => ({ ok: false, violation: { code: 'CART_FULL', limit: 100 } });
    const error = await addToCart(deps, shopper, { product_id: 1, quantity: 1 }).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ status: 409, code: 'CART_FULL' });
  });
});

describe('getCart', () => {
  it('skips the catalog for an empty cart', async () => {
    const { deps, calls } = fakeDeps([]);
    expect((await getCart(deps, 'u')).items).toEqual([]);
    expect(calls).toEqual([]);
  });
});
