import { env } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';

import { createTestApp } from '@/app';
import { reserveStock } from '@/catalog/stock';
import { createSagaAdminRouter } from '@/orders/admin-routes';
import { deadLetterDepsFromEnv, stockDepsFromEnv } from '@/composition';
import { newId } from '@/platform/columns';
import { createDb } from '@/platform/db';
import { consumeDeadLetterQueue, storeDeadLetter } from '@/platform/dead-letters';
import { partitionBindings, partitionOf } from '@/platform/saga-queues';
import { deadLetters } from '@/platform/tables';
import { createTestProduct, createTestUser, jsonHeaders } from '@test/support/shop-fixtures';
import { fakeBatch, FakeQueue, quietLogger, stageTo } from '@test/support/saga-fakes';

const app = createTestApp(createSagaAdminRouter(deadLetterDepsFromEnv, stockDepsFromEnv));

type Letter = { id: number; queue: string; replayedAt: string | null; body: unknown; errorStage: string };

describe('admin dead letters', () => {
  it('lists dead letters with saga counts, for admins only', async () => {
    const [admin, customer] = await Promise.all([createTestUser('admin'), createTestUser('customer')]);
    const orderId = newId();
    await storeDeadLetter(createDb(env), { queue: 'payment-events', messageId: `m-${orderId}`, body: { type: 'payment.completed', orderId, correlationId: 'c1' }, stage: 'process', reason: 'boom', attempts: 5 });
    const res = await app.request('/api/v1/admin/dead-letters?size=100', { headers: admin.auth }, env);
    expect(res.status).toBe(200);
    const body = await res.json<{ data: { counts: { dlqDepth: number; outboxBacklog: number; pendingOrders: { total: number } }; items: Letter[] }; meta: { totalElements: number } }>();
    expect(body.data.counts.dlqDepth).toBeGreaterThanOrEqual(1);
    expect(body.data.counts).toHaveProperty('outboxBacklog');
    expect(body.data.counts.pendingOrders).toHaveProperty('olderThan15m');
    expect(body.data.items.find((l) => (l.body as { orderId?: string }).orderId === orderId)).toMatchObject({ queue: 'payment-events', errorStage: 'process', replayedAt: null });
    expect((await app.request('/api/v1/admin/dead-letters', { headers: customer.auth }, env)).status).toBe(403);
    expect((await app.request('/api/v1/admin/dead-letters', {}, env)).status).toBe(401);
  });

  it('replays to the original queue once; a second replay sends nothing; unparseable letters are not replayable', async () => {
    const admin = await createTestUser('admin');
    const orderId = newId();
    const message = { type: 'order.created', orderId, correlationId: 'c2', version: 1 };
    await storeDeadLetter(createDb(env), { queue: 'order-events', messageId: `m-${orderId}`, body: message, stage: 'process', reason: 'boom', attempts: 5 });
    const [row] = await createDb(env).select().from(deadLetters).where(eq(deadLetters.originalKey, orderId));
    const orderEvents = new FakeQueue();
    const testEnv = { ...env, ...stageTo('order-events', orderEvents.asQueue()) };
    const replay = () => app.request(`/api/v1/admin/dead-letters/${row!.id}/replay`, { method: 'POST', headers: jsonHeaders(admin) }, testEnv);

    const first = await replay();
    expect(first.status).toBe(200);
    expect((await first.json<{ data: { requeued: boolean } }>()).data.requeued).toBe(true);
    expect(orderEvents.sent).toEqual([message]);
    const second = await replay();
    expect(second.status).toBe(200);
    expect((await second.json<{ data: { requeued: boolean; deadLetter: Letter } }>()).data).toMatchObject({ requeued: false, deadLetter: { replayedAt: expect.any(String) } });
    expect(orderEvents.sent).toHaveLength(1);

    orderEvents.failing = true;
    const other = newId();
    await storeDeadLetter(createDb(env), { queue: 'order-events', messageId: `m-${other}`, body: { ...message, orderId: other }, stage: 'process', reason: 'x', attempts: 5 });
    const [otherRow] = await createDb(env).select().from(deadLetters).where(eq(deadLetters.originalKey, other));
    const down = await app.request(`/api/v1/admin/dead-letters/${otherRow!.id}/replay`, { method: 'POST', headers: jsonHeaders(admin) }, testEnv);
    expect(down.status).toBe(503);
    expect((await createDb(env).select().from(deadLetters).where(eq(deadLetters.id, otherRow!.id)))[0]!.replayedAt).toBeNull();

    const garbage = newId();
    await storeDeadLetter(createDb(env), { queue: 'order-events', messageId: `g-${garbage}`, body: { orderId: garbage, nonsense: true }, stage: 'deserialize', reason: 'bad', attempts: 1 });
    const [garbageRow] = await createDb(env).select().from(deadLetters).where(eq(deadLetters.originalKey, garbage));
    expect((await app.request(`/api/v1/admin/dead-letters/${garbageRow!.id}/replay`, { method: 'POST', headers: jsonHeaders(admin) }, testEnv)).status).toBe(409);
    expect((await app.request('/api/v1/admin/dead-letters/999999999/replay', { method: 'POST', headers: jsonHeaders(admin) }, testEnv)).status).toBe(404);
  });

  it('replays a letter that failed on a partition to its stage, on the partition its order id picks', async () => {
    const admin = await createTestUser('admin');
    const orderId = newId();
    const message = { type: 'payment.completed', orderId, paymentId: newId(), correlationId: 'c4', version: 1 };
    await storeDeadLetter(createDb(env), { queue: 'payment-events-2', messageId: `m-${orderId}`, body: message, stage: 'process', reason: 'boom', attempts: 5 });
    const [row] = await createDb(env).select().from(deadLetters).where(eq(deadLetters.originalKey, orderId));
    expect(row!.queue).toBe('payment-events-2');
    const partitions = partitionBindings(env, 'payment-events').map(() => new FakeQueue());
    const testEnv = { ...env, ...Object.fromEntries(partitionBindings(env, 'payment-events').map((name, i) => [name, partitions[i]!.asQueue()])) };
    const res = await app.request(`/api/v1/admin/dead-letters/${row!.id}/replay`, { method: 'POST', headers: jsonHeaders(admin) }, testEnv);
    expect(res.status).toBe(200);
    expect(partitions.map((q) => q.sent)).toEqual(partitions.map((_, i) => (i === partitionOf(orderId, partitions.length) ? [message] : [])));
  });

  it('the saga-dlq consumer stores exhausted messages under their original queue', async () => {
    const orderId = newId();
    const batch = fakeBatch('saga-dlq', [{ type: 'payment.failed', orderId, correlationId: 'c3' }]);
    await consumeDeadLetterQueue({ db: createDb(env), logger: quietLogger() }, batch);
    expect(batch.messages[0]!.acked).toBe(true);
    const [row] = await createDb(env).select().from(deadLetters).where(eq(deadLetters.originalKey, orderId));
    expect(row).toMatchObject({ queue: 'payment-events', errorStage: 'process', attempts: 5, correlationId: 'c3' });
  });
});

