import { env, SELF } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';

import { createTestProduct, createTestUser, updateTestProduct, type TestUser } from '@/cart/test-fixtures';
import type { CartView } from '@/cart/schema';
import { cartStubFromEnv } from '@/composition';
import { users } from '@/identity/tables';
import { signAccessToken } from '@/identity/tokens';
import { createDb } from '@/platform/db';

type Json = Record<string, unknown>;

async function api(path: string, options: { method?: string; body?: unknown; user?: TestUser; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...(options.user?.auth ?? {}), ...options.headers };
  let body: string | undefined;
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  }
  return SELF.fetch(`http://shop.test/api/v1${path}`, { method: options.method ?? 'GET', headers, body });
}

async function cartOf(user: TestUser): Promise<CartView> {
  const res = await api('/cart', { user });
  expect(res.status).toBe(200);
  return (await res.json<{ data: CartView }>()).data;
}

const lines = (cart: CartView) => cart.items.map((item) => [item.product_id, item.quantity]);
const add = (user: TestUser, productId: unknown, quantity: unknown) => api('/cart/items', { method: 'POST', user, body: { product_id: productId, quantity } });
const setQuantity = (user: TestUser, productId: unknown, quantity: unknown) => api(`/cart/items/${productId}`, { method: 'PUT', user, body: { quantity } });
const errorOf = async (res: Response) => (await res.json<{ success: false; error: { code: string; details?: Json; requestId: string } }>());

let seller: TestUser;
let otherSeller: TestUser;
let widget: number; // 12.50, stock 40
let gadget: number; // 3.99, stock 5 (2 reserved → 3 available)

beforeAll(async () => {
  seller = await createTestUser('seller');
  otherSeller = await createTestUser('seller');
  widget = await createTestProduct(seller.id, { priceCents: 1_250, stock: 40 });
  gadget = await createTestProduct(otherSeller.id, { priceCents: 399, stock: 5, reserved: 2 });
});

describe('GET /api/v1/cart', () => {
  it('answers an empty ACTIVE cart for a shopper who never added anything', async () => {
    const shopper = await createTestUser();
    const res = await api('/cart', { user: shopper });
    expect(res.status).toBe(200);
    const body = await res.json<{ success: boolean; data: CartView }>();
    expect(body.success).toBe(true);
    expect(body.data).toMatchObject({ user_id: shopper.id, status: 'ACTIVE', items: [], total: 0 });
    expect(Number.isNaN(Date.parse(body.data.updated_at))).toBe(false);
  });

  it('answers 401 UNAUTHORIZED without a token and 401 INVALID_TOKEN with a bad one', async () => {
    const anonymous = await api('/cart');
    expect(anonymous.status).toBe(401);
    expect((await errorOf(anonymous)).error.code).toBe('UNAUTHORIZED');
    const forged = await api('/cart', { headers: { authorization: 'Bearer not.a.token' } });
    expect(forged.status).toBe(401);
    expect((await errorOf(forged)).error.code).toBe('INVALID_TOKEN');
  });

  it('refuses admins with 403 FORBIDDEN (they cannot place orders, so they get no cart)', async () => {
    const admin = await createTestUser('admin');
    for (const res of [await api('/cart', { user: admin }), await add(admin, widget, 1), await api('/cart', { method: 'DELETE', user: admin })]) {
      expect(res.status).toBe(403);
      expect((await errorOf(res)).error.code).toBe('FORBIDDEN');
    }
  });
});

