import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from 'cloudflare:test';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';

import worker from '@/index';
import { orderDepsFromEnv } from '@/composition';
import { releaseShippedEarnings } from '@/orders/maintenance';
import { applyPaymentCompleted } from '@/orders/payment-events';
import { runScheduledMaintenance } from '@/orders/scheduled';
import { placeOrder } from '@/orders/placing';
import { sellerLedgerEntries } from '@/marketplace/tables';
import { orders, orderStatusHistory, outbox } from '@/orders/tables';
import { shipOrder } from '@/orders/transitions';
import { createDb } from '@/platform/db';
import { createTestProduct, createTestUser, type TestUser } from '@test/support/shop-fixtures';
import { fakeOrderDeps, FakeQueue } from '@test/support/saga-fakes';
import { poll } from '@test/support/poll';

const ADDRESS = { street: 's', city: 'c', state: 'st', country: 'VN', zipCode: '7' };
let buyer: TestUser;
let productId: number;

beforeAll(async () => {
  buyer = await createTestUser('customer');
  productId = (await createTestProduct((await createTestUser('seller')).id, { priceCents: 700 })).id;
});

function setup() {
  const queue = new FakeQueue();
  const fakes = fakeOrderDeps({ orderEvents: queue.asQueue() });
  return { ...fakes, queue };
}

async function placeUnpublished(t: ReturnType<typeof setup>) {
  const { order } = await placeOrder(t.deps, { id: buyer.id, role: 'customer' }, { items: [{ productId, quantity: 1 }], shippingAddress: ADDRESS }, 'corr');
  return order.id;
}

const ageOrder = (id: string, seconds: number) =>
  createDb(env).update(orders).set({ createdAt: sql`now() - make_interval(secs => ${seconds})` }).where(eq(orders.id, id));
const ageOutbox = (id: string, seconds: number) =>
  createDb(env).update(outbox).set({ createdAt: sql`now() - make_interval(secs => ${seconds})` }).where(eq(outbox.aggregateId, id));
const outboxOf = (id: string) => createDb(env).select().from(outbox).where(eq(outbox.aggregateId, id)).orderBy(outbox.id);
const sentFor = (queue: FakeQueue, id: string) => (queue.sent as { orderId: string; type: string }[]).filter((m) => m.orderId === id).map((m) => m.type);

