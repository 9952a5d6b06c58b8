import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';

import { createDb, withTransaction } from '@/platform/db';
import { replayDeadLetter } from '@/platform/dead-letters';
import { quietLogger } from '@test/support/saga-fakes';
import { createTestUser, jsonHeaders, type TestUser } from '@test/support/shop-fixtures';

import {
  deadLettersOf,
  deliverToPayments,
  mirrored,
  newShop,
  noticesOf,
  orderHistoryOf,
  orderRow,
  paymentHistoryOf,
  paymentsOf,
  placeRealOrder,
  poll,
  realOrderDeps,
  realPaymentDeps,
  stockOf,
} from '@test/reliability/harness';
import { expectInvariants } from '@test/support/invariants';

type ReplayBody = { data: { requeued: boolean; deadLetter: { id: number; replayedAt: string | null } } };

const replay = (admin: TestUser, id: number) => SELF.fetch(`http://shop.test/api/v1/admin/dead-letters/${id}/replay`, { method: 'POST', headers: jsonHeaders(admin) });

/**
 * Row 4: the gateway keeps failing transiently → every delivery retries (with the in-consumer
 * backoff first) → the 5th delivery stores a dead letter and acks → an admin replays it through
 * the real Worker with the gateway healthy → the real queues finish the saga (CONFIRMED, stock
 * committed) → a second replay sends nothing and changes nothing.
 */
describe('reliability: transient payment failures → DLQ → admin replay', () => {
  it('retries, dead-letters on the 5th delivery, and one replay completes the order exactly once', async () => {
    const shop = await newShop(10, 3100);
    const admin = await createTestUser('admin');
    const { orderId, created } = await placeRealOrder(shop, 2, realOrderDeps().deps);
    const pay = realPaymentDeps({ kind: 'transient' });

    for (let attempt = 1; attempt <= 4; attempt++) {
      const [message] = await deliverToPayments(pay.deps, [created], attempt);
      expect(message).toMatchObject({ acked: false, retried: { delaySeconds: expect.any(Number) } });
    }
    const [last] = await deliverToPayments(pay.deps, [created], 5);
    expect(last).toMatchObject({ acked: true, retried: null });
    // 5 deliveries × (1 call + 3 in-consumer retries), all against the same payment id.
    expect(pay.gateway.charges).toBe(20);
    expect(pay.published).toEqual([]);
    expect((await paymentsOf(orderId)).map((p) => p.status)).toEqual(['PENDING']);
    const letters = await deadLettersOf(orderId);
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({ queue: 'order-events', errorStage: 'process', attempts: 5, replayedAt: null });
    expect(letters[0]!.errorReason).toContain('TransientGatewayError');
    expect((await orderRow(orderId))!.status).toBe('PENDING');

    // The gateway of the running Worker is healthy (PAYMENT_GATEWAY_MODE=success): replay through the real queues.
    const first = await replay(admin, letters[0]!.id);
    expect(first.status).toBe(200);
    expect((await first.json<ReplayBody>()).data.requeued).toBe(true);
    await poll(async () => ((await orderRow(orderId))!.status === 'CONFIRMED' ? true : undefined));
    const stock = await poll(async () => {
      const current = await stockOf(shop.productId);
      return current.sold === 2 && current.mirror.sold === 2 ? current : undefined;
    });

    const second = await replay(admin, letters[0]!.id);
    expect(second.status).toBe(200);
    expect((await second.json<ReplayBody>()).data).toMatchObject({ requeued: false, deadLetter: { replayedAt: expect.any(String) } });
    // The same replay with recording queues: nothing is sent, so there is no late delivery to wait for.
    const sent: unknown[] = [];
    const recording = { send: async (body: unknown) => void sent.push(body) } as unknown as Queue;
    const third = await replayDeadLetter(
      { db: createDb(env), transaction: (fn) => withTransaction(env, fn), queues: { 'order-events': recording, 'payment-events': recording }, logger: quietLogger() },
      letters[0]!.id,
      admin,
    );
    expect(third.requeued).toBe(false);
    expect(sent).toEqual([]);

    const paid = await paymentsOf(orderId);
    expect(paid.map((p) => p.status)).toEqual(['COMPLETED']);
    expect((await orderRow(orderId))!.paymentId).toBe(paid[0]!.id);
    expect(await paymentHistoryOf(orderId)).toEqual([
      [null, 'PENDING'],
      ['PENDING', 'COMPLETED'],
    ]);
    expect(await orderHistoryOf(orderId)).toEqual([
      [null, 'PENDING'],
      ['PENDING', 'CONFIRMED'],
    ]);
    expect(await noticesOf(orderId)).toEqual(['ORDER_PAID', 'ORDER_PLACED', 'PAYMENT_CONFIRMED']);
    expect(await deadLettersOf(orderId)).toHaveLength(1);
    const after = await stockOf(shop.productId);
    expect(after).toMatchObject({ onHand: 8, reserved: 0, sold: 2 });
    expect(after).toEqual(stock);
    expect(after.mirror).toEqual(mirrored(after));
    await expectInvariants(shop.productId);
  }, 30_000);
});