describe('POST /api/v1/cart/items', () => {
  it('adds a line with live catalog fields and answers 201 with the cart', async () => {
    const shopper = await createTestUser();
    const res = await add(shopper, widget, 2);
    expect(res.status).toBe(201);
    const cart = (await res.json<{ data: CartView }>()).data;
    expect(cart.user_id).toBe(shopper.id);
    expect(cart.items).toEqual([
      {
        product_id: widget,
        product_name: expect.stringContaining('Cart test product'),
        quantity: 2,
        unit_price: 12.5,
        subtotal: 25,
        seller_id: seller.id,
        image_url: null,
        stock_available: 40,
        price_changed: false,
      },
    ]);
    expect(cart.total).toBe(25);
  });

  it('adds to the existing line instead of overwriting it', async () => {
    const shopper = await createTestUser();
    await add(shopper, widget, 2);
    const res = await add(shopper, widget, 3);
    expect(res.status).toBe(201);
    const cart = (await res.json<{ data: CartView }>()).data;
    expect(lines(cart)).toEqual([[widget, 5]]);
    expect(cart.total).toBe(62.5);
  });

  it('keeps lines of several sellers, each carrying its seller_id', async () => {
    const shopper = await createTestUser();
    await add(shopper, widget, 1);
    await add(shopper, gadget, 2);
    const cart = await cartOf(shopper);
    expect(cart.items.map((item) => [item.product_id, item.seller_id])).toEqual([
      [widget, seller.id],
      [gadget, otherSeller.id],
    ]);
    expect(cart.total).toBe(12.5 + 7.98);
  });

  it('answers 409 INSUFFICIENT_STOCK when the line would exceed quantity − reserved, and keeps the cart', async () => {
    const shopper = await createTestUser();
    expect((await add(shopper, gadget, 2)).status).toBe(201);
    const res = await add(shopper, gadget, 2);
    expect(res.status).toBe(409);
    const { error } = await errorOf(res);
    expect(error.code).toBe('INSUFFICIENT_STOCK');
    // The whole count available, so a client can say how many more fit beside what the cart holds.
    expect(error.details).toMatchObject({ available: '3' });
    const cart = await cartOf(shopper);
    expect(lines(cart)).toEqual([[gadget, 2]]);
    expect(cart.items[0]!.stock_available).toBe(3);
  });

  it('answers 409 QUANTITY_LIMIT_EXCEEDED past 999 units on one line', async () => {
    const shopper = await createTestUser();
    const plenty = await createTestProduct(seller.id, { stock: 5_000 });
    expect((await add(shopper, plenty, 999)).status).toBe(201);
    const res = await add(shopper, plenty, 1);
    expect(res.status).toBe(409);
    expect((await errorOf(res)).error.code).toBe('QUANTITY_LIMIT_EXCEEDED');
    expect(lines(await cartOf(shopper))).toEqual([[plenty, 999]]);
  });

  it.each([
    ['an unknown product', async () => 987_654_321],
    ['an INACTIVE product', () => createTestProduct(otherSeller.id, { status: 'INACTIVE' })],
    ['a DELETED product', () => createTestProduct(otherSeller.id, { status: 'DELETED' })],
  ])('answers 404 PRODUCT_NOT_FOUND for %s and changes nothing', async (_name, product) => {
    const shopper = await createTestUser();
    await add(shopper, widget, 1);
    const res = await add(shopper, await product(), 1);
    expect(res.status).toBe(404);
    expect((await errorOf(res)).error.code).toBe('PRODUCT_NOT_FOUND');
    expect(lines(await cartOf(shopper))).toEqual([[widget, 1]]);
  });

  it('answers 403 SELLER_CANNOT_BUY_OWN_PRODUCT to a seller adding their own product, and lets them buy from others', async () => {
    const own = await add(seller, widget, 1);
    expect(own.status).toBe(403);
    expect((await errorOf(own)).error.code).toBe('SELLER_CANNOT_BUY_OWN_PRODUCT');
    expect((await add(seller, gadget, 1)).status).toBe(201);
    expect(lines(await cartOf(seller))).toEqual([[gadget, 1]]);
  });

  it('answers 409 CART_FULL for a 101st product but still adds to an existing line', async () => {
    const shopper = await createTestUser();
    await add(shopper, widget, 1);
    const stub = cartStubFromEnv(env, shopper.id);
    // 99 more lines straight into the CartDO (products that are not in the catalog keep their snapshot).
    for (let i = 1; i <= 99; i++) {
      const result = await stub.addItem(shopper.id, { productId: 900_000_000 + i, name: `Filler ${i}`, priceCents: 100, sellerId: otherSeller.id, stockAvailable: 10 }, 1);
      expect(result.ok).toBe(true);
    }
    const full = await add(shopper, gadget, 1);
    expect(full.status).toBe(409);
    expect((await errorOf(full)).error.code).toBe('CART_FULL');
    expect((await add(shopper, widget, 1)).status).toBe(201);
    const cart = await cartOf(shopper);
    expect(cart.items).toHaveLength(100);
    expect(cart.items.find((item) => item.product_id === gadget)).toBeUndefined();
    expect(cart.items.find((item) => item.product_id === widget)?.quantity).toBe(2);
  });

  it('keeps every one of 20 concurrent adds of 1 (quantity 20)', async () => {
    const shopper = await createTestUser();
    const responses = await Promise.all(Array.from({ length: 20 }, () => add(shopper, widget, 1)));
    expect(responses.map((res) => res.status)).toEqual(Array(20).fill(201));
    expect(lines(await cartOf(shopper))).toEqual([[widget, 20]]);
  });
});

