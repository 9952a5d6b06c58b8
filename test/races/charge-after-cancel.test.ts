import { describe, expect, it } from 'vitest';

import { cancelOrder } from '@/orders/transitions';

import { deliverToOrders, deliverToPayments, newShop, orderRow, paymentsOf, placeRealOrder, realOrderDeps, realPaymentDeps, stockOf } from '@test/reliability/harness';
import { expectInvariants } from '@test/support/invariants';

/**
 * Race 3: `order.created` reaches payments after the order stopped being PENDING (an immediate
 * cancel, a late redelivery, a reaper re-publish, a dead-letter replay). The payment must end
 * without any gateway call — no charge-then-refund.
 */
describe('race: charging an order that is no longer PENDING', () => {
  it('cancelled before its order.created is consumed → FAILED payment, no gateway call, every redelivery too', async () => {
    const shop = await newShop(5, 900);
    const orders = realOrderDeps();
    const pay = realPaymentDeps();
    const { orderId, created } = await placeRealOrder(shop, 1, orders.deps);
    await cancelOrder(orders.deps, { id: shop.buyer.id, role: 'customer' }, orderId, 'oops', 'race-3');

    const messages = [...(await deliverToPayments(pay.deps, [created])), ...(await deliverToPayments(pay.deps, [created, created], 2))];
    expect(messages.every((m) => m.acked && m.retried === null)).toBe(true);
    expect(pay.gateway.charges).toBe(0);
    expect(pay.gateway.refunds).toBe(0);
    const [payment] = await paymentsOf(orderId);
    expect(payment).toMatchObject({ status: 'FAILED', gatewayReference: null });
    expect(payment!.failureReason).toContain('CANCELLED');
    // The outcome goes back to orders, where it changes nothing.
    expect(pay.published.map((e) => e.type)).toEqual(['payment.failed', 'payment.failed', 'payment.failed']);
    await deliverToOrders(orders.deps, [pay.published[0]!]);
    expect(await orderRow(orderId)).toMatchObject({ status: 'CANCELLED', cancelReason: 'oops' });
    expect(await stockOf(shop.productId)).toMatchObject({ onHand: 5, reserved: 0, sold: 0 });
    await expectInvariants(shop.productId);
  });
});
