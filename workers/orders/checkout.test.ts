import { env } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';

import { createTestApp } from '@/app';
import { shippingOptions } from '@/marketplace/tables';
import type { CheckoutResponse } from '@/orders/checkout-schema';
import { createCheckoutsRouter } from '@/orders/checkout-routes';
import { createOrdersRouter } from '@/orders/routes';
import { checkouts, orders, outbox } from '@/orders/tables';
import { syncCheckoutStatus } from '@/orders/transitions';
import { paymentFacts } from '@/payments';
import { payments } from '@/payments/tables';
import { newId } from '@/platform/columns';
import { createDb, withTransaction } from '@/platform/db';
import { createRouter } from '@/platform/router';
import { Gate } from '@test/support/gate';
import { ordersHttpHarness } from '@test/support/orders-http';
import { fakeOrderDeps, FakeQueue } from '@test/support/saga-fakes';
import { createTestProduct, createTestUser, jsonHeaders, type TestUser } from '@test/support/shop-fixtures';

const ADDRESS = { street: '1 Nguyen Hue', city: 'Ho Chi Minh City', state: 'HCM', country: 'Vietnam', zipCode: '700000' };

const setup = () => ordersHttpHarness<CheckoutResponse>((makeDeps) => createRouter().route('/', createCheckoutsRouter(makeDeps)).route('/', createOrdersRouter(makeDeps)));

let buyer: TestUser;
let stranger: TestUser;
let admin: TestUser;
/** Seller A has two options (one free over 50.00); seller B has none (platform default); seller C one inactive. */
let sellerA: TestUser;
let sellerB: TestUser;
let sellerC: TestUser;
let a1: { id: number; priceCents: number };
let a2: { id: number; priceCents: number };
let b1: { id: number; priceCents: number };
let c1: { id: number; priceCents: number };
let standardA: string;
let expressA: string;
let inactiveC: string;

beforeAll(async () => {
  [buyer, stranger, admin, sellerA, sellerB, sellerC] = await Promise.all([
    createTestUser('customer'),
    createTestUser('customer'),
    createTestUser('admin'),
    createTestUser('seller'),
    createTestUser('seller'),
    createTestUser('seller'),
  ]);
  [a1, a2, b1, c1] = await Promise.all([
    createTestProduct(sellerA.id, { priceCents: 1999 }),
    createTestProduct(sellerA.id, { priceCents: 500 }),
    createTestProduct(sellerB.id, { priceCents: 1250 }),
    createTestProduct(sellerC.id, { priceCents: 800 }),
  ]);
  const rows = await createDb(env)
    .insert(shippingOptions)
    .values([
      { sellerId: sellerA.id, name: 'Standard', priceCents: 300, freeOverCents: 5000, minDays: 3, maxDays: 5 },
      { sellerId: sellerA.id, name: 'Express', priceCents: 1200, minDays: 1, maxDays: 1 },
      { sellerId: sellerC.id, name: 'Retired', priceCents: 100, minDays: 1, maxDays: 2, active: false },
    ])
    .returning();
  [standardA, expressA, inactiveC] = rows.map((row) => row.id) as [string, string, string];
});

const body = (items: { productId: number; quantity: number }[], shipping: Record<string, string> = {}) => ({ items, shippingAddress: ADDRESS, shipping });

