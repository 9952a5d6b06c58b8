import { runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';

import { UNFULFILLABLE_REASON } from '@/orders/payment-events';

import {
  deadLettersOf,
  deliverToOrders,
  deliverToPayments,
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
  stockStub,
} from '@test/reliability/harness';
import { expectInvariants } from '@test/support/invariants';

/**
 * Row 6: the StockDO loses its state between reserve and commit (storage reset). The product's
 * DO re-initialises from the Postgres mirror without the hold, so the commit is refused
 * (`UNKNOWN_ORDER`): nothing is committed without a reservation, nothing goes negative, and the
 * paid order is cancelled and refunded exactly once (docs/decisions/reliability.md).
 */
describe('reliability: StockDO reset between reserve and commit', () => {
  it('refuses the commit, cancels the paid order, refunds it once, and never touches the units', async () => {
    const shop = await newShop(10, 2000);
    const orders = realOrderDeps();
    const pay = realPaymentDeps();
    const { orderId, created } = await placeRealOrder(shop, 3, orders.deps);
    await deliverToPayments(pay.deps, [created]);
    const completed = pay.published[0]!;
    expect(completed.type).toBe('payment.completed');

    // The DO's storage is wiped (as if the object were reset): no stock row, no reservation.
    await runInDurableObject(stockStub(shop.productId), async (_instance, state) => {
      state.storage.sql.exec('delete from reservations');
      state.storage.sql.exec('delete from stock');
      await state.storage.deleteAlarm();
    });

    const first = await deliverToOrders(orders.deps, [completed]);
    const again = await deliverToOrders(orders.deps, [completed], 2);
    expect([...first, ...again].every((m) => m.acked && m.retried === null)).toBe(true);

    // Re-initialised from the mirror (10 on hand) and nothing committed: the 3 units were never taken.
    const stock = await stockOf(shop.productId);
    expect(stock).toMatchObject({ onHand: 10, reserved: 0, available: 10, sold: 0 });
    expect(await orderRow(orderId)).toMatchObject({ status: 'CANCELLED', cancelReason: UNFULFILLABLE_REASON, paymentId: completed.paymentId });
    // The stock is committed before the order is confirmed, so the refused order never was CONFIRMED.
    expect(await orderHistoryOf(orderId)).toEqual([
      [null, 'PENDING'],
      ['PENDING', 'CANCELLED'],
    ]);
    expect(await noticesOf(orderId)).toEqual(['ORDER_CANCELLED', 'ORDER_CANCELLED', 'ORDER_PLACED']);
    expect(await deadLettersOf(orderId)).toEqual([]);

    // The refund request went out once (relayed by the consumer) and refunds once however often it arrives.
    const refunds = await outboxEvents(orderId, 'order.cancelled');
    expect(refunds).toHaveLength(1);
    expect(refunds[0]).toMatchObject({ previousStatus: 'PENDING', reason: UNFULFILLABLE_REASON });
    expect((orders.orderEvents.sent as { type: string; orderId: string }[]).filter((m) => m.orderId === orderId).map((m) => m.type)).toEqual(['order.cancelled']);
    await deliverToPayments(pay.deps, [refunds[0], refunds[0]]);
    await deliverToPayments(pay.deps, [refunds[0]], 2);
    expect(pay.gateway.refunds).toBe(1);
    expect((await paymentsOf(orderId)).map((p) => p.status)).toEqual(['REFUNDED']);
    expect(await paymentHistoryOf(orderId)).toEqual([
      [null, 'PENDING'],
      ['PENDING', 'COMPLETED'],
      ['COMPLETED', 'REFUNDED'],
    ]);
    expect(await stockOf(shop.productId)).toMatchObject({ onHand: 10, reserved: 0, sold: 0 });
    await expectInvariants(shop.productId);
  });
});
