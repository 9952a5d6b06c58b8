import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';

import { paidOrderPortFromEnv } from '@/composition';
import { Gate } from '@test/support/gate';
import { quietLogger } from '@test/support/saga-fakes';
import { jsonHeaders } from '@test/support/shop-fixtures';

import { deliverToOrders, deliverToPayments, newShop, orderHistoryOf, placeRealOrder, realOrderDeps, realPaymentDeps, stockOf } from '@test/reliability/harness';
import { expectInvariants } from '@test/support/invariants';

const read = async (path: string, headers: Record<string, string>) => {
  const res = await SELF.fetch(`http://shop.test/api/v1${path}`, { headers });
  return { status: res.status, body: (await res.json()) as { data: { status: string; paymentId?: string | null } } };
};

/**
 * Read-your-writes across the saga: the payment is recorded COMPLETED in the same transaction that
 * confirms its order. Held at the moment the payments step is about to announce the outcome (the
 * order side has not seen any `payment.completed` yet), a client reading its payment COMPLETED
 * through the API finds its order CONFIRMED with that payment, and its units sold.
 */
describe('race: payment COMPLETED is never visible before its order is CONFIRMED', () => {
  it('holds the outcome announcement: payment COMPLETED and order CONFIRMED are already read together', async () => {
    const shop = await newShop(5, 1100);
    const orders = realOrderDeps();
    const pay = realPaymentDeps();
    const gate = new Gate().arm('publish');
    const deps = { ...pay.deps, orders: paidOrderPortFromEnv(env, quietLogger()), publish: gate.wrap('publish', pay.deps.publish) };
    const { orderId, created } = await placeRealOrder(shop, 2, orders.deps);

    const delivering = deliverToPayments(deps, [created]);
    await gate.reached('publish');
    const headers = jsonHeaders(shop.buyer);
    const payment = await read(`/payments/order/${orderId}`, headers);
    expect(payment.body.data.status).toBe('COMPLETED');
    const order = await read(`/orders/${orderId}`, headers);
    expect(order.body.data).toMatchObject({ status: 'CONFIRMED', paymentId: (payment.body.data as unknown as { id: string }).id });
    expect(await stockOf(shop.productId)).toMatchObject({ onHand: 3, reserved: 0, sold: 2 });

    gate.release('publish');
    const [message] = await delivering;
    expect(message!.acked).toBe(true);
    // The event still goes out for anyone listening; applying it again changes nothing.
    const [applied] = await deliverToOrders(orders.deps, [pay.published.find((e) => e.orderId === orderId)!]);
    expect(applied!.acked).toBe(true);
    expect(await orderHistoryOf(orderId)).toEqual([
      [null, 'PENDING'],
      ['PENDING', 'CONFIRMED'],
    ]);
    expect(await stockOf(shop.productId)).toMatchObject({ onHand: 3, reserved: 0, sold: 2 });
    await expectInvariants(shop.productId);
  });

  it('a StockDO that does not answer: the payment is still recorded (never money taken unrecorded) and the order follows via payment-events', async () => {
    const shop = await newShop(5, 1100);
    const orders = realOrderDeps();
    const pay = realPaymentDeps();
    const base = realOrderDeps().deps;
    let fail = true;
    const flaky = {
      ...base,
      stock: {
        ...base.stock,
        commit: async (orderId: string, lines: { productId: number; quantity: number }[]) => {
          if (fail) throw new Error('StockDO unreachable');
          return base.stock.commit(orderId, lines);
        },
      },
    };
    const { applyPaymentCompleted } = await import('@/orders/payment-events');
    const deps = { ...pay.deps, orders: { applyPaymentCompleted: (event: Parameters<typeof applyPaymentCompleted>[1], options: Parameters<typeof applyPaymentCompleted>[2]) => applyPaymentCompleted(flaky, event, options) } };
    const { orderId, created } = await placeRealOrder(shop, 1, orders.deps);
    const [message] = await deliverToPayments(deps, [created]);
    expect(message!.acked).toBe(true);
    const headers = jsonHeaders(shop.buyer);
    expect((await read(`/payments/order/${orderId}`, headers)).body.data.status).toBe('COMPLETED');
    expect((await read(`/orders/${orderId}`, headers)).body.data.status).toBe('PENDING');
    fail = false;
    await deliverToOrders(orders.deps, [pay.published.find((e) => e.orderId === orderId)!]);
    expect((await read(`/orders/${orderId}`, headers)).body.data.status).toBe('CONFIRMED');
    await expectInvariants(shop.productId);
  });
});