describe('cron maintenance', () => {
  it('resends outbox rows left unpublished for over 30 s, and only those', async () => {
    const t = setup();
    const fresh = await placeUnpublished(t);
    const stale = await placeUnpublished(t);
    await ageOutbox(stale, 45);
    await runScheduledMaintenance(t.deps);
    expect(sentFor(t.queue, stale)).toEqual(['order.created']);
    expect(sentFor(t.queue, fresh)).toEqual([]);
    expect((await outboxOf(stale))[0]!.publishedAt).not.toBeNull();
    expect((await outboxOf(fresh))[0]!.publishedAt).toBeNull();
  });

  it('leaves rows unpublished and counts the attempt when the queue is down', async () => {
    const t = setup();
    const id = await placeUnpublished(t);
    await ageOutbox(id, 45);
    t.queue.failing = true;
    await runScheduledMaintenance(t.deps);
    const [row] = await outboxOf(id);
    expect(row!.publishedAt).toBeNull();
    expect(row!.attempts).toBe(1);
    expect(row!.lastError).toBe('queue down');
    t.queue.failing = false;
    await runScheduledMaintenance(t.deps);
    expect((await outboxOf(id))[0]!.publishedAt).not.toBeNull();
  });

  it('re-publishes order.created for a PENDING order older than 2 minutes, at most 5 times', async () => {
    const t = setup();
    const id = await placeUnpublished(t);
    await createDb(env).update(outbox).set({ publishedAt: sql`now()` }).where(eq(outbox.aggregateId, id));
    await ageOrder(id, 180);
    await ageOutbox(id, 180);
    await runScheduledMaintenance(t.deps);
    expect(sentFor(t.queue, id)).toEqual(['order.created']);
    const rows = await outboxOf(id);
    expect(rows).toHaveLength(2);
    expect(rows[1]!.payload).toEqual(rows[0]!.payload);

    // Not again within 2 minutes of the last publication…
    await runScheduledMaintenance(t.deps);
    expect(await outboxOf(id)).toHaveLength(2);
    // …and never more than 5 re-publications.
    for (let i = 0; i < 6; i++) {
      await ageOutbox(id, 180);
      await runScheduledMaintenance(t.deps);
    }
    expect(await outboxOf(id)).toHaveLength(6);
    expect(sentFor(t.queue, id)).toHaveLength(5);
  });

  it('cancels PENDING orders older than 15 minutes (payment timeout), releasing stock and announcing order.cancelled', async () => {
    const t = setup();
    const id = await placeUnpublished(t);
    await ageOrder(id, 16 * 60);
    await runScheduledMaintenance(t.deps);
    const [order] = await createDb(env).select().from(orders).where(eq(orders.id, id));
    expect(order).toMatchObject({ status: 'CANCELLED', cancelReason: 'payment timeout' });
    expect(t.stock.callsFor(id)).toEqual(['reserve', 'release']);
    expect(sentFor(t.queue, id)).toContain('order.cancelled');
    const cancelledRows = await createDb(env).select().from(outbox).where(and(eq(outbox.aggregateId, id), eq(outbox.eventType, 'order.cancelled')));
    expect(cancelledRows).toHaveLength(1);
  });

  it('prunes published outbox rows older than 7 days', async () => {
    const t = setup();
    const id = await placeUnpublished(t);
    await createDb(env).update(outbox).set({ publishedAt: sql`now() - interval '8 days'` }).where(eq(outbox.aggregateId, id));
    const report = await runScheduledMaintenance(t.deps);
    expect(report.prunedOutbox).toBeGreaterThanOrEqual(1);
    expect(await outboxOf(id)).toHaveLength(0);
  });

  it("releases the earnings of orders shipped over 14 days ago once, and not those shipped since", async () => {
    const t = setup();
    const seller = await createTestUser('seller');
    const { id: product } = await createTestProduct(seller.id, { priceCents: 1_000 });
    const shipped = async (daysAgo: number) => {
      const { order } = await placeOrder(t.deps, { id: buyer.id, role: 'customer' }, { items: [{ productId: product, quantity: 1 }], shippingAddress: ADDRESS }, 'release');
      await applyPaymentCompleted(t.deps, { type: 'payment.completed', version: 1, correlationId: 'release', eventId: crypto.randomUUID(), orderId: order.id, paymentId: crypto.randomUUID(), amount: order.totalAmount, occurredAt: new Date().toISOString() });
      await shipOrder(t.deps, { id: seller.id, role: 'seller' }, order.id);
      await createDb(env).update(orderStatusHistory).set({ changedAt: sql`now() - make_interval(days => ${daysAgo})` }).where(and(eq(orderStatusHistory.orderId, order.id), eq(orderStatusHistory.newStatus, 'SHIPPED')));
      return order.id;
    };
    const [due, recent] = [await shipped(15), await shipped(2)];
    const releases = () => createDb(env).select({ orderId: sellerLedgerEntries.orderId }).from(sellerLedgerEntries).where(and(inArray(sellerLedgerEntries.orderId, [due, recent]), eq(sellerLedgerEntries.type, 'RELEASE')));

    expect(await releaseShippedEarnings(t.deps.db, t.deps.transaction, 1_000)).toBeGreaterThanOrEqual(1);
    expect(await releases()).toEqual([{ orderId: due }]);
    await releaseShippedEarnings(t.deps.db, t.deps.transaction, 1_000);
    expect(await releases()).toEqual([{ orderId: due }]);
  });

  // In this file (not beside the dispatcher tests) so no other test's aged rows race this real cron run.
  it('the cron relays an outbox row the request never sent, and the saga then confirms the order', async () => {
    const [buyer, seller] = await Promise.all([createTestUser('customer'), createTestUser('seller')]);
    const { id: productId } = await createTestProduct(seller.id, { priceCents: 900, stock: 3 });
    const deps = orderDepsFromEnv(env);
    const { order } = await placeOrder(deps, { id: buyer.id, role: 'customer' }, { items: [{ productId, quantity: 1 }], shippingAddress: { street: 's', city: 'c', state: 'st', country: 'VN', zipCode: '7' } }, 'cron-corr');
    const db = createDb(env);
    await db.update(outbox).set({ createdAt: sql`now() - interval '1 minute'` }).where(eq(outbox.aggregateId, order.id));

    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ cron: '* * * * *' }), env, ctx);
    await waitOnExecutionContext(ctx);
    const [row] = await db.select().from(outbox).where(eq(outbox.aggregateId, order.id));
    expect(row!.publishedAt).not.toBeNull();

    const status = await poll(async () => {
      const [row] = await db.select({ status: orders.status }).from(orders).where(eq(orders.id, order.id));
      return row!.status === 'PENDING' ? undefined : row!.status;
    });
    expect(status).toBe('CONFIRMED');
  });
});
