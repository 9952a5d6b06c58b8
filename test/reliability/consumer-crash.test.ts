import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';

import {
  deliverToOrders,
  deliverToPayments,
  mirrored,
  newShop,
  noticesOf,
  orderHistoryOf,
  orderRow,
  paymentHistoryOf,
  paymentsOf,
  placeRealOrder,
  realOrderDeps,
  realPaymentDeps,
  stockOf,
} from '@test/reliability/harness';
import { expectInvariants } from '@test/support/invariants';

/**
 * Row 2: a handler throws for one message of a batch. The others are acknowledged and applied
 * once; the failed one is retried (never acked) and its redelivery applies it once.
 */
describe('reliability: a consumer crash mid-batch', () => {
  it('payments consumer: the gateway crashes on one order.created of three → two charged and acked, the third retried and charged once', async () => {
    const shop = await newShop(20, 1000);
    const orders = realOrderDeps();
    const pay = realPaymentDeps();
    const placed = [await placeRealOrder(shop, 1, orders.deps), await placeRealOrder(shop, 2, orders.deps), await placeRealOrder(shop, 3, orders.deps)];
    const victim = placed[1]!.orderId;
    const charge = pay.deps.gateway.charge;
    let crashes = 1;
    pay.deps.gateway = {
      ...pay.deps.gateway,
      charge: async (request) => {
        if (request.orderId === victim && crashes-- > 0) throw new Error('worker crashed mid-charge');
        return charge(request);
      },
    };

    const first = await deliverToPayments(pay.deps, placed.map((p) => p.created));
    expect(first.map((m) => [m.acked, m.retried !== null])).toEqual([
      [true, false],
      [false, true],
      [true, false],
    ]);
    expect((await paymentsOf(placed[0]!.orderId)).map((p) => p.status)).toEqual(['COMPLETED']);
    expect((await paymentsOf(placed[2]!.orderId)).map((p) => p.status)).toEqual(['COMPLETED']);
    // The crash left the victim's payment PENDING (created, not yet charged).
    expect((await paymentsOf(victim)).map((p) => p.status)).toEqual(['PENDING']);

    const retry = await deliverToPayments(pay.deps, [placed[1]!.created], 2);
    expect(retry[0]).toMatchObject({ acked: true, retried: null });
    for (const { orderId } of placed) {
      expect(await paymentsOf(orderId)).toHaveLength(1);
      expect(await paymentHistoryOf(orderId)).toEqual([
        [null, 'PENDING'],
        ['PENDING', 'COMPLETED'],
      ]);
    }
    expect(pay.published.map((e) => e.orderId).sort()).toEqual(placed.map((p) => p.orderId).sort());
    await expectInvariants(shop.productId);
  });

  it('orders consumer: the stock step crashes for one payment.completed of three → the others are acked and applied once, the retry commits the third once', async () => {
    const shop = await newShop(20, 1000);
    const orders = realOrderDeps();
    const pay = realPaymentDeps();
    const placed = [await placeRealOrder(shop, 1, orders.deps), await placeRealOrder(shop, 2, orders.deps), await placeRealOrder(shop, 3, orders.deps)];
    await deliverToPayments(pay.deps, placed.map((p) => p.created));
    const events = placed.map((p) => pay.published.find((e) => e.orderId === p.orderId)!);
    const victim = placed[2]!.orderId;
    const commit = orders.deps.stock.commit;
    let crashes = 1;
    orders.deps.stock = {
      ...orders.deps.stock,
      commit: async (orderId, lines) => {
        if (orderId === victim && crashes-- > 0) throw new Error('StockDO unreachable');
        return commit(orderId, lines);
      },
    };

    const first = await deliverToOrders(orders.deps, events);
    expect(first.map((m) => [m.acked, m.retried !== null])).toEqual([
      [true, false],
      [true, false],
      [false, true],
    ]);
    // The first two are fully applied; the victim's units are still only held, so it is still PENDING (never CONFIRMED before its commit).
    expect(await stockOf(shop.productId)).toMatchObject({ onHand: 17, reserved: 3, sold: 3 });
    expect((await orderRow(victim))!.status).toBe('PENDING');

    const retry = await deliverToOrders(orders.deps, [events[2]], 2);
    expect(retry[0]).toMatchObject({ acked: true, retried: null });
    for (const { orderId } of placed) {
      expect((await orderRow(orderId))!.status).toBe('CONFIRMED');
      expect(await orderHistoryOf(orderId)).toEqual([
        [null, 'PENDING'],
        ['PENDING', 'CONFIRMED'],
      ]);
      expect(await noticesOf(orderId)).toEqual(['ORDER_PAID', 'ORDER_PLACED', 'PAYMENT_CONFIRMED']);
    }
    const stock = await stockOf(shop.productId);
    expect(stock).toMatchObject({ onHand: 14, reserved: 0, available: 14, sold: 6 });
    expect(stock.mirror).toEqual(mirrored(stock));
    await expectInvariants(shop.productId);
  });

  it('a crash inside the order transaction rolls back: nothing applied, the retry applies it once', async () => {
    const shop = await newShop(10, 1000);
    const orders = realOrderDeps();
    const pay = realPaymentDeps();
    const placed = [await placeRealOrder(shop, 1, orders.deps), await placeRealOrder(shop, 1, orders.deps)];
    await deliverToPayments(pay.deps, placed.map((p) => p.created));
    const events = placed.map((p) => pay.published.find((e) => e.orderId === p.orderId)!);
    const transaction = orders.deps.transaction;
    let crashed = false;
    // The first message's transaction does its work, then the isolate dies before COMMIT. A batch's orders run
    // concurrently, so the transaction is picked by what it wrote (the first order confirmed), not by call order.
    orders.deps.transaction = (fn) =>
      transaction(async (tx) => {
        const result = await fn(tx);
        const { rows } = await tx.execute<{ status: string }>(sql`select status from orders where id = ${placed[0]!.orderId}`);
        if (!crashed && rows[0]?.status === 'CONFIRMED') {
          crashed = true;
          throw new Error('isolate evicted before commit');
        }
        return result;
      });

    const first = await deliverToOrders(orders.deps, events);
    expect(first.map((m) => [m.acked, m.retried !== null])).toEqual([
      [false, true],
      [true, false],
    ]);
    expect(await orderRow(placed[0]!.orderId)).toMatchObject({ status: 'PENDING', paymentId: null });
    expect(await orderHistoryOf(placed[0]!.orderId)).toEqual([[null, 'PENDING']]);
    expect(await noticesOf(placed[0]!.orderId)).toEqual(['ORDER_PLACED']);

    await deliverToOrders(orders.deps, [events[0]], 2);
    for (const { orderId } of placed) {
      expect(await orderHistoryOf(orderId)).toEqual([
        [null, 'PENDING'],
        ['PENDING', 'CONFIRMED'],
      ]);
      expect(await noticesOf(orderId)).toEqual(['ORDER_PAID', 'ORDER_PLACED', 'PAYMENT_CONFIRMED']);
    }
    const stock = await stockOf(shop.productId);
    expect(stock).toMatchObject({ onHand: 8, reserved: 0, sold: 2 });
    expect(stock.mirror).toEqual(mirrored(stock));
    await expectInvariants(shop.productId);
  });
});
