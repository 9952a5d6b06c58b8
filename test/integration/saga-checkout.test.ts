import { SELF } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';

import { expectInvariants } from '@test/support/invariants';
import { createTestProduct, createTestUser, jsonHeaders, type TestUser } from '@test/support/shop-fixtures';
import { poll } from '@test/support/poll';

const BASE = 'http://shop.test/api/v1';
const ADDRESS = { street: '1 Nguyen Hue', city: 'Ho Chi Minh City', state: 'HCM', country: 'Vietnam', zipCode: '700000' };
type Json = { data: Record<string, unknown> & { status?: string; id?: string }; error?: { code: string; details?: Record<string, string> } };
type Order = { id: string; sellerId: string; status: string; totalAmount: number; totals: { total: number; shipping: number } };
type Checkout = { id: string; status: string; totals: { subtotal: number; shipping: number; total: number }; orders: Order[]; payment: { id: string; status: string; amount: number; refundedAmount: number } | null };

let buyer: TestUser;
let sellerA: TestUser;
let sellerB: TestUser;
let productA: number;
let productB: number;

beforeAll(async () => {
  [buyer, sellerA, sellerB] = await Promise.all([createTestUser('customer'), createTestUser('seller'), createTestUser('seller')]);
  [productA, productB] = (await Promise.all([createTestProduct(sellerA.id, { priceCents: 2000, stock: 10 }), createTestProduct(sellerB.id, { priceCents: 1500, stock: 10 })])).map((p) => p.id) as [number, number];
});