describe('POST /api/v1/checkouts', () => {
  it('splits a two-seller cart into one PENDING order per seller with shipping, totals and ONE checkout.created', async () => {
    const t = setup();
    const res = await t.call('POST', '/api/v1/checkouts', buyer, body([{ productId: a1.id, quantity: 2 }, { productId: b1.id, quantity: 1 }, { productId: a2.id, quantity: 1 }], { [sellerA.id]: expressA }));
    expect(res.status).toBe(201);
    const checkout = res.body.data;
    // A: 2×19.99 + 5.00 = 44.98 + express 12.00; B: 12.50 + platform default 4.99 (below its 50.00 threshold).
    expect(checkout.totals).toEqual({ subtotal: 57.48, shipping: 16.99, discount: 0, tax: 0, taxIncluded: false, total: 74.47, currency: 'USD' });
    expect(checkout).toMatchObject({ userId: buyer.id, status: 'PENDING', payment: null });
    expect(checkout.orders).toHaveLength(2);
    const orderA = checkout.orders.find((o) => o.sellerId === sellerA.id)!;
    const orderB = checkout.orders.find((o) => o.sellerId === sellerB.id)!;
    expect(orderA).toMatchObject({ status: 'PENDING', checkoutId: checkout.id, totalAmount: 56.98, totals: { subtotal: 44.98, shipping: 12, discount: 0, tax: 0, taxIncluded: false, total: 56.98, currency: 'USD' } });
    expect(orderA.shipping).toEqual({ optionId: expressA, method: 'Express', price: 12, minDays: 1, maxDays: 1 });
    expect(orderA.items.map((i) => [i.productId, i.quantity])).toEqual([[a1.id, 2], [a2.id, 1]].sort((x, y) => x[0]! - y[0]!));
    expect(orderB).toMatchObject({ totalAmount: 17.49, shipping: { optionId: null, method: 'Standard shipping', price: 4.99 } });
    // Money: the orders add up to the checkout.
    expect(Math.round(checkout.orders.reduce((sum, o) => sum + o.totalAmount * 100, 0))).toBe(Math.round(checkout.totals.total * 100));
    // Every seller's lines are held under its own order id; the lines leave the cart per order.
    expect(t.stock.callsFor(orderA.id)).toEqual(['reserve']);
    expect(t.stock.callsFor(orderB.id)).toEqual(['reserve']);
    expect(t.cart.removed.map((r) => r.orderId).sort()).toEqual([orderA.id, orderB.id].sort());
    // One payment request for the whole total.
    expect(t.queue.sent).toEqual([
      expect.objectContaining({ type: 'checkout.created', checkoutId: checkout.id, totalAmount: 74.47, idempotencyKey: checkout.id, orders: expect.arrayContaining([{ orderId: orderA.id, totalAmount: 56.98 }, { orderId: orderB.id, totalAmount: 17.49 }]) }),
    ]);
    const [row] = await createDb(env).select().from(outbox).where(eq(outbox.aggregateId, checkout.id));
    expect(row!.eventType).toBe('checkout.created');
    // The single-seller endpoint shows each order too, with its checkout id.
    const single = await t.call<{ checkoutId: string; totals: { total: number } }>('GET', `/api/v1/orders/${orderB.id}`, buyer);
    expect(single.body.data).toMatchObject({ checkoutId: checkout.id, totals: { total: 17.49 } });
  });

  it('makes shipping free over the option threshold and checks out the cart when items are left out', async () => {
    const t = setup();
    t.cart.carts.set(buyer.id, [{ productId: a1.id, quantity: 3 }]);
    const res = await t.call('POST', '/api/v1/checkouts', buyer, { shippingAddress: ADDRESS, shipping: { [sellerA.id]: standardA } });
    expect(res.status).toBe(201);
    expect(res.body.data.totals).toEqual({ subtotal: 59.97, shipping: 0, discount: 0, tax: 0, taxIncluded: false, total: 59.97, currency: 'USD' });
    expect(res.body.data.orders[0]!.shipping).toMatchObject({ optionId: standardA, method: 'Standard', price: 0 });
  });

  it.each([
    ['a missing choice for a seller with options', () => body([{ productId: a1.id, quantity: 1 }, { productId: b1.id, quantity: 1 }]), 'SHIPPING_OPTION_REQUIRED', () => sellerA.id],
    ["another seller's option", () => body([{ productId: a1.id, quantity: 1 }, { productId: b1.id, quantity: 1 }], { [sellerA.id]: standardA, [sellerB.id]: expressA }), 'INVALID_SHIPPING_OPTION', () => sellerB.id],
    ['an unknown option', () => body([{ productId: a1.id, quantity: 1 }], { [sellerA.id]: newId() }), 'INVALID_SHIPPING_OPTION', () => sellerA.id],
    ['an inactive option', () => body([{ productId: c1.id, quantity: 1 }], { [sellerC.id]: inactiveC }), 'INVALID_SHIPPING_OPTION', () => sellerC.id],
    ['a choice for a seller not in the checkout', () => body([{ productId: b1.id, quantity: 1 }], { [sellerA.id]: standardA }), 'INVALID_SHIPPING_OPTION', () => sellerA.id],
  ])('rejects %s with 400 naming the seller, reserving nothing', async (_name, make, code, seller) => {
    const t = setup();
    const res = await t.call('POST', '/api/v1/checkouts', buyer, make());
    expect(res.status).toBe(400);
    expect(res.body.error!.code).toBe(code);
    expect(res.body.error!.details).toHaveProperty(`shipping.${seller()}`);
    expect(t.stock.calls).toEqual([]);
  });

  it.each([
    ['no body fields', {}],
    ['empty items', { items: [], shippingAddress: ADDRESS }],
    ['a bad seller key', { items: [{ productId: 1, quantity: 1 }], shippingAddress: ADDRESS, shipping: { 'not-a-uuid': 'platform-default' } }],
    ['a bad option id', { items: [{ productId: 1, quantity: 1 }], shippingAddress: ADDRESS, shipping: { [newId()]: 'cheapest' } }],
    ['quantity 0', { items: [{ productId: 1, quantity: 0 }], shippingAddress: ADDRESS }],
    ['a client price', { items: [{ productId: 1, quantity: 1, price: 1 }], shippingAddress: ADDRESS }],
    ['an unknown field', { items: [{ productId: 1, quantity: 1 }], shippingAddress: ADDRESS, total: 1 }],
  ])('rejects %s with the 400 VALIDATION_ERROR envelope', async (_name, payload) => {
    const t = setup();
    const res = await t.call('POST', '/api/v1/checkouts', buyer, payload);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ success: false, error: { code: 'VALIDATION_ERROR' } });
    expect(t.stock.calls).toEqual([]);
  });

  it('rejects duplicate lines, an empty cart, unknown products and own products before any stock is touched', async () => {
    const t = setup();
    const duplicate = await t.call('POST', '/api/v1/checkouts', buyer, body([{ productId: b1.id, quantity: 1 }, { productId: b1.id, quantity: 2 }]));
    expect(duplicate.status).toBe(400);
    expect(duplicate.body.error).toMatchObject({ code: 'DUPLICATE_LINE', details: { [`items.${b1.id}`]: expect.any(String) } });
    const empty = await t.call('POST', '/api/v1/checkouts', stranger, { shippingAddress: ADDRESS });
    expect(empty.status).toBe(400);
    expect(empty.body.error!.code).toBe('EMPTY_CART');
    const unknown = await t.call('POST', '/api/v1/checkouts', buyer, body([{ productId: b1.id, quantity: 1 }, { productId: 987_654_321, quantity: 1 }]));
    expect(unknown.status).toBe(404);
    expect(unknown.body.error!.code).toBe('PRODUCT_NOT_FOUND');
    const own = await t.call('POST', '/api/v1/checkouts', sellerA, body([{ productId: a1.id, quantity: 1 }, { productId: b1.id, quantity: 1 }], { [sellerA.id]: standardA }));
    expect(own.status).toBe(403);
    expect(own.body.error!.code).toBe('SELLER_CANNOT_BUY_OWN_PRODUCT');
    expect((await t.call('POST', '/api/v1/checkouts', admin, body([{ productId: b1.id, quantity: 1 }]))).status).toBe(403);
    expect((await t.call('POST', '/api/v1/checkouts', null, body([{ productId: b1.id, quantity: 1 }]))).status).toBe(401);
    expect(t.stock.calls).toEqual([]);
  });

  it("is all or nothing: one seller's short line → 409 naming it, the other seller's hold released, no rows", async () => {
    const t = setup();
    const scarce = await createTestProduct(sellerB.id, { priceCents: 700 });
    t.stock.onHand.set(scarce.id, 1);
    const shopper = await createTestUser('customer');
    const res = await t.call('POST', '/api/v1/checkouts', shopper, body([{ productId: a1.id, quantity: 1 }, { productId: scarce.id, quantity: 2 }], { [sellerA.id]: standardA }));
    expect(res.status).toBe(409);
    expect(res.body.error!.code).toBe('INSUFFICIENT_STOCK');
    expect(JSON.stringify(res.body.error)).toContain(String(scarce.id));
    // The seller A reservation that succeeded was given back.
    const reserved = t.stock.calls.filter((c) => c.startsWith('reserve:')).map((c) => c.split(':')[1]!);
    expect(reserved).toHaveLength(2);
    expect(t.stock.reserved.size).toBe(0);
    expect(t.stock.available(a1.id)).toBe(1_000_000);
    const db = createDb(env);
    expect(await db.select().from(checkouts).where(eq(checkouts.userId, shopper.id))).toEqual([]);
    expect(await db.select().from(orders).where(eq(orders.userId, shopper.id))).toEqual([]);
    expect(t.queue.sent).toEqual([]);
  });

  it('releases every hold when the checkout transaction fails', async () => {
    const fakes = fakeOrderDeps({ transaction: async () => Promise.reject(new Error('disk full')) });
    const app = createTestApp(createCheckoutsRouter(() => fakes.deps));
    const res = await app.request('/api/v1/checkouts', { method: 'POST', headers: jsonHeaders(buyer), body: JSON.stringify(body([{ productId: a1.id, quantity: 1 }, { productId: b1.id, quantity: 1 }], { [sellerA.id]: standardA })) }, { ...env, ORDER_EVENTS: new FakeQueue().asQueue() });
    expect(res.status).toBe(500);
    expect((await res.json()) as unknown).toMatchObject({ success: false, error: { code: 'INTERNAL_ERROR' } });
    expect(fakes.stock.calls.filter((c) => c.startsWith('release:'))).toHaveLength(2);
    expect(fakes.stock.reserved.size).toBe(0);
    expect(fakes.cart.removed).toEqual([]);
  });

  it('answers 409 PRICE_CHANGED when the expected total is not today\'s, nothing held', async () => {
    const t = setup();
    const res = await t.call('POST', '/api/v1/checkouts', buyer, { ...body([{ productId: b1.id, quantity: 1 }]), expectedTotal: 12.5 });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'PRICE_CHANGED', details: { total: '17.49' } });
    expect(t.stock.calls).toEqual([]);
    const ok = await t.call('POST', '/api/v1/checkouts', buyer, { ...body([{ productId: b1.id, quantity: 1 }]), expectedTotal: 17.49 });
    expect(ok.status).toBe(201);
  });

  it('replays the stored 201 for a repeated Idempotency-Key, 422 for another body, one reservation per order', async () => {
    const t = setup();
    const key = { 'idempotency-key': `checkout-${crypto.randomUUID()}` };
    const payload = body([{ productId: a2.id, quantity: 1 }, { productId: b1.id, quantity: 1 }], { [sellerA.id]: standardA });
    const first = await t.call('POST', '/api/v1/checkouts', buyer, payload, key);
    const second = await t.call('POST', '/api/v1/checkouts', buyer, payload, key);
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(t.stock.calls.filter((c) => c.startsWith('reserve'))).toHaveLength(2);
    const other = await t.call('POST', '/api/v1/checkouts', buyer, { ...payload, items: [{ productId: a2.id, quantity: 2 }] }, key);
    expect(other.status).toBe(422);
    expect(other.body.error!.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });
});

