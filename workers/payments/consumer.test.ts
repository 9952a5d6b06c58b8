import { env } from 'cloudflare:test';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';

import { notifications } from '@/notifications/tables';
import type { OrderCancelled, OrderCreated, PaymentEvent } from '@/orders/messages';
import { consumeOrderEvents } from '@/payments/consumer';
import { createSimulatedGateway, TransientGatewayError, type ChargeRequest, type PaymentGateway, type SimulatedMode } from '@/payments/gateway';
import type { PaymentDeps } from '@/payments/service';
import { paymentHistory, payments } from '@/payments/tables';
import { newId } from '@/platform/columns';
import { createDb, withTransaction } from '@/platform/db';
import { decodeBody } from '@/platform/dead-letters';
import { deadLetters } from '@/platform/tables';
import { fakeBatch, quietLogger } from '@test/support/saga-fakes';

/** A simulated gateway whose mode can change between deliveries, counting calls. */
function switchableGateway(initial: SimulatedMode) {
  const state = { mode: initial, charges: [] as ChargeRequest[], refunds: 0 };
  const gateway: PaymentGateway = {
    charge: (request) => {
      state.charges.push(request);
      return createSimulatedGateway(state.mode).charge(request);
    },
    refund: (request) => {
      state.refunds++;
      return createSimulatedGateway(state.mode).refund(request);
    },
  };
  return { gateway, state };
}

function setup(mode: SimulatedMode = { kind: 'success' }) {
  const published: PaymentEvent[] = [];
  const { gateway, state } = switchableGateway(mode);
  const deps: PaymentDeps = {
    db: createDb(env),
    gateway,
    publish: async (event) => void published.push(event),
    transaction: (fn) => withTransaction(env, fn),
    logger: quietLogger(),
    retryDelaysMs: [0, 0, 0],
  };
  return { deps, published, state };
}

function orderCreated(overrides: Partial<OrderCreated> = {}): OrderCreated {
  const orderId = newId();
  return {
    type: 'order.created',
    version: 1,
    correlationId: `corr-${orderId}`,
    eventId: newId(),
    orderId,
    userId: newId(),
    totalAmount: 12.34,
    currency: 'USD',
    items: [{ productId: 1, quantity: 1, unitPrice: 12.34 }],
    idempotencyKey: orderId,
    occurredAt: new Date().toISOString(),
    ...overrides,
  };
}

const paymentsOf = (orderId: string) => createDb(env).select().from(payments).where(eq(payments.orderId, orderId));
const deadLettersOf = async (orderId: string) => createDb(env).select().from(deadLetters).where(eq(deadLetters.originalKey, orderId));

