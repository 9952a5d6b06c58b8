import { env, SELF } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';

import { partitionBindings, partitionOf } from '@/platform/saga-queues';
import { createTestProduct, createTestUser, jsonHeaders, type TestUser } from '@test/support/shop-fixtures';
import { poll } from '@test/support/poll';

const BASE = 'http://shop.test/api/v1';
const ADDRESS = { street: '1 Nguyen Hue', city: 'Ho Chi Minh City', state: 'HCM', country: 'Vietnam', zipCode: '700000' };
type Json = { data: Record<string, unknown> & { status?: string; id?: string } };

let buyer: TestUser;
let productId: number;

beforeAll(async () => {
  let seller: TestUser;
  [buyer, seller] = await Promise.all([createTestUser('customer'), createTestUser('seller')]);
  productId = (await createTestProduct(seller.id, { priceCents: 1500, stock: 100 })).id;
});

async function call(method: string, path: string, body?: unknown) {
  const res = await SELF.fetch(`${BASE}${path}`, { method, headers: jsonHeaders(buyer), ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return { status: res.status, body: (await res.json()) as Json };
}

const statusOf = async (orderId: string) => (await call('GET', `/orders/${orderId}`)).body.data.status;
const paymentOf = async (orderId: string) => (await call('GET', `/payments/order/${orderId}`)).body.data;

describe('the saga over partitioned queues (real queues, every partition consumed)', () => {
  it('carries orders of every partition to CONFIRMED, and a cancellation of each to REFUNDED', { timeout: 180_000 }, async () => {
    const partitions = partitionBindings(env, 'order-events').length;
    expect(partitions).toBe(4);
    expect(partitionBindings(env, 'payment-events')).toHaveLength(partitions);

    // Orders until every partition carries two (order ids are random: place until the condition holds).
    const byPartition = new Map<number, string[]>();
    for (let placed = 0; placed < 60 && [...Array(partitions).keys()].some((p) => (byPartition.get(p)?.length ?? 0) < 2); placed++) {
      const res = await call('POST', '/orders', { items: [{ productId, quantity: 1 }], shippingAddress: ADDRESS });
      expect(res.status).toBe(201);
      const orderId = res.body.data.id!;
      const partition = partitionOf(orderId, partitions);
      byPartition.set(partition, [...(byPartition.get(partition) ?? []), orderId]);
    }
    expect([...byPartition.keys()].sort()).toEqual([0, 1, 2, 3]);
    const orders = [...byPartition.values()].flat();

    // order.created on its partition of order-events → payment → payment.completed on the same partition of payment-events.
    for (const orderId of orders) await poll(async () => ((await statusOf(orderId)) === 'CONFIRMED' ? true : undefined), 60_000);
    for (const orderId of orders) expect(await paymentOf(orderId)).toMatchObject({ orderId, status: 'COMPLETED', amount: 15 });

    // order.cancelled travels the order's partition of order-events too: one refund each.
    const cancelled = [...byPartition.values()].map((ids) => ids[0]!);
    for (const orderId of cancelled) expect((await call('PUT', `/orders/${orderId}/cancel`, { reason: 'partition test' })).status).toBe(200);
    for (const orderId of cancelled) {
      const refunded = await poll(async () => {
        const payment = await paymentOf(orderId);
        return payment.status === 'REFUNDED' ? payment : undefined;
      }, 60_000);
      expect(refunded).toMatchObject({ orderId, status: 'REFUNDED' });
    }
    for (const orderId of orders.filter((id) => !cancelled.includes(id))) expect(await statusOf(orderId)).toBe('CONFIRMED');
  });
});
