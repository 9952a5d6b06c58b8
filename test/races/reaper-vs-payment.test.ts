import { env } from 'cloudflare:test';
import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';

import type { OrderCancelled } from '@/orders/messages';
import { cancelTimedOutOrders } from '@/orders/maintenance';
import { orders as ordersTable } from '@/orders/tables';
import { createDb } from '@/platform/db';
import { Gate } from '@test/support/gate';

import { deliverToOrders, deliverToPayments, newShop, orderHistoryOf, orderRow, outboxEvents, paymentsOf, placeRealOrder, realOrderDeps, realPaymentDeps, stockOf } from '@test/reliability/harness';
import { expectInvariants } from '@test/support/invariants';

/** Ages an order far beyond any other test's (the reaper takes the oldest first), so `limit 1` picks it. */
const ageOrder = (orderId: string, years: number) =>
  createDb(env).update(ordersTable).set({ createdAt: sql`now() - make_interval(years => ${years})` }).where(eq(ordersTable.id, orderId));

/**
 * Race 1: the reaper listed an order as stale PENDING, then the payment confirmed it before the
 * reaper's own transition ran. The reaper must re-check inside its locked transition and leave a
 * CONFIRMED order alone (no cancel, no refund, no release of sold units).
 */
describe('race: reaper vs payment', () => {
  it('an order confirmed between the reaper’s scan and its transition is not touched', async () => {
    const shop = await newShop(5, 1500);
    const orders = realOrderDeps();
    const pay = realPaymentDeps();
    const { orderId, created } = await placeRealOrder(shop, 2, orders.deps);
    await ageOrder(orderId, 40);

    const gate = new Gate().arm('transaction');
    const reaper = cancelTimedOutOrders({ ...orders.deps, transaction: gate.wrap('transaction', orders.deps.transaction) }, 1);
    await gate.reached('transaction');

    // Meanwhile the payment goes through and the order is confirmed.
    await deliverToPayments(pay.deps, [created]);
    await deliverToOrders(orders.deps, [pay.published.find((e) => e.orderId === orderId)!]);
    expect((await orderRow(orderId))!.status).toBe('CONFIRMED');

    gate.release('transaction');
    const { cancelled } = await reaper;
    expect(cancelled).toEqual([]);
    expect((await orderRow(orderId))!.status).toBe('CONFIRMED');
    expect(await orderHistoryOf(orderId)).toEqual([
      [null, 'PENDING'],
      ['PENDING', 'CONFIRMED'],
    ]);
    expect(await outboxEvents(orderId, 'order.cancelled')).toEqual([]);
    expect((await paymentsOf(orderId)).map((p) => p.status)).toEqual(['COMPLETED']);
    expect(await stockOf(shop.productId)).toMatchObject({ onHand: 3, reserved: 0, sold: 2 });
    await expectInvariants(shop.productId);
  });

  it('a stale PENDING order is cancelled inside the locked transition, and order.cancelled says PENDING', async () => {
    const shop = await newShop(5, 1500);
    const orders = realOrderDeps();
    const { orderId } = await placeRealOrder(shop, 2, orders.deps);
    await ageOrder(orderId, 41);
    const { cancelled } = await cancelTimedOutOrders(orders.deps, 1);
    expect(cancelled).toEqual([orderId]);
    const [event] = (await outboxEvents(orderId, 'order.cancelled')) as OrderCancelled[];
    expect(event).toMatchObject({ previousStatus: 'PENDING', reason: 'payment timeout' });
    expect(await stockOf(shop.productId)).toMatchObject({ onHand: 5, reserved: 0, sold: 0, available: 5 });
    await expectInvariants(shop.productId);
  });
});