describe('GET /api/v1/checkouts/{id}', () => {
  it('shows the checkout to its buyer and admins only', async () => {
    const t = setup();
    const placed = await t.call('POST', '/api/v1/checkouts', buyer, body([{ productId: b1.id, quantity: 2 }]));
    const id = placed.body.data.id;
    const mine = await t.call('GET', `/api/v1/checkouts/${id}`, buyer);
    expect(mine.status).toBe(200);
    expect(mine.body.data).toEqual(placed.body.data);
    expect((await t.call('GET', `/api/v1/checkouts/${id}`, admin)).status).toBe(200);
    const foreign = await t.call('GET', `/api/v1/checkouts/${id}`, stranger);
    expect(foreign.status).toBe(403);
    expect(foreign.body.error!.code).toBe('ACCESS_DENIED');
    // The seller sees its order through the seller routes, not the buyer's checkout.
    expect((await t.call('GET', `/api/v1/checkouts/${id}`, sellerB)).status).toBe(403);
    const missing = await t.call('GET', `/api/v1/checkouts/${newId()}`, buyer);
    expect(missing.status).toBe(404);
    expect(missing.body.error!.code).toBe('CHECKOUT_NOT_FOUND');
    expect((await t.call('GET', '/api/v1/checkouts/nope', buyer)).status).toBe(400);
    expect((await t.call('GET', `/api/v1/checkouts/${id}`, null)).status).toBe(401);
  });

  it('is never behind a decision that commits while it is being read: the status is read after the payment', async () => {
    const gate = new Gate();
    const t = ordersHttpHarness<CheckoutResponse>(
      (makeDeps) => createRouter().route('/', createCheckoutsRouter(makeDeps)).route('/', createOrdersRouter(makeDeps)),
      { payments: gate.port('payments', paymentFacts) },
    );
    const placed = await t.call('POST', '/api/v1/checkouts', buyer, body([{ productId: b1.id, quantity: 1 }]));
    const id = placed.body.data.id;

    // The answer's reads stop at the payment (its orders and lines already read); the payment's outcome then
    // commits the way the saga records it: the payment, the orders and the checkout's status in one transaction.
    gate.arm('payments.checkoutPayment');
    const reading = t.call('GET', `/api/v1/checkouts/${id}`, buyer);
    await gate.reached('payments.checkoutPayment');
    await withTransaction(env, async (tx) => {
      await tx.insert(payments).values({ checkoutId: id, userId: buyer.id, amountCents: Math.round(placed.body.data.totals.total * 100), currency: 'USD', idempotencyKey: id, status: 'COMPLETED' });
      await tx.update(orders).set({ status: 'CONFIRMED' }).where(eq(orders.checkoutId, id));
      await syncCheckoutStatus({ payments: paymentFacts }, tx, id);
    });
    gate.release('payments.checkoutPayment');

    const answer = (await reading).body.data;
    expect(answer.payment?.status).toBe('COMPLETED');
    // Read first (as before), the status was PENDING beside a completed payment, and the page kept waiting.
    expect(answer.status).toBe('PAID');
    expect((await t.call('GET', `/api/v1/checkouts/${id}`, buyer)).body.data).toMatchObject({ status: 'PAID', orders: [{ status: 'CONFIRMED' }] });
  });
});