describe('PUT /api/v1/cart/items/{productId}', () => {
  it('sets the absolute quantity and answers 200 with the cart', async () => {
    const shopper = await createTestUser();
    await add(shopper, widget, 5);
    const res = await setQuantity(shopper, widget, 2);
    expect(res.status).toBe(200);
    expect(lines((await res.json<{ data: CartView }>()).data)).toEqual([[widget, 2]]);
  });

  it('answers 404 NOT_FOUND for a product that is not in the cart', async () => {
    const shopper = await createTestUser();
    await add(shopper, widget, 1);
    const res = await setQuantity(shopper, gadget, 1);
    expect(res.status).toBe(404);
    expect((await errorOf(res)).error.code).toBe('NOT_FOUND');
    expect(lines(await cartOf(shopper))).toEqual([[widget, 1]]);
  });

  it('answers 409 INSUFFICIENT_STOCK above the available stock and keeps the quantity', async () => {
    const shopper = await createTestUser();
    await add(shopper, gadget, 1);
    const res = await setQuantity(shopper, gadget, 4);
    expect(res.status).toBe(409);
    expect((await errorOf(res)).error.code).toBe('INSUFFICIENT_STOCK');
    expect(lines(await cartOf(shopper))).toEqual([[gadget, 1]]);
    expect((await setQuantity(shopper, gadget, 3)).status).toBe(200);
  });

  it('answers 404 PRODUCT_NOT_FOUND when the product left the catalog after it was added', async () => {
    const shopper = await createTestUser();
    const fleeting = await createTestProduct(otherSeller.id);
    await add(shopper, fleeting, 1);
    await updateTestProduct(fleeting, { status: 'INACTIVE' });
    const res = await setQuantity(shopper, fleeting, 2);
    expect(res.status).toBe(404);
    expect((await errorOf(res)).error.code).toBe('PRODUCT_NOT_FOUND');
    const cart = await cartOf(shopper);
    expect(lines(cart)).toEqual([[fleeting, 1]]);
    expect(cart.items[0]!.stock_available).toBe(0);
  });
});

describe('DELETE /api/v1/cart/items/{productId} and DELETE /api/v1/cart', () => {
  it('removes one line with 204 and leaves the others', async () => {
    const shopper = await createTestUser();
    await add(shopper, widget, 1);
    await add(shopper, gadget, 1);
    const res = await api(`/cart/items/${widget}`, { method: 'DELETE', user: shopper });
    expect(res.status).toBe(204);
    expect(await res.text()).toBe('');
    expect(lines(await cartOf(shopper))).toEqual([[gadget, 1]]);
    expect((await api(`/cart/items/${widget}`, { method: 'DELETE', user: shopper })).status).toBe(204);
  });

  it('empties the cart with 204', async () => {
    const shopper = await createTestUser();
    await add(shopper, widget, 1);
    await add(shopper, gadget, 1);
    expect((await api('/cart', { method: 'DELETE', user: shopper })).status).toBe(204);
    const cart = await cartOf(shopper);
    expect(cart.items).toEqual([]);
    expect(cart.total).toBe(0);
  });
});

describe('re-pricing on every read', () => {
  it('shows the current price with price_changed until the line is set again', async () => {
    const shopper = await createTestUser();
    const product = await createTestProduct(otherSeller.id, { priceCents: 2_000, stock: 10 });
    await add(shopper, product, 2);
    await updateTestProduct(product, { priceCents: 2_499 });
    const repriced = (await cartOf(shopper)).items[0]!;
    expect(repriced).toMatchObject({ unit_price: 24.99, subtotal: 49.98, price_changed: true });
    expect((await cartOf(shopper)).total).toBe(49.98);
    const res = await setQuantity(shopper, product, 2);
    expect((await res.json<{ data: CartView }>()).data.items[0]).toMatchObject({ unit_price: 24.99, price_changed: false });
  });

  it('reports stock_available from the catalog on every read', async () => {
    const shopper = await createTestUser();
    const product = await createTestProduct(otherSeller.id, { stock: 10 });
    await add(shopper, product, 1);
    await updateTestProduct(product, { stockReserved: 7 });
    expect((await cartOf(shopper)).items[0]!.stock_available).toBe(3);
  });
});