async function call<T = Json['data']>(method: string, path: string, user: TestUser, body?: unknown) {
  const res = await SELF.fetch(`${BASE}${path}`, { method, headers: jsonHeaders(user), ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const json = (await res.json()) as { data: T; error?: Json['error'] };
  return { status: res.status, body: json };
}

describe('marketplace checkout end to end (real queues, outbox relay, both consumers)', () => {
  it('two sellers → one checkout → one payment → both CONFIRMED → each seller ships its own → the buyer cancels one → only its part refunded', async () => {
    // Seller A offers a paid option; seller B has none (platform default 4.99).
    const option = await call<{ id: string }>('POST', '/sellers/me/shipping-options', sellerA, { name: 'Courier', price: 6.5, minDays: 1, maxDays: 2 });
    expect(option.status).toBe(201);
    const listed = await call<{ id: string; platformDefault: boolean }[]>('GET', `/shipping-options?sellerId=${sellerB.id}`, buyer);
    expect(listed.body.data).toEqual([expect.objectContaining({ id: 'platform-default', platformDefault: true })]);

    const placed = await call<Checkout>('POST', '/checkouts', buyer, {
      items: [{ productId: productA, quantity: 1 }, { productId: productB, quantity: 2 }],
      shippingAddress: ADDRESS,
      shipping: { [sellerA.id]: option.body.data.id },
    });
    expect(placed.status).toBe(201);
    expect(placed.body.data.totals).toMatchObject({ subtotal: 50, shipping: 11.49, total: 61.49 });
    const checkoutId = placed.body.data.id;

    const paid = await poll(async () => {
      const res = await call<Checkout>('GET', `/checkouts/${checkoutId}`, buyer);
      return res.body.data.orders.every((o) => o.status === 'CONFIRMED') && res.body.data.payment?.status === 'COMPLETED' ? res.body.data : undefined;
    });
    expect(paid.status).toBe('PAID');
    expect(paid.payment!.amount).toBe(61.49);
    const orderA = paid.orders.find((o) => o.sellerId === sellerA.id)!;
    const orderB = paid.orders.find((o) => o.sellerId === sellerB.id)!;
    // Each order's payment (for the SPA's per-order view) is the checkout's.
    expect((await call<{ id: string }>('GET', `/payments/order/${orderA.id}`, buyer)).body.data.id).toBe(paid.payment!.id);

    // Each seller sees and ships only its own order.
    expect((await call('GET', `/orders/seller/${orderB.id}`, sellerA)).status).toBe(403);
    expect((await call('PUT', `/orders/${orderB.id}/ship`, sellerA)).status).toBe(403);
    const sellerList = await call<{ id: string }[]>('GET', '/orders/seller?size=100', sellerA);
    expect(sellerList.body.data.map((o) => o.id)).toEqual([orderA.id]);
    expect((await call('PUT', `/orders/${orderA.id}/ship`, sellerA)).status).toBe(200);

    // The buyer cancels seller B's CONFIRMED order: 2×15.00 + 4.99 comes back; seller A's order is untouched.
    expect((await call('PUT', `/orders/${orderB.id}/cancel`, buyer, { reason: 'one is enough' })).status).toBe(200);
    const refunded = await poll(async () => {
      const res = await call<Checkout>('GET', `/checkouts/${checkoutId}`, buyer);
      return res.body.data.payment?.refundedAmount ? res.body.data : undefined;
    });
    expect(refunded.payment).toMatchObject({ status: 'COMPLETED', amount: 61.49, refundedAmount: 34.99 });
    expect(refunded.orders.find((o) => o.id === orderA.id)!.status).toBe('SHIPPED');
    expect(refunded.orders.find((o) => o.id === orderB.id)!.status).toBe('CANCELLED');
    // Cancelling twice is a 409 (no second refund).
    expect((await call('PUT', `/orders/${orderB.id}/cancel`, buyer)).status).toBe(409);
    // Another buyer cannot read the checkout or cancel its orders.
    const stranger = await createTestUser('customer');
    expect((await call('GET', `/checkouts/${checkoutId}`, stranger)).status).toBe(403);
    expect((await call('PUT', `/orders/${orderA.id}/cancel`, stranger)).status).toBe(403);
    await expectInvariants(productA, productB);
  });

  it('a checkout with a code, an automatic seller promotion and tax is paid in full, and the ledger splits who pays for what', async () => {
    const [admin, sellerC, sellerD] = await Promise.all([createTestUser('admin'), createTestUser('seller'), createTestUser('seller')]);
    const [c1, d1] = (await Promise.all([createTestProduct(sellerC.id, { priceCents: 4000, stock: 5 }), createTestProduct(sellerD.id, { priceCents: 1000, stock: 5 })])).map((p) => p.id) as [number, number];
    // A real country no other test file taxes.
    const country = 'TV';
    expect((await call('POST', '/admin/tax-rates', admin, { country, rate: 10, name: 'VAT' })).status).toBe(201);
    const code = `SAGA${crypto.randomUUID().slice(0, 6)}`.toUpperCase();
    // Platform: 25 % off seller C's products with the code; seller D: 2.00 off its own product automatically.
    expect((await call('POST', '/admin/promotions', admin, { name: 'C quarter', code, type: 'percentage', value: 25, scope: 'seller', sellerId: sellerC.id })).status).toBe(201);
    expect((await call('POST', '/sellers/me/promotions', sellerD, { name: 'D two off', type: 'fixed', value: 2, scope: 'products', productIds: [d1] })).status).toBe(201);

    const placed = await call<Checkout & { totals: { discount: number; tax: number } }>('POST', '/checkouts', buyer, {
      items: [{ productId: c1, quantity: 1 }, { productId: d1, quantity: 1 }],
      shippingAddress: { ...ADDRESS, country },
      promoCode: code.toLowerCase(),
    });
    expect(placed.status).toBe(201);
    // C: 40.00 − 10.00 + 4.99 shipping + 10 % of 30.00; D: 10.00 − 2.00 + 4.99 shipping + 10 % of 8.00 (no shipping rate here).
    expect(placed.body.data.totals).toMatchObject({ subtotal: 50, shipping: 9.98, discount: 12, tax: 3.8, total: 51.78 });
    const paid = await poll(async () => {
      const res = await call<Checkout>('GET', `/checkouts/${placed.body.data.id}`, buyer);
      return res.body.data.payment?.status === 'COMPLETED' && res.body.data.orders.every((o) => o.status === 'CONFIRMED') ? res.body.data : undefined;
    });
    expect(paid.payment!.amount).toBe(51.78);
    type Entry = { type: string; gross: number; commission: number; pendingDelta: number };
    const [saleC] = (await call<Entry[]>('GET', '/sellers/me/ledger?type=SALE', sellerC)).body.data;
    const [saleD] = (await call<Entry[]>('GET', '/sellers/me/ledger?type=SALE', sellerD)).body.data;
    // C (platform-funded 10.00): commission 4.00 − 10.00 = −6.00, so C nets 40.00 − 4.00 + 4.99 + 3.00 as if undiscounted.
    expect(saleC).toMatchObject({ gross: 37.99, commission: -6, pendingDelta: 43.99 });
    // D (seller-funded 2.00): commission 10 % of 8.00 = 0.80; D nets 8.00 + 4.99 + 0.80 − 0.80.
    expect(saleD).toMatchObject({ gross: 13.79, commission: 0.8, pendingDelta: 12.99 });
    await expectInvariants(c1, d1);
  });

  it('publishes the marketplace routes in the OpenAPI document', async () => {
    const doc = (await (await SELF.fetch('http://shop.test/api/openapi.json')).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/checkouts', '/api/v1/checkouts/{id}', '/api/v1/shipping-options', '/api/v1/sellers/me/shipping-options']));
  });
});
