import { createExecutionContext, createMessageBatch, env, getQueueResult } from 'cloudflare:test';
import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';

import { createApp } from '@/app';
import worker from '@/index';
import { sweepOutbox } from '@/orders/outbox';
import { outbox } from '@/orders/tables';
import { createDb } from '@/platform/db';
import { jsonHeaders } from '@test/support/shop-fixtures';
import { quietLogger, stageTo } from '@test/support/saga-fakes';

import { ADDRESS, mirrored, newShop, noticesOf, orderHistoryOf, orderRow, paymentHistoryOf, paymentsOf, poll, stockOf } from '@test/reliability/harness';
import { expectInvariants } from '@test/support/invariants';

const outboxRowsOf = (orderId: string) => createDb(env).select().from(outbox).where(eq(outbox.aggregateId, orderId));

/** A queue binding that is down: every send throws, as when the Queues API is unreachable. */
const deadQueue = {
  send: async () => {
    throw new Error('queue unavailable');
  },
  sendBatch: async () => {
    throw new Error('queue unavailable');
  },
} as unknown as Queue;

/**
 * The real `order-events` queue, but only for this test's order. The outbox table is shared with
 * every other test file, whose leftover rows the sweep also picks up; those are recorded and
 * dropped (as workers/orders/scheduled.test.ts does with its fake queue) instead of starting real
 * sagas for other tests' orders.
 */
function queueFor(orderId: string) {
  const sent: unknown[] = [];
  const queue = {
    sendBatch: async (messages: Iterable<{ body: unknown }>) => {
      const mine = [...messages].filter((m) => (m.body as { orderId?: string }).orderId === orderId);
      sent.push(...mine.map((m) => m.body));
      if (mine.length > 0) await env.ORDER_EVENTS.sendBatch(mine.map((m) => ({ body: m.body, contentType: 'json' as const })));
    },
  } as unknown as Queue;
  return { queue, sent };
}

/**
 * Row 5: the order commits but the immediate relay to `order-events` fails → the outbox row stays
 * unpublished (attempt counted, error kept) → the cron's sweep delivers it later → the payment
 * happens once, and neither a second sweep nor a duplicate send (relay and sweep racing) charges again.
 */
describe('reliability: outbox relay down, then back', () => {
  it('keeps the row unpublished, the sweep delivers it, the order is paid exactly once', async () => {
    const shop = await newShop(10, 1500);
    const res = await createApp().request(
      '/api/v1/orders',
      { method: 'POST', headers: jsonHeaders(shop.buyer), body: JSON.stringify({ items: [{ productId: shop.productId, quantity: 2 }], shippingAddress: ADDRESS }) },
      { ...env, ...stageTo('order-events', deadQueue) },
    );
    expect(res.status).toBe(201);
    const orderId = (await res.json<{ data: { id: string; status: string } }>()).data.id;
    const [row] = await outboxRowsOf(orderId);
    expect(row).toMatchObject({ eventType: 'order.created', publishedAt: null, attempts: 1, lastError: 'queue unavailable' });
    expect(await paymentsOf(orderId)).toEqual([]);
    expect(await stockOf(shop.productId)).toMatchObject({ onHand: 10, reserved: 2 });

    // 45 s later the cron's sweep runs with the queue back up.
    await createDb(env).update(outbox).set({ createdAt: sql`now() - interval '45 seconds'` }).where(eq(outbox.aggregateId, orderId));
    const real = queueFor(orderId);
    for (let sweep = 0; sweep < 30 && real.sent.length === 0; sweep++) await sweepOutbox(createDb(env), real.queue, quietLogger());
    expect(real.sent).toHaveLength(1);
    expect((await outboxRowsOf(orderId))[0]).toMatchObject({ attempts: 2, lastError: null, publishedAt: expect.any(Date) });

    await poll(async () => ((await orderRow(orderId))!.status === 'CONFIRMED' ? true : undefined));
    await poll(async () => ((await stockOf(shop.productId)).mirror.sold === 2 ? true : undefined));

    // A later sweep resends nothing; a duplicate send (relay and sweep racing) is absorbed by the consumers.
    const again = queueFor(orderId);
    await sweepOutbox(createDb(env), again.queue, quietLogger());
    expect(again.sent).toEqual([]);
    // The duplicate goes to the Worker's own queue handler, and the test waits until that delivery has settled.
    const duplicate = createMessageBatch('order-events', [{ id: `duplicate-${orderId}`, timestamp: new Date(), attempts: 1, body: row!.payload }]);
    const ctx = createExecutionContext();
    await worker.queue(duplicate, env, ctx);
    expect((await getQueueResult(duplicate, ctx)).explicitAcks).toEqual([`duplicate-${orderId}`]);

    const paid = await paymentsOf(orderId);
    expect(paid.map((p) => p.status)).toEqual(['COMPLETED']);
    expect(await paymentHistoryOf(orderId)).toEqual([
      [null, 'PENDING'],
      ['PENDING', 'COMPLETED'],
    ]);
    expect(await orderRow(orderId)).toMatchObject({ status: 'CONFIRMED', paymentId: paid[0]!.id });
    expect(await orderHistoryOf(orderId)).toEqual([
      [null, 'PENDING'],
      ['PENDING', 'CONFIRMED'],
    ]);
    expect(await noticesOf(orderId)).toEqual(['ORDER_PAID', 'ORDER_PLACED', 'PAYMENT_CONFIRMED']);
    const stock = await stockOf(shop.productId);
    expect(stock).toMatchObject({ onHand: 8, reserved: 0, sold: 2 });
    expect(stock.mirror).toEqual(mirrored(stock));
    await expectInvariants(shop.productId);
  }, 30_000);
});