describe('bad input never reaches the cart', () => {
  const badAdds: [string, unknown, string][] = [
    ['a missing quantity', { product_id: 1 }, 'VALIDATION_ERROR'],
    ['a missing product_id', { quantity: 1 }, 'VALIDATION_ERROR'],
    ['an extra field', { product_id: 1, quantity: 1, unit_price: 0.01 }, 'VALIDATION_ERROR'],
    ['quantity 0', { product_id: 1, quantity: 0 }, 'VALIDATION_ERROR'],
    ['quantity -1', { product_id: 1, quantity: -1 }, 'VALIDATION_ERROR'],
    ['quantity 1000', { product_id: 1, quantity: 1000 }, 'VALIDATION_ERROR'],
    ['quantity "2"', { product_id: 1, quantity: '2' }, 'VALIDATION_ERROR'],
    ['quantity 1.5', { product_id: 1, quantity: 1.5 }, 'VALIDATION_ERROR'],
    ['product_id 0', { product_id: 0, quantity: 1 }, 'VALIDATION_ERROR'],
    ['product_id "1"', { product_id: '1', quantity: 1 }, 'VALIDATION_ERROR'],
    ['product_id "abc"', { product_id: 'abc', quantity: 1 }, 'VALIDATION_ERROR'],
    ['a JSON array', [{ product_id: 1, quantity: 1 }], 'VALIDATION_ERROR'],
    ['malformed JSON', '{"product_id": 1,', 'INVALID_BODY'],
  ];

  it.each(badAdds)('POST with %s → 400 and the cart unchanged', async (_name, body, code) => {
    const shopper = await createTestUser();
    await add(shopper, widget, 1);
    const before = await cartOf(shopper);
    const res = await api('/cart/items', { method: 'POST', user: shopper, body });
    expect(res.status).toBe(400);
    const error = await errorOf(res);
    expect(error.success).toBe(false);
    expect(error.error.code).toBe(code);
    expect(error.error.requestId).toBeTruthy();
    expect(await cartOf(shopper)).toEqual(before);
  });

  it.each([
    ['quantity 0', widget, { quantity: 0 }],
    ['quantity 1000', widget, { quantity: 1000 }],
    ['quantity "2"', widget, { quantity: '2' }],
    ['an extra field', widget, { quantity: 2, product_id: 3 }],
    ['a missing quantity', widget, {}],
    ['product id 0', 0, { quantity: 2 }],
    ['product id "abc"', 'abc', { quantity: 2 }],
    ['product id -1', -1, { quantity: 2 }],
    ['product id 1.5', 1.5, { quantity: 2 }],
  ])('PUT with %s → 400 VALIDATION_ERROR and the cart unchanged', async (_name, productId, body) => {
    const shopper = await createTestUser();
    await add(shopper, widget, 1);
    const before = await cartOf(shopper);
    const res = await api(`/cart/items/${productId}`, { method: 'PUT', user: shopper, body });
    expect(res.status).toBe(400);
    expect((await errorOf(res)).error.code).toBe('VALIDATION_ERROR');
    expect(await cartOf(shopper)).toEqual(before);
  });

  it.each([
    ['no content type', {}, '{"product_id":1,"quantity":1}', 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ['a text/plain body', { 'content-type': 'text/plain' }, '{"product_id":1,"quantity":1}', 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ['an empty JSON body', { 'content-type': 'application/json' }, '', 400, 'INVALID_BODY'],
  ])('POST with %s → %i %s and the cart unchanged', async (_name, headers, body, status, code) => {
    const shopper = await createTestUser();
    await add(shopper, widget, 1);
    const before = await cartOf(shopper);
    const res = await SELF.fetch('http://shop.test/api/v1/cart/items', { method: 'POST', headers: { ...shopper.auth, ...headers }, body });
    expect(res.status).toBe(status);
    expect((await errorOf(res)).error.code).toBe(code);
    expect(await cartOf(shopper)).toEqual(before);
  });

  it('DELETE with product id "abc" → 400 and the cart unchanged', async () => {
    const shopper = await createTestUser();
    await add(shopper, widget, 1);
    const before = await cartOf(shopper);
    const res = await api('/cart/items/abc', { method: 'DELETE', user: shopper });
    expect(res.status).toBe(400);
    expect(await cartOf(shopper)).toEqual(before);
  });

  it("another shopper's token reaches only their own cart: nothing of the owner's changes", async () => {
    const owner = await createTestUser();
    const intruder = await createTestUser();
    await add(owner, widget, 3);
    const before = await cartOf(owner);
    expect((await cartOf(intruder)).items).toEqual([]);
    const put = await setQuantity(intruder, widget, 1);
    expect(put.status).toBe(404);
    expect((await errorOf(put)).error.code).toBe('NOT_FOUND');
    expect((await api(`/cart/items/${widget}`, { method: 'DELETE', user: intruder })).status).toBe(204);
    expect((await api('/cart', { method: 'DELETE', user: intruder })).status).toBe(204);
    // X-User-Id is ignored: identity comes only from the token.
    expect((await api('/cart', { user: intruder, headers: { 'x-user-id': owner.id } })).status).toBe(200);
    expect(await cartOf(owner)).toEqual(before);
  });

  it('a revoked session (logout everywhere) gets 401 INVALID_TOKEN on every cart route, sees nothing and changes nothing', async () => {
    // The session check runs beside the cart's reads (requireAuthBesideHandler): writes wait for it, answers too.
    const owner = await createTestUser();
    await add(owner, widget, 2);
    await createDb(env).update(users).set({ sessionVersion: 1 }).where(eq(users.id, owner.id));
    const current = { ...owner, auth: { ...owner.auth, authorization: `Bearer ${await signAccessToken(env, { userId: owner.id, email: owner.email, role: owner.role, sessionVersion: 1 })}` } };
    const before = await cartOf(current);
    const answers = [
      await api('/cart', { user: owner }),
      await add(owner, widget, 1),
      await add(owner, 999_999_999, 1),
      await setQuantity(owner, widget, 5),
      await api(`/cart/items/${widget}`, { method: 'DELETE', user: owner }),
      await api('/cart', { method: 'DELETE', user: owner }),
    ];
    for (const res of answers) {
      expect(res.status).toBe(401);
      expect((await errorOf(res)).error.code).toBe('INVALID_TOKEN');
    }
    expect(await cartOf(current)).toEqual(before);
  });

  it('a revoked admin token is 401 INVALID_TOKEN, as before, not the 403 its role would get', async () => {
    const admin = await createTestUser('admin');
    await createDb(env).update(users).set({ sessionVersion: 1 }).where(eq(users.id, admin.id));
    const res = await api('/cart', { user: admin });
    expect(res.status).toBe(401);
    expect((await errorOf(res)).error.code).toBe('INVALID_TOKEN');
  });

  it('a request without a token changes nothing', async () => {
    const owner = await createTestUser();
    await add(owner, widget, 1);
    const before = await cartOf(owner);
    const res = await api('/cart/items', { method: 'POST', body: { product_id: widget, quantity: 1 }, headers: { 'x-user-id': owner.id } });
    expect(res.status).toBe(401);
    expect(await cartOf(owner)).toEqual(before);
  });
});

describe('OpenAPI', () => {
  it('documents every cart route with its statuses', async () => {
    const res = await SELF.fetch('http://shop.test/api/openapi.json');
    expect(res.status).toBe(200);
    const doc = await res.json<{ paths: Record<string, Record<string, { responses: Record<string, unknown>; parameters?: { name: string; in: string }[] }>> }>();
    expect(Object.keys(doc.paths['/api/v1/cart']!).sort()).toEqual(['delete', 'get']);
    expect(Object.keys(doc.paths['/api/v1/cart/items']!.post!.responses).sort()).toEqual(['201', '400', '401', '403', '404', '409', '415', '429']);
    const put = doc.paths['/api/v1/cart/items/{productId}']!.put!;
    expect(Object.keys(put.responses)).toEqual(expect.arrayContaining(['200', '404', '409']));
    expect(put.parameters).toEqual([expect.objectContaining({ name: 'productId', in: 'path' })]);
  });
});
