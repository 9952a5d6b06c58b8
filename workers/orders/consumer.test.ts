import { env } from 'cloudflare:test';
import { and, asc, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';

import { notifications } from '@/notifications/tables';
import { consumePaymentEvents } from '@/orders/consumer';
import { placeOrder } from '@/orders/placing';
import { cancelOrder } from '@/orders/transitions';
import { orders, orderStatusHistory, outbox } from '@/orders/tables';
import type { PaymentEvent } from '@/orders/messages';
import { newId } from '@/platform/columns';
import { createDb } from '@/platform/db';
import { deadLetters } from '@/platform/tables';
import { createTestProduct, createTestUser, type TestUser } from '@test/support/shop-fixtures';
import { fakeBatch, fakeOrderDeps } from '@test/support/saga-fakes';

const ADDRESS = { street: 's', city: 'c', state: 'st', country: 'VN', zipCode: '7' };
let buyer: TestUser;
let seller: TestUser;
let productId: number;

beforeAll(async () => {
  [buyer, seller] = await Promise.all([createTestUser('customer'), createTestUser('seller')]);
  productId = (await createTestProduct(seller.id, { priceCents: 1234 })).id;
});

async function pendingOrder(t: ReturnType<typeof fakeOrderDeps>) {
  const { order } = await placeOrder(t.deps, { id: buyer.id, role: 'customer' }, { items: [{ productId, quantity: 1 }], shippingAddress: ADDRESS }, 'corr');
  return order.id;
}

const completed = (orderId: string, paymentId = newId()): PaymentEvent => ({ type: 'payment.completed', version: 1, correlationId: 'corr', eventId: `${paymentId}:COMPLETED`, orderId, paymentId, amount: 12.34, occurredAt: new Date().toISOString() });
const failed = (orderId: string, paymentId = newId()): PaymentEvent => ({ type: 'payment.failed', version: 1, correlationId: 'corr', eventId: `${paymentId}:FAILED`, orderId, paymentId, reason: `gateway declined (paymentId=${paymentId})`, occurredAt: new Date().toISOString() });

const orderRow = async (id: string) => (await createDb(env).select().from(orders).where(eq(orders.id, id)))[0]!;
const historyOf = (id: string) => createDb(env).select().from(orderStatusHistory).where(eq(orderStatusHistory.orderId, id));
const noticesOf = (id: string) => createDb(env).select().from(notifications).where(eq(notifications.orderId, id));

describe('payment-events consumer (orders)', () => {
  it('payment.completed confirms a PENDING order, commits stock and notifies buyer and seller; a duplicate changes nothing', async () => {
    const t = fakeOrderDeps();
    const id = await pendingOrder(t);
    const event = completed(id);
    const batch = fakeBatch('payment-events', [event]);
    await consumePaymentEvents(t.deps, batch);
    expect(batch.messages[0]!.acked).toBe(true);
    const order = await orderRow(id);
    expect(order.status).toBe('CONFIRMED');
    expect(order.paymentId).toBe(event.paymentId);
    expect(t.stock.callsFor(id)).toEqual(['reserve', 'commit']);
    const notices = await noticesOf(id);
    expect(notices.filter((n) => n.type === 'ORDER_PAID').map((n) => n.userId)).toEqual([seller.id]);
    expect(notices.filter((n) => n.type === 'PAYMENT_CONFIRMED').map((n) => n.userId)).toEqual([buyer.id]);

    const dup = fakeBatch('payment-events', [event, event], 2);
    await consumePaymentEvents(t.deps, dup);
    expect(dup.messages.every((m) => m.acked)).toBe(true);
    expect((await historyOf(id)).map((h) => h.newStatus)).toEqual(['PENDING', 'CONFIRMED']);
    expect((await noticesOf(id)).length).toBe(notices.length);
    expect(t.stock.reserved.has(id)).toBe(false);
  });

  it('payment.failed cancels a PENDING order, releases stock and tells the buyer; duplicates and late events are no-ops', async () => {
    const t = fakeOrderDeps();
    const id = await pendingOrder(t);
    const event = failed(id);
    await consumePaymentEvents(t.deps, fakeBatch('payment-events', [event, event]));
    const order = await orderRow(id);
    expect(order.status).toBe('CANCELLED');
    expect(order.cancelReason).toContain('payment failed: gateway declined');
    expect(t.stock.callsFor(id)).toEqual(['reserve', 'release', 'release']);
    expect((await noticesOf(id)).filter((n) => n.type === 'PAYMENT_FAILED').map((n) => n.userId)).toEqual([buyer.id]);
    expect((await historyOf(id)).map((h) => [h.oldStatus, h.newStatus, h.changedBy])).toEqual([
      [null, 'PENDING', buyer.id],
      ['PENDING', 'CANCELLED', 'system:payments'],
    ]);

    const confirmedId = await pendingOrder(t);
    await consumePaymentEvents(t.deps, fakeBatch('payment-events', [completed(confirmedId)]));
    const late = fakeBatch('payment-events', [failed(confirmedId)]);
    await consumePaymentEvents(t.deps, late);
    expect(late.messages[0]!.acked).toBe(true);
    expect((await orderRow(confirmedId)).status).toBe('CONFIRMED');
  });

  it('payment.completed for an order the buyer already cancelled keeps it CANCELLED, requests a refund once and tells the buyer', async () => {
    const t = fakeOrderDeps();
    const id = await pendingOrder(t);
    await cancelOrder(t.deps, { id: buyer.id, role: 'customer' }, id, undefined, 'corr');
    const event = completed(id);
    await consumePaymentEvents(t.deps, fakeBatch('payment-events', [event]));
    await consumePaymentEvents(t.deps, fakeBatch('payment-events', [event], 2));

    const order = await orderRow(id);
    expect(order.status).toBe('CANCELLED');
    expect(order.paymentId).toBe(event.paymentId);
    const refunds = await createDb(env).select().from(outbox).where(and(eq(outbox.aggregateId, id), eq(outbox.eventType, 'order.cancelled'))).orderBy(asc(outbox.id));
    expect(refunds.map((r) => (r.payload as { previousStatus: string }).previousStatus)).toEqual(['PENDING', 'CANCELLED']);
    expect(refunds[1]!.publishedAt).not.toBeNull();
    const sent = (t.orderEvents as unknown as { sent: { type: string; orderId: string }[] }).sent;
    expect(sent).toEqual([expect.objectContaining({ type: 'order.cancelled', orderId: id, previousStatus: 'CANCELLED' })]);
    expect((await noticesOf(id)).filter((n) => n.type === 'REFUND_PENDING').map((n) => n.userId)).toEqual([buyer.id]);
    // Never committed for a cancelled order; each delivery re-runs the idempotent restock (a no-op here).
    expect(t.stock.callsFor(id)).toEqual(['reserve', 'release', 'restock', 'restock']);
  });

  it('retries when the stock commit fails, and the redelivery commits', async () => {
    const t = fakeOrderDeps();
    const id = await pendingOrder(t);
    const commit = t.stock.commit.bind(t.stock);
    let failures = 1;
    t.stock.commit = async (orderId, lines) => {
      if (failures-- > 0) throw new Error('stock DO unavailable');
      return commit(orderId, lines);
    };
    const event = completed(id);
    const first = fakeBatch('payment-events', [event]);
    await consumePaymentEvents(t.deps, first);
    expect(first.messages[0]!.retried).toEqual({ delaySeconds: 2 });
    // Stock first, then the order: without committed units it is not confirmed (so it cannot ship).
    expect((await orderRow(id)).status).toBe('PENDING');
    const second = fakeBatch('payment-events', [event], 2);
    await consumePaymentEvents(t.deps, second);
    expect(second.messages[0]!.acked).toBe(true);
    expect((await orderRow(id)).status).toBe('CONFIRMED');
    expect(t.stock.reserved.has(id)).toBe(false);
  });

  it('dead-letters an event for an unknown order without retrying, and garbage at once', async () => {
    const t = fakeOrderDeps();
    const orderId = newId();
    const batch = fakeBatch('payment-events', [completed(orderId), { type: 'payment.completed', orderId }]);
    await consumePaymentEvents(t.deps, batch);
    expect(batch.messages.every((m) => m.acked && m.retried === null)).toBe(true);
    const letters = await createDb(env).select().from(deadLetters).where(eq(deadLetters.originalKey, orderId));
    expect(letters.map((l) => l.errorStage).sort()).toEqual(['deserialize', 'process']);
  });
});
