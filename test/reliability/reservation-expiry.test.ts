import { env, runDurableObjectAlarm } from 'cloudflare:test';
import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';

import { cancelTimedOutOrders } from '@/orders/maintenance';
import { UNFULFILLABLE_REASON } from '@/orders/payment-events';
import { orders as ordersTable } from '@/orders/tables';
import { createDb } from '@/platform/db';
import { createTestUser } from '@test/support/shop-fixtures';

import {
  deliverToOrders,
  deliverToPayments,
  expireReservation,
  mirrored,
  newShop,
  orderHistoryOf,
  orderRow,
  outboxEvents,
  paymentsOf,
  placeRealOrder,
  realOrderDeps,
  realPaymentDeps,
  stockOf,
  stockStub,
} from '@test/reliability/harness';
import { expectInvariants } from '@test/support/invariants';

/**
 * Row 7: the order's StockDO reservation expires (alarm) after `order.created` was charged but
 * before `payment.completed` is applied. No oversell either way: the commit re-takes the units
 * while they are free, otherwise the order is cancelled and refunded; stock never goes negative
 * and the Postgres mirror ends equal to the DO.
 */
describe('reliability: reservation expiring while the payment is in flight', () => {
  it('units still free → the late commit re-takes them: CONFIRMED, sold once, mirror consistent', async () => {
    const shop = await newShop(5, 1000);
    const orders = realOrderDeps();
    const pay = realPaymentDeps();
    const { orderId, created } = await placeRealOrder(shop, 3, orders.deps);
    await deliverToPayments(pay.deps, [created]);

    await expireReservation(shop.productId, orderId);
    await runDurableObjectAlarm(stockStub(shop.productId));
    expect(await stockOf(shop.productId)).toMatchObject({ onHand: 5, reserved: 0, available: 5 });

    const messages = [...(await deliverToOrders(orders.deps, [pay.published[0]!])), ...(await deliverToOrders(orders.deps, [pay.published[0]!], 2))];
    expect(messages.every((m) => m.acked && m.retried === null)).toBe(true);
    expect((await orderRow(orderId))!.status).toBe('CONFIRMED');
    const stock = await stockOf(shop.productId);
    expect(stock).toMatchObject({ onHand: 2, reserved: 0, available: 2, sold: 3 });
    expect(stock.mirror).toEqual(mirrored(stock));
    await expectInvariants(shop.productId);
  });

  it('units taken by another order meanwhile → refused, the paid order is cancelled and refunded, the other order still gets its units', async () => {
    const shop = await newShop(5, 1000);
    const orders = realOrderDeps();
    const pay = realPaymentDeps();
    const late = await placeRealOrder(shop, 3, orders.deps);
    await deliverToPayments(pay.deps, [late.created]);
    const lateCompleted = pay.published[0]!;

    await expireReservation(shop.productId, late.orderId);
    await runDurableObjectAlarm(stockStub(shop.productId));
    // Another buyer takes 4 of the 5 freed units before the first payment is applied.
    const rival = await placeRealOrder({ ...shop, buyer: await createTestUser('customer') }, 4, orders.deps);
    expect(await stockOf(shop.productId)).toMatchObject({ onHand: 5, reserved: 4, available: 1 });

    const messages = [...(await deliverToOrders(orders.deps, [lateCompleted])), ...(await deliverToOrders(orders.deps, [lateCompleted], 2))];
    expect(messages.every((m) => m.acked && m.retried === null)).toBe(true);
    expect(await orderRow(late.orderId)).toMatchObject({ status: 'CANCELLED', cancelReason: UNFULFILLABLE_REASON });
    expect(await orderHistoryOf(late.orderId)).toEqual([
      [null, 'PENDING'],
      ['PENDING', 'CANCELLED'],
    ]);
    let stock = await stockOf(shop.productId);
    expect(stock).toMatchObject({ onHand: 5, reserved: 4, available: 1, sold: 0 });
    expect(stock.mirror).toEqual(mirrored(stock));

    const refunds = await outboxEvents(late.orderId, 'order.cancelled');
    expect(refunds).toHaveLength(1);
    await deliverToPayments(pay.deps, [refunds[0], refunds[0]]);
    expect((await paymentsOf(late.orderId)).map((p) => p.status)).toEqual(['REFUNDED']);
    expect(pay.gateway.refunds).toBe(1);

    // The rival's order completes normally with the units it holds.
    await deliverToPayments(pay.deps, [rival.created]);
    await deliverToOrders(orders.deps, [pay.published.find((e) => e.orderId === rival.orderId)!]);
    expect((await orderRow(rival.orderId))!.status).toBe('CONFIRMED');
    stock = await stockOf(shop.productId);
    expect(stock).toMatchObject({ onHand: 1, reserved: 0, available: 1, sold: 4 });
    expect(stock.mirror).toEqual(mirrored(stock));
    await expectInvariants(shop.productId);
  });
  it('no payment ever comes → the alarm frees the hold, the reaper cancels the order and the mirror catches up with the DO', async () => {
    const shop = await newShop(5, 1000);
    const orders = realOrderDeps();
    const { orderId } = await placeRealOrder(shop, 2, orders.deps);
    await expireReservation(shop.productId, orderId);
    await runDurableObjectAlarm(stockStub(shop.productId));
    const afterAlarm = await stockOf(shop.productId);
    expect(afterAlarm).toMatchObject({ onHand: 5, reserved: 0, available: 5 });
    // The alarm cannot reach Postgres: until the product's next change the mirror still shows the hold.
    expect(afterAlarm.mirror).toMatchObject({ reserved: 2 });

    // Aged far beyond any other test's order and reaped with limit 1 (oldest first), so only this order is touched.
    await createDb(env).update(ordersTable).set({ createdAt: sql`now() - interval '30 days'` }).where(eq(ordersTable.id, orderId));
    const { cancelled } = await cancelTimedOutOrders(orders.deps, 1);
    expect(cancelled).toEqual([orderId]);
    expect(await orderRow(orderId)).toMatchObject({ status: 'CANCELLED', cancelReason: 'payment timeout' });
    const stock = await stockOf(shop.productId);
    expect(stock).toMatchObject({ onHand: 5, reserved: 0, available: 5, sold: 0 });
    expect(stock.mirror).toEqual(mirrored(stock));
    await expectInvariants(shop.productId);
  });
});
