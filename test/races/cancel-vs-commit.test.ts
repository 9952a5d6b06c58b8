import { describe, expect, it } from 'vitest';

import { cancelOrder } from '@/orders/transitions';
import { Gate } from '@test/support/gate';
import { expectInvariants } from '@test/support/invariants';

import { deliverToOrders, deliverToPayments, newShop, orderRow, outboxEvents, paymentsOf, placeRealOrder, realOrderDeps, realPaymentDeps, stockOf } from '@test/reliability/harness';

/**
 * Race 2: the buyer cancels while `payment.completed` is being applied, at each point of the gap
 * between "payment known" and "stock committed + order confirmed". Whatever the order, the units
 * are conserved: a cancelled order holds no sold unit, and a paid cancelled order is refunded.
 */
describe('race: buyer cancel vs stock commit', () => {
  async function setUp() {
    const shop = await newShop(5, 1200);
    const plain = realOrderDeps();
    const gate = new Gate();
    const gated = { ...plain.deps, stock: gate.port('stock', plain.deps.stock), transaction: gate.wrap('transaction', plain.deps.transaction) };
    const pay = realPaymentDeps();
    const { orderId, created } = await placeRealOrder(shop, 2, plain.deps);
    await deliverToPayments(pay.deps, [created]);
    const completed = pay.published.find((e) => e.orderId === orderId)!;
    return { shop, plain, gate, gated, pay, orderId, completed };
  }

  async function expectCancelledAndConserved(t: Awaited<ReturnType<typeof setUp>>) {
    expect((await orderRow(t.orderId))!.status).toBe('CANCELLED');
    const stock = await stockOf(t.shop.productId);
    expect(stock).toMatchObject({ onHand: 5, reserved: 0, sold: 0, available: 5 });
    // Every order.cancelled reaches payments: the COMPLETED payment is refunded once.
    await deliverToPayments(t.pay.deps, await outboxEvents(t.orderId, 'order.cancelled'));
    expect((await paymentsOf(t.orderId)).map((p) => p.status)).toEqual(['REFUNDED']);
    expect(t.pay.gateway.refunds).toBe(1);
    await expectInvariants(t.shop.productId);
  }

  it('cancel lands while the stock commit is on its way to the StockDO', async () => {
    const t = await setUp();
    t.gate.arm('stock.commit');
    const applying = deliverToOrders(t.gated, [t.completed]);
    await t.gate.reached('stock.commit');
    await cancelOrder(t.plain.deps, { id: t.shop.buyer.id, role: 'customer' }, t.orderId, 'changed my mind', 'race-2');
    t.gate.release('stock.commit');
    const [message] = await applying;
    expect(message!.acked).toBe(true);
    await expectCancelledAndConserved(t);
  });

  it('cancel lands after the stock commit, before the order transition', async () => {
    const t = await setUp();
    t.gate.arm('transaction');
    const applying = deliverToOrders(t.gated, [t.completed]);
    await t.gate.reached('transaction');
    await cancelOrder(t.plain.deps, { id: t.shop.buyer.id, role: 'customer' }, t.orderId, 'changed my mind', 'race-2b');
    t.gate.release('transaction');
    const [message] = await applying;
    expect(message!.acked).toBe(true);
    await expectCancelledAndConserved(t);
  });

  it('cancel after the whole payment step restocks the sold units', async () => {
    const t = await setUp();
    await deliverToOrders(t.plain.deps, [t.completed]);
    expect((await orderRow(t.orderId))!.status).toBe('CONFIRMED');
    expect(await stockOf(t.shop.productId)).toMatchObject({ onHand: 3, sold: 2 });
    await cancelOrder(t.plain.deps, { id: t.shop.buyer.id, role: 'customer' }, t.orderId, undefined, 'race-2c');
    // A late redelivery of the payment changes nothing.
    await deliverToOrders(t.plain.deps, [t.completed], 2);
    await expectCancelledAndConserved(t);
  });
});
