import { describe, expect, it } from 'vitest';

import { STOCK_COMMIT_FAILED_REASON } from '@/orders/payment-events';
import { shipOrder } from '@/orders/transitions';
import type { OrderCancelled } from '@/orders/messages';
import { SAGA_MAX_DELIVERIES } from '@/platform/queue-consumer';

import { deadLettersOf, deliverToOrders, deliverToPayments, newShop, orderRow, outboxEvents, paymentsOf, placeRealOrder, realOrderDeps, realPaymentDeps, stockOf } from '@test/reliability/harness';
import { expectInvariants } from '@test/support/invariants';

/**
 * Race 4: the StockDO commit of a paid order fails on every delivery (the DO is unreachable, not
 * refusing). The order must never be CONFIRMED (shippable) without its units committed, and the
 * end is one deterministic outcome: on the last delivery the order is cancelled, the payment
 * refunded and the hold given back — no dead letter, no endless retry.
 */
describe('race: a stock commit that keeps failing', () => {
  it('stays PENDING (cannot ship) while retried, then is cancelled + refunded on the last delivery', async () => {
    const shop = await newShop(5, 700);
    const plain = realOrderDeps();
    let commitCalls = 0;
    const broken = {
      ...plain.deps,
      stock: {
        ...plain.deps.stock,
        commit: async () => {
          commitCalls++;
          throw new Error('StockDO unreachable');
        },
      },
    };
    const pay = realPaymentDeps();
    const { orderId, created } = await placeRealOrder(shop, 2, plain.deps);
    await deliverToPayments(pay.deps, [created]);
    const completed = pay.published.find((e) => e.orderId === orderId)!;

    for (let attempt = 1; attempt < SAGA_MAX_DELIVERIES; attempt++) {
      const [message] = await deliverToOrders(broken, [completed], attempt);
      expect(message!.acked).toBe(false);
      expect(message!.retried).not.toBeNull();
      expect((await orderRow(orderId))!.status).toBe('PENDING');
      await expect(shipOrder(plain.deps, { id: shop.seller.id, role: 'seller' }, orderId)).rejects.toMatchObject({ status: 409 });
    }
    const [last] = await deliverToOrders(broken, [completed], SAGA_MAX_DELIVERIES);
    expect(last!.acked).toBe(true);
    expect(commitCalls).toBe(SAGA_MAX_DELIVERIES);
    expect(await deadLettersOf(orderId)).toEqual([]);
    expect(await orderRow(orderId)).toMatchObject({ status: 'CANCELLED', cancelReason: STOCK_COMMIT_FAILED_REASON, paymentId: completed.paymentId });
    const cancellations = (await outboxEvents(orderId, 'order.cancelled')) as OrderCancelled[];
    expect(cancellations.map((e) => e.previousStatus)).toEqual(['PENDING']);
    // The hold went back (release through the working DO), the payment is refunded once.
    expect(await stockOf(shop.productId)).toMatchObject({ onHand: 5, reserved: 0, sold: 0, available: 5 });
    await deliverToPayments(pay.deps, [cancellations[0], cancellations[0]]);
    expect((await paymentsOf(orderId)).map((p) => p.status)).toEqual(['REFUNDED']);
    expect(pay.gateway.refunds).toBe(1);

    // A later replay of the payment event (say from an old dead letter) finds the order moved on.
    const [replayed] = await deliverToOrders(plain.deps, [completed]);
    expect(replayed!.acked).toBe(true);
    expect((await orderRow(orderId))!.status).toBe('CANCELLED');
    expect(await stockOf(shop.productId)).toMatchObject({ onHand: 5, reserved: 0, sold: 0 });
    await expectInvariants(shop.productId);
  });
});
