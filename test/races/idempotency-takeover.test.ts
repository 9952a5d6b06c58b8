import { env } from 'cloudflare:test';
import { and, eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';

import { createTestApp } from '@/app';
import { createOrdersRouter } from '@/orders/routes';
import type { OrderResponse } from '@/orders/schema';
import { orders } from '@/orders/tables';
import { createDb } from '@/platform/db';
import { idempotencyKeys } from '@/platform/tables';
import { Gate } from '@test/support/gate';
import { createTestProduct, createTestUser, jsonHeaders, type TestUser } from '@test/support/shop-fixtures';
import { fakeOrderDeps, FakeQueue, stageTo } from '@test/support/saga-fakes';

const ADDRESS = { street: '1 Nguyen Hue', city: 'Ho Chi Minh City', state: 'HCM', country: 'Vietnam', zipCode: '700000' };
type Envelope = { data: OrderResponse; error?: { code: string } };

let seller: TestUser;
let productId: number;

beforeAll(async () => {
  seller = await createTestUser('seller');
  productId = (await createTestProduct(seller.id, { priceCents: 1000, stock: 50 })).id;
});

/** Makes the key look abandoned: no stored response for longer than the in-flight timeout. */
const ageKey = (userId: string, key: string) =>
  createDb(env)
    .update(idempotencyKeys)
    .set({ createdAt: sql`now() - interval '5 minutes'` })
    .where(and(eq(idempotencyKeys.userId, userId), eq(idempotencyKeys.key, key)));

function setup(gate: Gate) {
  const fakes = fakeOrderDeps();
  const deps = { ...fakes.deps, cart: gate.port('cart', fakes.deps.cart), stock: gate.port('stock', fakes.deps.stock) };
  const app = createTestApp(createOrdersRouter(() => deps));
  const place = async (buyer: TestUser, key: string, quantity = 1) => {
    const res = await app.request(
      '/api/v1/orders',
      { method: 'POST', headers: jsonHeaders(buyer, { 'idempotency-key': key }), body: JSON.stringify({ items: [{ productId, quantity }], shippingAddress: ADDRESS }) },
      { ...env, ...stageTo('order-events', new FakeQueue().asQueue()) },
    );
    return { status: res.status, body: (await res.json()) as Envelope };
  };
  return { ...fakes, place };
}

const ordersOf = (userId: string) => createDb(env).select({ id: orders.id }).from(orders).where(eq(orders.userId, userId));

/**
 * Race 6: the first request with an Idempotency-Key committed its order but has not stored its
 * response yet (slow, or its Worker died after COMMIT); after the in-flight timeout a retry takes
 * the key over. The retry must answer with the committed order, never create a second one.
 */
describe('race: idempotency-key takeover', () => {
  it('a takeover after the first request committed returns the same order; one order in total', async () => {
    const buyer = await createTestUser('customer');
    const gate = new Gate().arm('cart.removeOrdered');
    const t = setup(gate);
    const first = t.place(buyer, 'checkout-1');
    await gate.reached('cart.removeOrdered'); // the order is committed; the response is not stored yet
    await ageKey(buyer.id, 'checkout-1');

    const retry = await t.place(buyer, 'checkout-1');
    gate.release('cart.removeOrdered');
    const original = await first;

    expect(original.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.body.data.id).toBe(original.body.data.id);
    expect(await ordersOf(buyer.id)).toEqual([{ id: original.body.data.id }]);
    // The retry held no second reservation either.
    expect(t.stock.reserved.size).toBe(1);
  });

  it('a takeover after the first request died before its order committed places the order once', async () => {
    const buyer = await createTestUser('customer');
    const gate = new Gate().arm('stock.reserve');
    const t = setup(gate);
    const first = t.place(buyer, 'checkout-2');
    await gate.reached('stock.reserve'); // nothing written yet
    await ageKey(buyer.id, 'checkout-2');
    const retry = await t.place(buyer, 'checkout-2');
    expect(retry.status).toBe(201);
    gate.release('stock.reserve');
    const original = await first;
    expect(original.status).toBe(201);
    expect(original.body.data.id).toBe(retry.body.data.id);
    expect(await ordersOf(buyer.id)).toEqual([{ id: retry.body.data.id }]);
  });

  it('the same key from another buyer, or a fresh key, is a different order', async () => {
    const [a, b] = await Promise.all([createTestUser('customer'), createTestUser('customer')]);
    const t = setup(new Gate());
    const one = await t.place(a, 'same-key');
    const two = await t.place(b, 'same-key');
    const three = await t.place(a, 'other-key');
    expect(new Set([one.body.data.id, two.body.data.id, three.body.data.id]).size).toBe(3);
    const replay = await t.place(a, 'same-key');
    expect(replay.body.data.id).toBe(one.body.data.id);
  });
});