describe('admin stock ledger', () => {
  it("shows a product's StockDO counts and reservations by order id, to admins only", async () => {
    const [admin, customer, seller] = await Promise.all([createTestUser('admin'), createTestUser('customer'), createTestUser('seller')]);
    const { id: productId } = await createTestProduct(seller.id, { stock: 7 });
    const untouched = await app.request(`/api/v1/admin/stock/${productId}/ledger`, { headers: admin.auth }, env);
    expect(await untouched.json()).toEqual({ success: true, data: { productId, touched: false, snapshot: null, reservations: [] } });

    const orderId = newId();
    await reserveStock(stockDepsFromEnv(env), orderId, [{ productId, quantity: 3 }], 60_000);
    const res = await app.request(`/api/v1/admin/stock/${productId}/ledger`, { headers: admin.auth }, env);
    expect(res.status).toBe(200);
    expect((await res.json<{ data: unknown }>()).data).toEqual({
      productId,
      touched: true,
      snapshot: expect.objectContaining({ productId, onHand: 7, reserved: 3, available: 4 }),
      reservations: [{ orderId, quantity: 3, status: 'RESERVED' }],
    });
    expect((await app.request(`/api/v1/admin/stock/${productId}/ledger`, { headers: customer.auth }, env)).status).toBe(403);
    expect((await app.request(`/api/v1/admin/stock/${productId}/ledger`, {}, env)).status).toBe(401);
    expect((await app.request('/api/v1/admin/stock/abc/ledger', { headers: admin.auth }, env)).status).toBe(400);
  });
});
