import { describe, expect, it } from 'vitest';

import { cancelOrder } from '@/orders/transitions';

import {
  deliverToOrders,
  deliverToPayments,
  mirrored,
  newShop,
  noticesOf,
  orderHistoryOf,
  orderRow,
  outboxEvents,
  paymentHistoryOf,
  paymentsOf,
  placeRealOrder,
  realOrderDeps,
  realPaymentDeps,
  stockOf,
} from '@test/reliability/harness';
import { expectInvariants } from '@test/support/invariants';

/**
 * Row 1: every saga event delivered three times (twice in one batch, once more as a redelivery)
 * is applied once — one payment, one transition, one history row per transition, one
 * notification each, stock committed / released / restocked once in the StockDO and its mirror.
 */
describe('reliability: every saga event delivered 3×', () => {
  it('order.created ×3 and payment.completed ×3 → one payment, one CONFIRMED transition, stock committed once', async () => {
    const shop = await newShop(10);
    const orders = realOrderDeps();
    const pay = realPaymentDeps();
    const { orderId, created } = await placeRealOrder(shop, 2, orders.deps);
    expect(await stockOf(shop.productId)).toMatchObject({ onHand: 10, reserved: 2, sold: 0 });

    const first = await deliverToPayments(pay.deps, [created, created]);
    const again = await deliverToPayments(pay.deps, [created], 2);
    expect([...first, ...again].every((m) => m.acked && m.retried === null)).toBe(true);
    const paid = await paymentsOf(orderId);
    expect(paid).toHaveLength(1);
    expect(paid[0]).toMatchObject({ status: 'COMPLETED', amountCents: 5000 });
    expect(await paymentHistoryOf(orderId)).toEqual([
      [null, 'PENDING'],
      ['PENDING', 'COMPLETED'],
    ]);
    // Every delivery re-publishes the same outcome (same event id), so a lost publish heals itself.
    expect(new Set(pay.published.map((e) => e.eventId)).size).toBe(1);
    const completed = pay.published[0]!;
    expect(completed.type).toBe('payment.completed');

    const applied = await deliverToOrders(orders.deps, [completed, completed]);
    const reapplied = await deliverToOrders(orders.deps, [completed], 2);
    expect([...applied, ...reapplied].every((m) => m.acked && m.retried === null)).toBe(true);

    expect(await orderRow(orderId)).toMatchObject({ status: 'CONFIRMED', paymentId: paid[0]!.id });
    expect(await orderHistoryOf(orderId)).toEqual([
      [null, 'PENDING'],
      ['PENDING', 'CONFIRMED'],
    ]);
    expect(await noticesOf(orderId)).toEqual(['ORDER_PAID', 'ORDER_PLACED', 'PAYMENT_CONFIRMED']);
    const stock = await stockOf(shop.productId);
    expect(stock).toMatchObject({ onHand: 8, reserved: 0, available: 8, sold: 2 });
    expect(stock.mirror).toEqual(mirrored(stock));
    await expectInvariants(shop.productId);
  });

  it('payment.failed ×3 → one FAILED payment, one CANCELLED transition, stock released once', async () => {
    const shop = await newShop(5);
    const orders = realOrderDeps();
    const pay = realPaymentDeps({ kind: 'decline' });
    const { orderId, created } = await placeRealOrder(shop, 3, orders.deps);
    // A second order holds units too: a double release would wrongly free its hold.
    const other = await placeRealOrder(shop, 2, orders.deps);

    await deliverToPayments(pay.deps, [created, created]);
    await deliverToPayments(pay.deps, [created], 2);
    const paid = await paymentsOf(orderId);
    expect(paid.map((p) => p.status)).toEqual(['FAILED']);
    expect(await paymentHistoryOf(orderId)).toEqual([
      [null, 'PENDING'],
      ['PENDING', 'FAILED'],
    ]);
    expect(pay.gateway.charges).toBe(1);
    const failed = pay.published[0]!;
    expect(failed.type).toBe('payment.failed');

    const messages = [...(await deliverToOrders(orders.deps, [failed, failed])), ...(await deliverToOrders(orders.deps, [failed], 2))];
    expect(messages.every((m) => m.acked)).toBe(true);
    expect(await orderRow(orderId)).toMatchObject({ status: 'CANCELLED' });
    expect(await orderHistoryOf(orderId)).toEqual([
      [null, 'PENDING'],
      ['PENDING', 'CANCELLED'],
    ]);
    expect(await noticesOf(orderId)).toEqual(['ORDER_PLACED', 'PAYMENT_FAILED']);
    const stock = await stockOf(shop.productId);
    // Only the other order's 2 units are still held.
    expect(stock).toMatchObject({ onHand: 5, reserved: 2, available: 3, sold: 0 });
    expect(stock.mirror).toEqual(mirrored(stock));
    expect((await orderRow(other.orderId))!.status).toBe('PENDING');
    await expectInvariants(shop.productId);
  });

  it('order.cancelled ×3 for a paid order → one refund, one REFUNDED history row, one refund notice, stock restocked once', async () => {
    const shop = await newShop(10);
    const orders = realOrderDeps();
    const pay = realPaymentDeps();
    const { orderId, created } = await placeRealOrder(shop, 4, orders.deps);
    await deliverToPayments(pay.deps, [created]);
    await deliverToOrders(orders.deps, [pay.published[0]!]);
    expect(await stockOf(shop.productId)).toMatchObject({ onHand: 6, sold: 4 });

    await cancelOrder(orders.deps, { id: shop.buyer.id, role: 'customer' }, orderId, 'changed my mind', 'corr-cancel');
    const [cancelled] = await outboxEvents(orderId, 'order.cancelled');
    expect(cancelled).toMatchObject({ type: 'order.cancelled', previousStatus: 'CONFIRMED' });

    const messages = [...(await deliverToPayments(pay.deps, [cancelled, cancelled])), ...(await deliverToPayments(pay.deps, [cancelled], 2))];
    expect(messages.every((m) => m.acked && m.retried === null)).toBe(true);
    expect(pay.gateway.refunds).toBe(1);
    expect((await paymentsOf(orderId)).map((p) => p.status)).toEqual(['REFUNDED']);
    expect(await paymentHistoryOf(orderId)).toEqual([
      [null, 'PENDING'],
      ['PENDING', 'COMPLETED'],
      ['COMPLETED', 'REFUNDED'],
    ]);
    expect(await orderHistoryOf(orderId)).toEqual([
      [null, 'PENDING'],
      ['PENDING', 'CONFIRMED'],
      ['CONFIRMED', 'CANCELLED'],
    ]);
    expect(await noticesOf(orderId)).toEqual(['ORDER_CANCELLED', 'ORDER_PAID', 'ORDER_PLACED', 'PAYMENT_CONFIRMED', 'REFUND_ISSUED']);
    const stock = await stockOf(shop.productId);
    expect(stock).toMatchObject({ onHand: 10, reserved: 0, available: 10, sold: 0 });
    expect(stock.mirror).toEqual(mirrored(stock));
    await expectInvariants(shop.productId);
  });
  it('three concurrent deliveries of order.created and of payment.completed → still one payment, one transition, stock committed once', async () => {
    const shop = await newShop(10);
    const orders = realOrderDeps();
    const pay = realPaymentDeps();
    const { orderId, created } = await placeRealOrder(shop, 2, orders.deps);
    const charged = new Set<string>();
    const charge = pay.deps.gateway.charge;
    pay.deps.gateway = {
      ...pay.deps.gateway,
      charge: (request) => {
        charged.add(request.paymentId);
        return charge(request);
      },
    };

    const deliveries = await Promise.all([1, 2, 3].map((attempt) => deliverToPayments(pay.deps, [created], attempt)));
    expect(deliveries.flat().every((m) => m.acked)).toBe(true);
    const paid = await paymentsOf(orderId);
    expect(paid.map((p) => p.status)).toEqual(['COMPLETED']);
    // Racing deliveries may each reach the gateway, but always with the one payment id (its idempotency key).
    expect([...charged]).toEqual([paid[0]!.id]);
    expect(await paymentHistoryOf(orderId)).toEqual([
      [null, 'PENDING'],
      ['PENDING', 'COMPLETED'],
    ]);

    const completed = pay.published[0]!;
    const applied = await Promise.all([1, 2, 3].map((attempt) => deliverToOrders(orders.deps, [completed], attempt)));
    expect(applied.flat().every((m) => m.acked)).toBe(true);
    expect(await orderHistoryOf(orderId)).toEqual([
      [null, 'PENDING'],
      ['PENDING', 'CONFIRMED'],
    ]);
    expect(await noticesOf(orderId)).toEqual(['ORDER_PAID', 'ORDER_PLACED', 'PAYMENT_CONFIRMED']);
    const stock = await stockOf(shop.productId);
    expect(stock).toMatchObject({ onHand: 8, reserved: 0, sold: 2 });
    expect(stock.mirror).toEqual(mirrored(stock));
    await expectInvariants(shop.productId);
  });
});
