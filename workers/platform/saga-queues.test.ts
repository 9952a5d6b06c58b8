import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';

import { newId } from '@/platform/columns';
import { partitionBindings, partitionedQueue, partitionOf, sagaKeyOf, sagaQueue, sagaStageOf } from '@/platform/saga-queues';
import { FakeQueue } from '@test/support/saga-fakes';

describe('partitionOf', () => {
  it('is FNV-1a modulo the partition count: the same key always lands in the same partition', () => {
    // FNV-1a 32 of "a" is 0xe40c292c, of "foobar" 0xbf9cf968 (published test vectors).
    expect(partitionOf('a', 2 ** 31)).toBe(0xe40c292c % 2 ** 31);
    expect(partitionOf('foobar', 1000)).toBe(0xbf9cf968 % 1000);
    const id = newId();
    expect(new Set(Array.from({ length: 20 }, () => partitionOf(id, 4))).size).toBe(1);
    expect(partitionOf(id, 1)).toBe(0);
  });

  it('spreads order ids about evenly over the partitions', () => {
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 4000; i++) counts[partitionOf(newId(), 4)]!++;
    for (const count of counts) {
      expect(count).toBeGreaterThan(850);
      expect(count).toBeLessThan(1150);
    }
  });
});

describe('sagaStageOf and sagaKeyOf', () => {
  it('maps every partition of a stage to the stage, and nothing else', () => {
    expect(sagaStageOf('order-events')).toBe('order-events');
    expect(sagaStageOf('order-events-3')).toBe('order-events');
    expect(sagaStageOf('payment-events-12')).toBe('payment-events');
    for (const other of ['saga-dlq', 'embedding-jobs', 'order-events-0', 'order-events-x', 'order-events-dlq', 'xorder-events-1']) expect(sagaStageOf(other)).toBeNull();
  });

  it('keys a checkout.created by its checkout and every other saga message by its order', () => {
    const checkoutId = newId();
    const orderId = newId();
    expect(sagaKeyOf({ type: 'checkout.created', checkoutId, orders: [{ orderId }] })).toBe(checkoutId);
    expect(sagaKeyOf({ type: 'order.cancelled', orderId })).toBe(orderId);
    expect(sagaKeyOf({ type: 'payment.completed', orderId, paymentId: newId() })).toBe(orderId);
    expect(sagaKeyOf({ type: 'order.created' })).toBeNull();
    expect(sagaKeyOf('not an object')).toBeNull();
  });
});

describe('partitionedQueue', () => {
  const fakes = () => Array.from({ length: 4 }, () => new FakeQueue());

  it('sends every message of one order to the partition its id picks, in order, and splits a batch by partition', async () => {
    const queues = fakes();
    const queue = partitionedQueue(queues.map((q) => q.asQueue()));
    const orders = Array.from({ length: 12 }, () => newId());
    const batch = orders.flatMap((orderId) => [
      { body: { type: 'payment.completed', orderId, step: 1 } },
      { body: { type: 'order.cancelled', orderId, step: 2 } },
    ]);
    await queue.sendBatch(batch);
    await queue.send({ type: 'payment.failed', orderId: orders[0], step: 3 });
    for (const orderId of orders) {
      const partition = partitionOf(orderId, 4);
      const seen = queues.map((q) => q.sent.filter((body) => (body as { orderId: string }).orderId === orderId));
      expect(seen[partition]!.map((body) => (body as { step: number }).step)).toEqual(orderId === orders[0] ? [1, 2, 3] : [1, 2]);
      expect(seen.filter((bodies, i) => i !== partition).flat()).toEqual([]);
    }
    expect(queues.reduce((sum, q) => sum + q.sent.length, 0)).toBe(25);
  });

  it('sends a message without an order id to the first partition', async () => {
    const queues = fakes();
    await partitionedQueue(queues.map((q) => q.asQueue())).send({ hello: 'world' });
    expect(queues.map((q) => q.sent.length)).toEqual([1, 0, 0, 0]);
  });
});

describe('the bindings', () => {
  it('finds the four partitions of each stage wrangler.toml binds, the first under the stage name', async () => {
    expect(partitionBindings(env, 'order-events')).toEqual(['ORDER_EVENTS', 'ORDER_EVENTS_1', 'ORDER_EVENTS_2', 'ORDER_EVENTS_3']);
    expect(partitionBindings(env, 'payment-events')).toEqual(['PAYMENT_EVENTS', 'PAYMENT_EVENTS_1', 'PAYMENT_EVENTS_2', 'PAYMENT_EVENTS_3']);
    // A configuration with only the first binding is one partition: every message goes there.
    const only = new FakeQueue();
    const orderId = newId();
    await sagaQueue({ ORDER_EVENTS: only.asQueue() }, 'order-events').send({ type: 'order.cancelled', orderId });
    expect(only.sent).toHaveLength(1);
  });
});
