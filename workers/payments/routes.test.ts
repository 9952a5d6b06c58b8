import { env } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';

import { createTestApp } from '@/app';
import { placeOrder } from '@/orders/placing';
import { consumeOrderEvents } from '@/payments/consumer';
import { createSimulatedGateway, type SimulatedMode } from '@/payments/gateway';
import type { PaymentEvent } from '@/orders/messages';
import { createPaymentsRouter } from '@/payments/routes';
import type { PaymentDeps } from '@/payments/service';
import { payments } from '@/payments/tables';
import { newId } from '@/platform/columns';
import { createDb, withTransaction } from '@/platform/db';
import { createTestProduct, createTestUser, jsonHeaders, type TestUser } from '@test/support/shop-fixtures';
import { fakeBatch, fakeOrderDeps, quietLogger } from '@test/support/saga-fakes';

type Envelope<T> = { data: T; meta?: { totalElements: number; page: number; size: number }; error?: { code: string } };
type Payment = { id: string; orderId: string; userId: string; amount: number; status: string; method: string; gatewayReference: string | null };

let buyer: TestUser;
let stranger: TestUser;
let admin: TestUser;
let productId: number;
const mode: { current: SimulatedMode } = { current: { kind: 'success' } };
const published: PaymentEvent[] = [];
const deps: PaymentDeps = {
  db: createDb(env),
  gateway: { charge: (r) => createSimulatedGateway(mode.current).charge(r), refund: (r) => createSimulatedGateway(mode.current).refund(r) },
  publish: async (event) => void published.push(event),
  transaction: (fn) => withTransaction(env, fn),
  logger: quietLogger(),
  retryDelaysMs: [0],
};
const app = createTestApp(createPaymentsRouter(() => deps));
const call = async <T = Payment>(method: string, path: string, user: TestUser | null, body?: unknown, headers: Record<string, string> = {}) => {
  const res = await app.request(path, { method, headers: user ? jsonHeaders(user, headers) : {}, ...(body === undefined ? {} : { body: JSON.stringify(body) }) }, env);
  return { status: res.status, body: (await res.json()) as Envelope<T> };
};

beforeAll(async () => {
  [buyer, stranger, admin] = await Promise.all([createTestUser('customer'), createTestUser('customer'), createTestUser('admin')]);
  productId = (await createTestProduct((await createTestUser('seller')).id, { priceCents: 2500 })).id;
});

async function newOrder() {
  const { order } = await placeOrder(fakeOrderDeps().deps, { id: buyer.id, role: 'customer' }, { items: [{ productId, quantity: 2 }], shippingAddress: { street: 's', city: 'c', state: 'st', country: 'VN', zipCode: '7' } }, 'corr');
  return order;
}

describe('payments API', () => {
  it('GET /payments/order/{orderId} is 404 until the saga created the payment, then visible to the buyer and admins only', async () => {
    const order = await newOrder();
    expect((await call('GET', `/api/v1/payments/order/${order.id}`, buyer)).status).toBe(404);
    await consumeOrderEvents(deps, fakeBatch('order-events', [{ type: 'order.created', version: 1, correlationId: 'c', eventId: newId(), orderId: order.id, userId: buyer.id, totalAmount: 50, currency: 'USD', items: [{ productId, quantity: 2, unitPrice: 25 }], idempotencyKey: order.id, occurredAt: new Date().toISOString() }]));

    const mine = await call('GET', `/api/v1/payments/order/${order.id}`, buyer);
    expect(mine.status).toBe(200);
    expect(mine.body.data).toMatchObject({ orderId: order.id, userId: buyer.id, amount: 50, currency: 'USD', status: 'COMPLETED', method: 'MOCK_CARD' });
    expect((await call('GET', `/api/v1/payments/order/${order.id}`, stranger)).status).toBe(403);
    expect((await call('GET', `/api/v1/payments/order/${order.id}`, admin)).status).toBe(200);

    const id = mine.body.data.id;
    expect((await call('GET', `/api/v1/payments/${id}`, buyer)).status).toBe(200);
    expect((await call('GET', `/api/v1/payments/${id}`, stranger)).status).toBe(403);
    expect((await call('GET', `/api/v1/payments/${newId()}`, buyer)).status).toBe(404);
    expect((await call('GET', '/api/v1/payments/nope', buyer)).status).toBe(400);

    const list = await call<Payment[]>('GET', '/api/v1/payments?page=1&size=10', buyer);
    expect(list.status).toBe(200);
    expect(list.body.data.map((p) => p.id)).toContain(id);
    expect(list.body.meta).toMatchObject({ page: 1, size: 10 });
    expect((await call<Payment[]>('GET', '/api/v1/payments', stranger)).body.data).toEqual([]);
  });

  it('POST /payments is admin-only, checks the amount, charges once and rejects a second payment with 409', async () => {
    const order = await newOrder();
    const body = { orderId: order.id, amount: 50, currency: 'USD', idempotencyKey: `manual-${order.id}` };
    expect((await call('POST', '/api/v1/payments', buyer, body)).status).toBe(403);
    expect((await call('POST', '/api/v1/payments', null, body)).status).toBe(401);
    const wrong = await call('POST', '/api/v1/payments', admin, { ...body, amount: 49.99 });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error!.code).toBe('AMOUNT_MISMATCH');
    expect((await call('POST', '/api/v1/payments', admin, { ...body, orderId: newId() })).status).toBe(404);

    const created = await call('POST', '/api/v1/payments', admin, body);
    expect(created.status).toBe(201);
    expect(created.body.data).toMatchObject({ orderId: order.id, userId: buyer.id, status: 'COMPLETED', amount: 50 });
    expect(published.filter((e) => e.orderId === order.id).map((e) => e.type)).toEqual(['payment.completed']);
    const dup = await call('POST', '/api/v1/payments', admin, { ...body, idempotencyKey: 'another' });
    expect(dup.status).toBe(409);
    expect(dup.body.error!.code).toBe('DUPLICATE_PAYMENT');
    expect(await createDb(env).select().from(payments).where(eq(payments.orderId, order.id))).toHaveLength(1);
  });

  it('replays POST /payments for the same Idempotency-Key and answers 504 when the gateway keeps timing out', async () => {
    const order = await newOrder();
    const body = { orderId: order.id, amount: 50, currency: 'USD', idempotencyKey: `k-${order.id}` };
    mode.current = { kind: 'transient' };
    const timeout = await call('POST', '/api/v1/payments', admin, body, { 'idempotency-key': `h-${order.id}` });
    expect(timeout.status).toBe(504);
    expect(timeout.body.error!.code).toBe('GATEWAY_TIMEOUT');
    const [pending] = await createDb(env).select().from(payments).where(eq(payments.orderId, order.id));
    expect(pending!.status).toBe('PENDING');

    mode.current = { kind: 'success' };
    const other = await newOrder();
    const otherBody = { orderId: other.id, amount: 50, currency: 'USD', idempotencyKey: `k-${other.id}` };
    const first = await call('POST', '/api/v1/payments', admin, otherBody, { 'idempotency-key': `h-${other.id}` });
    const again = await call('POST', '/api/v1/payments', admin, otherBody, { 'idempotency-key': `h-${other.id}` });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect((await call('POST', '/api/v1/payments', admin, { ...otherBody, amount: 1 }, { 'idempotency-key': `h-${other.id}` })).status).toBe(422);
  });
});
