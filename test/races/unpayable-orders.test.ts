import { env } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';

import { createTestApp } from '@/app';
import { createOrdersRouter } from '@/orders/routes';
import { orders } from '@/orders/tables';
import { createDb } from '@/platform/db';
import { createTestProduct, createTestUser, jsonHeaders, type TestUser } from '@test/support/shop-fixtures';
import { fakeOrderDeps, FakeQueue } from '@test/support/saga-fakes';

const ADDRESS = { street: '1 Nguyen Hue', city: 'Ho Chi Minh City', state: 'HCM', country: 'Vietnam', zipCode: '700000' };

let buyer: TestUser;
let seller: TestUser;

beforeAll(async () => {
  [buyer, seller] = await Promise.all([createTestUser('customer'), createTestUser('seller')]);
});

function setup() {
  const fakes = fakeOrderDeps();
  const app = createTestApp(createOrdersRouter(() => fakes.deps));
  const place = async (items: { productId: number; quantity: number }[]) => {
    const res = await app.request('/api/v1/orders', { method: 'POST', headers: jsonHeaders(buyer), body: JSON.stringify({ items, shippingAddress: ADDRESS }) }, { ...env, ORDER_EVENTS: new FakeQueue().asQueue() });
    return { status: res.status, body: (await res.json()) as { error?: { code: string; details?: Record<string, string> } } };
  };
  return { ...fakes, place };
}

/**
 * Race 5: whatever `POST /orders` accepts must be payable. A total of 0 (the gateway refuses it,
 * so it would dead-letter and be re-published by the reaper forever) and a total above the saga
 * message's amount cap (it would die at deserialization, not even replayable) are refused up
 * front with 422 ORDER_NOT_PAYABLE, before any stock is held and without writing an order.
 */
describe('race: orders that could never be paid', () => {
  it('a total of 0 (free product) → 422 ORDER_NOT_PAYABLE, nothing reserved, no order', async () => {
    const free = await createTestProduct(seller.id, { priceCents: 0, stock: 5 });
    const t = setup();
    const res = await t.place([{ productId: free.id, quantity: 2 }]);
    expect(res.status).toBe(422);
    expect(res.body.error!.code).toBe('ORDER_NOT_PAYABLE');
    expect(t.stock.calls).toEqual([]);
    expect(await createDb(env).select().from(orders).where(eq(orders.userId, buyer.id))).toEqual([]);
  });

  it('a total above the payment message cap → 422 ORDER_NOT_PAYABLE; just below it is accepted', async () => {
    const dear = await createTestProduct(seller.id, { priceCents: 100_000_000, stock: 500 });
    const t = setup();
    const res = await t.place([{ productId: dear.id, quantity: 101 }]);
    expect(res.status).toBe(422);
    expect(res.body.error!.code).toBe('ORDER_NOT_PAYABLE');
    expect(t.stock.calls).toEqual([]);
    const ok = await t.place([{ productId: dear.id, quantity: 100 }]);
    expect(ok.status).toBe(201);
  });
});