describe('order-events consumer (payments)', () => {
  it('charges once for order.created delivered three times, re-publishing the same outcome', async () => {
    const t = setup();
    const event = orderCreated();
    const batch = fakeBatch('order-events', [event, event]);
    await consumeOrderEvents(t.deps, batch);
    const again = fakeBatch('order-events', [event], 2);
    await consumeOrderEvents(t.deps, again);

    const rows = await paymentsOf(event.orderId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'COMPLETED', amountCents: 1234, idempotencyKey: event.orderId, gatewayReference: `MOCK-${rows[0]!.id}` });
    expect(t.state.charges).toHaveLength(1);
    expect(t.published).toHaveLength(3);
    expect(new Set(t.published.map((e) => e.eventId)).size).toBe(1);
    expect(t.published[0]).toMatchObject({ type: 'payment.completed', orderId: event.orderId, paymentId: rows[0]!.id, amount: 12.34, correlationId: event.correlationId });
    expect([...batch.messages, ...again.messages].every((m) => m.acked && m.retried === null)).toBe(true);
    const history = await createDb(env).select().from(paymentHistory).where(eq(paymentHistory.paymentId, rows[0]!.id));
    expect(history.map((h) => [h.oldStatus, h.newStatus])).toEqual([[null, 'PENDING'], ['PENDING', 'COMPLETED']]);
  });

  it('records a decline as FAILED and publishes payment.failed — acked, never retried or dead-lettered', async () => {
    const t = setup({ kind: 'decline' });
    const event = orderCreated();
    const batch = fakeBatch('order-events', [event]);
    await consumeOrderEvents(t.deps, batch);
    const [payment] = await paymentsOf(event.orderId);
    expect(payment!.status).toBe('FAILED');
    expect(t.published).toEqual([expect.objectContaining({ type: 'payment.failed', paymentId: payment!.id, reason: `gateway declined (paymentId=${payment!.id})` })]);
    expect(batch.messages[0]!.acked).toBe(true);
    expect(batch.messages[0]!.retried).toBeNull();
    expect(t.state.charges).toHaveLength(1);
    expect(await deadLettersOf(event.orderId)).toHaveLength(0);
  });

  it('retries a transient gateway error with backoff, dead-letters on the last delivery, and a later delivery resumes the same payment', async () => {
    const t = setup({ kind: 'transient' });
    const event = orderCreated();
    const first = fakeBatch('order-events', [event], 1);
    await consumeOrderEvents(t.deps, first);
    expect(first.messages[0]!.acked).toBe(false);
    expect(first.messages[0]!.retried).toEqual({ delaySeconds: 2 });
    expect(t.state.charges).toHaveLength(4); // 1 + the in-consumer 100/200/400 ms retries
    const [pending] = await paymentsOf(event.orderId);
    expect(pending!.status).toBe('PENDING');

    const last = fakeBatch('order-events', [event], 5);
    await consumeOrderEvents(t.deps, last);
    expect(last.messages[0]!.acked).toBe(true);
    const [letter] = await deadLettersOf(event.orderId);
    expect(letter).toMatchObject({ queue: 'order-events', errorStage: 'process', attempts: 5, correlationId: event.correlationId });
    expect(letter!.errorReason).toContain('TransientGatewayError');
    expect(decodeBody(letter!.originalBody)).toEqual(event);
    expect(t.published).toEqual([]);

    t.state.mode = { kind: 'success' };
    const replay = fakeBatch('order-events', [event], 1);
    await consumeOrderEvents(t.deps, replay);
    const rows = await paymentsOf(event.orderId);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.id).toBe(pending!.id);
    expect(rows[0]!.status).toBe('COMPLETED');
    expect(new Set(t.state.charges.map((c) => c.paymentId))).toEqual(new Set([pending!.id]));
  });

  it('dead-letters an unparseable message at once (stage deserialize) without charging', async () => {
    const t = setup();
    const orderId = newId();
    const batch = fakeBatch('order-events', [{ type: 'order.created', orderId, totalAmount: 'lots' }]);
    await consumeOrderEvents(t.deps, batch);
    expect(batch.messages[0]!.acked).toBe(true);
    expect(t.state.charges).toHaveLength(0);
    const [letter] = await deadLettersOf(orderId);
    expect(letter).toMatchObject({ errorStage: 'deserialize', queue: 'order-events', attempts: 1 });
  });

  it('dead-letters (without retrying) an order.created whose amount contradicts the existing payment', async () => {
    const t = setup();
    const event = orderCreated();
    await consumeOrderEvents(t.deps, fakeBatch('order-events', [event]));
    const batch = fakeBatch('order-events', [{ ...event, totalAmount: 99 }]);
    await consumeOrderEvents(t.deps, batch);
    expect(batch.messages[0]!.acked).toBe(true);
    expect(batch.messages[0]!.retried).toBeNull();
    expect((await deadLettersOf(event.orderId))[0]!.errorReason).toContain('PermanentMessageError');
  });

  it('refunds a COMPLETED payment on order.cancelled once, and ignores cancellations without a completed payment', async () => {
    const t = setup();
    const event = orderCreated();
    await consumeOrderEvents(t.deps, fakeBatch('order-events', [event]));
    const cancelled: OrderCancelled = { type: 'order.cancelled', version: 1, correlationId: 'c', eventId: newId(), orderId: event.orderId, previousStatus: 'CONFIRMED', reason: 'cancelled by buyer', occurredAt: new Date().toISOString() };
    const batch = fakeBatch('order-events', [cancelled, cancelled]);
    await consumeOrderEvents(t.deps, batch);
    expect(batch.messages.every((m) => m.acked)).toBe(true);
    const [payment] = await paymentsOf(event.orderId);
    expect(payment!.status).toBe('REFUNDED');
    expect(t.state.refunds).toBe(1);
    const notices = await createDb(env).select().from(notifications).where(and(eq(notifications.orderId, event.orderId), eq(notifications.type, 'REFUND_ISSUED')));
    expect(notices.map((n) => n.userId)).toEqual([event.userId]);

    const nothing = fakeBatch('order-events', [{ ...cancelled, orderId: newId(), eventId: newId() }]);
    await consumeOrderEvents(t.deps, nothing);
    expect(nothing.messages[0]!.acked).toBe(true);
    expect(t.state.refunds).toBe(1);
  });

  it('a transient refund failure is retried', async () => {
    const t = setup();
    const event = orderCreated();
    await consumeOrderEvents(t.deps, fakeBatch('order-events', [event]));
    t.state.mode = { kind: 'transient' };
    const cancelled: OrderCancelled = { type: 'order.cancelled', version: 1, correlationId: 'c', eventId: newId(), orderId: event.orderId, previousStatus: 'CONFIRMED', reason: 'r', occurredAt: new Date().toISOString() };
    const batch = fakeBatch('order-events', [cancelled]);
    await consumeOrderEvents(t.deps, batch);
    expect(batch.messages[0]!.retried).not.toBeNull();
    expect((await paymentsOf(event.orderId))[0]!.status).toBe('COMPLETED');
    expect(TransientGatewayError).toBeDefined();
  });
});
