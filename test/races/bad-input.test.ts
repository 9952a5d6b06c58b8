import { env } from 'cloudflare:test';
import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';

import type { OrderCancelled } from '@/orders/messages';
import { cancelTimedOutOrders } from '@/orders/maintenance';
import { orders as ordersTable } from '@/orders/tables';
import { createDb } from '@/platform/db';
import { decodeBody } from '@/platform/dead-letters';
import { SAGA_MAX_DELIVERIES } from '@/platform/queue-consumer';
import { expectInvariants } from '@test/support/invariants';

import {
  deadLettersOf,
  deliverToOrders,
  deliverToPayments,
  newShop,
  orderHistoryOf,
  orderRow,
  outboxEvents,
  paymentsOf,
  placeRealOrder,
  realOrderDeps,
  realPaymentDeps,
  stockOf,
} from '@test/reliability/harness';

const ageOrder = (orderId: string, years: number) =>
  createDb(env).update(ordersTable).set({ createdAt: sql`now() - make_interval(years => ${years})` }).where(eq(ordersTable.id, orderId));

/**
 * Bad input on the saga queues: unknown versions or fields, duplicated or reordered events, and
 * replays of dead letters whose order has moved on. Each ends in a recorded, explainable state —
 * never a second charge, a lost unit or an endless retry.
 */
describe('bad input on the saga queues', () => {
  it('an unknown message version is dead-lettered once (stage deserialize), acked, and changes nothing', async () => {
    const shop = await newShop(5, 800);
    const orders = realOrderDeps();
    const pay = realPaymentDeps();
    const { orderId, created } = await placeRealOrder(shop, 1, orders.deps);
    const [toPayments] = await deliverToPayments(pay.deps, [{ ...created, version: 2 }]);
    const [toOrders] = await deliverToOrders(orders.deps, [{ type: 'payment.completed', version: 2, orderId, paymentId: crypto.randomUUID(), amount: 8, correlationId: 'c', eventId: 'e', occurredAt: new Date().toISOString() }]);
    expect([toPayments!.acked, toPayments!.retried, toOrders!.acked, toOrders!.retried]).toEqual([true, null, true, null]);
    const letters = await deadLettersOf(orderId);
    expect(letters.map((l) => [l.queue, l.errorStage])).toEqual([
      ['order-events', 'deserialize'],
      ['payment-events', 'deserialize'],
    ]);
    expect(decodeBody(letters[0]!.originalBody)).toMatchObject({ version: 2, orderId });
    expect(pay.gateway.charges).toBe(0);
    expect(await paymentsOf(orderId)).toEqual([]);
    expect((await orderRow(orderId))!.status).toBe('PENDING');
  });

  it('unknown extra fields are ignored (forward compatible): the event is applied as usual', async () => {
    const shop = await newShop(5, 800);
    const orders = realOrderDeps();
    const pay = realPaymentDeps();
    const { orderId, created } = await placeRealOrder(shop, 1, orders.deps);
    await deliverToPayments(pay.deps, [{ ...created, giftWrap: true, coupon: { code: 'X' } }]);
    await deliverToOrders(orders.deps, [{ ...pay.published[0]!, traceparent: '00-abc' }]);
    expect((await orderRow(orderId))!.status).toBe('CONFIRMED');
    expect(pay.gateway.charges).toBe(1);
    await expectInvariants(shop.productId);
  });

  it('reordered: order.cancelled before order.created → nothing refunded, nothing charged, the hold released', async () => {
    const shop = await newShop(5, 800);
    const orders = realOrderDeps();
    const pay = realPaymentDeps();
    const { orderId, created } = await placeRealOrder(shop, 2, orders.deps);
    const { cancelOrder } = await import('@/orders/transitions');
    await cancelOrder(orders.deps, { id: shop.buyer.id, role: 'customer' }, orderId, 'reordered', 'bad-input');
    const [cancelled] = (await outboxEvents(orderId, 'order.cancelled')) as OrderCancelled[];
    // The cancellation overtakes the creation on the queue, then both are redelivered.
    await deliverToPayments(pay.deps, [cancelled, created, cancelled, created]);
    expect(pay.gateway.charges).toBe(0);
    expect(pay.gateway.refunds).toBe(0);
    expect((await paymentsOf(orderId)).map((p) => p.status)).toEqual(['FAILED']);
    await deliverToOrders(orders.deps, pay.published);
    expect(await orderHistoryOf(orderId)).toEqual([
      [null, 'PENDING'],
      ['PENDING', 'CANCELLED'],
    ]);
    expect(await stockOf(shop.productId)).toMatchObject({ onHand: 5, reserved: 0, sold: 0 });
    await expectInvariants(shop.productId);
  });

  it('a dead-lettered order.created replayed after the reaper cancelled the order → no charge at all', async () => {
    const shop = await newShop(5, 800);
    const orders = realOrderDeps();
    const pay = realPaymentDeps({ kind: 'transient' });
    const { orderId, created } = await placeRealOrder(shop, 1, orders.deps);
    const [last] = await deliverToPayments(pay.deps, [created], SAGA_MAX_DELIVERIES);
    expect(last!.acked).toBe(true);
    const [letter] = await deadLettersOf(orderId);
    const chargesBefore = pay.gateway.charges;

    await ageOrder(orderId, 50);
    expect((await cancelTimedOutOrders(orders.deps, 1)).cancelled).toEqual([orderId]);
    pay.gateway.mode = { kind: 'success' };
    const [replayed] = await deliverToPayments(pay.deps, [decodeBody(letter!.originalBody)]);
    expect(replayed!.acked).toBe(true);
    expect(pay.gateway.charges).toBe(chargesBefore);
    expect((await paymentsOf(orderId)).map((p) => [p.status, p.gatewayReference])).toEqual([['FAILED', null]]);
    await deliverToOrders(orders.deps, pay.published);
    expect(await orderRow(orderId)).toMatchObject({ status: 'CANCELLED', cancelReason: 'payment timeout' });
    await expectInvariants(shop.productId);
  });

  it('a dead-lettered payment.completed replayed after the reaper cancelled the order → refunded once, no unit taken', async () => {
    const shop = await newShop(5, 800);
    const orders = realOrderDeps();
    const pay = realPaymentDeps();
    const { orderId, created } = await placeRealOrder(shop, 2, orders.deps);
    await deliverToPayments(pay.deps, [created]);
    const completed = pay.published[0]!;
    await ageOrder(orderId, 51);
    expect((await cancelTimedOutOrders(orders.deps, 1)).cancelled).toEqual([orderId]);

    // The replay, twice (an operator clicking again, or a redelivery).
    await deliverToOrders(orders.deps, [completed]);
    await deliverToOrders(orders.deps, [completed], 2);
    expect(await orderRow(orderId)).toMatchObject({ status: 'CANCELLED', paymentId: completed.paymentId });
    const cancellations = (await outboxEvents(orderId, 'order.cancelled')) as OrderCancelled[];
    expect(cancellations.map((e) => e.previousStatus)).toEqual(['PENDING', 'CANCELLED']);
    await deliverToPayments(pay.deps, [...cancellations, ...cancellations]);
    expect(pay.gateway.refunds).toBe(1);
    expect((await paymentsOf(orderId)).map((p) => p.status)).toEqual(['REFUNDED']);
    expect(await stockOf(shop.productId)).toMatchObject({ onHand: 5, reserved: 0, sold: 0 });
    await expectInvariants(shop.productId);
  });
});
