import { env, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';

import { commitStock, growStockShards, reserveStock, stockLedger, stockSnapshot } from '@/catalog/stock';
import { stockDepsFromEnv } from '@/composition';
import { UNFULFILLABLE_REASON } from '@/orders/payment-events';
import { withTransaction } from '@/platform/db';
import { type AppError } from '@/platform/errors';
import { deliverToOrders, deliverToPayments, newShop, orderRow, outboxEvents, paymentsOf, placeRealOrder, realOrderDeps, realPaymentDeps } from '@test/reliability/harness';
import { expectInvariants } from '@test/support/invariants';
import { interceptedStock, shardedProduct, shardStub } from '@test/support/sharded-stock';

const stock = stockDepsFromEnv(env);

const TTL = 60_000;
const SHARDS = 4;

/** Wipes a shard's storage, as if the object were reset: no counts, no pieces, no alarm. */
const resetShard = (productId: number, shard: number) =>
  runInDurableObject(shardStub(productId, shard), async (_instance, state) => {
    state.storage.sql.exec('delete from reservations');
    state.storage.sql.exec('delete from stock');
    await state.storage.deleteAlarm();
  });

/**
 * A sharded product's shard is reset or unreachable in the middle of a sale (docs/decisions/flash-sales.md). The
 * reset shard comes back from its mirrored counts without its pieces, so an order that had a piece there cannot
 * commit all of its units: it is refused, cancelled and refunded, its other pieces go back on the shelf, and the
 * units add up to the stock again. An unreachable shard is skipped while reserving: buyers are served from the
 * others, and nothing is sold twice.
 */
describe('reliability: a stock shard reset or unreachable mid-sale', () => {
  it('a shard reset between reserve and commit: the order is refused and refunded, no unit sold twice or lost', async () => {
    const shop = await newShop(10, 1500);
    await withTransaction(env, (tx) => growStockShards(stock, tx, shop.productId, 1, SHARDS));
    const orders = realOrderDeps();
    const pay = realPaymentDeps();
    // 5 units cannot fit one shard (10 over 4 = 3,3,2,2): the order holds pieces on several shards.
    const { orderId, created } = await placeRealOrder(shop, 5, orders.deps);
    const pieces = (await stockLedger(stock, shop.productId))!.reservations.filter((p) => p.orderId === orderId);
    expect(pieces.length).toBeGreaterThan(1);
    await deliverToPayments(pay.deps, [created]);
    const completed = pay.published.find((e) => e.orderId === orderId)!;
    expect(completed.type).toBe('payment.completed');

    // Find a shard holding a piece and wipe it.
    let wiped = -1;
    for (let shard = 0; shard < SHARDS && wiped < 0; shard++) {
      const held = await shardStub(shop.productId, shard).reservations();
      if (held.some((p) => p.orderId === orderId)) wiped = shard;
    }
    await resetShard(shop.productId, wiped);

    const first = await deliverToOrders(orders.deps, [completed]);
    expect(first.every((m) => m.acked)).toBe(true);
    expect(await orderRow(orderId)).toMatchObject({ status: 'CANCELLED', cancelReason: UNFULFILLABLE_REASON });
    // Every piece that did commit was restocked; the reset shard came back from its mirror.
    expect(await stockSnapshot(stock, shop.productId)).toMatchObject({ onHand: 10, reserved: 0, available: 10, sold: 0 });
    const refunds = await outboxEvents(orderId, 'order.cancelled');
    await deliverToPayments(pay.deps, refunds);
    expect((await paymentsOf(orderId)).map((p) => p.status)).toEqual(['REFUNDED']);
    await expectInvariants(shop.productId);
  });

  it('a shard reset while buyers are reserving: the forgotten holds never commit, so no more is sold than the stock', async () => {
    const productId = await shardedProduct(24, SHARDS);
    const line = [{ productId, quantity: 1 }];
    const buy = async () => {
      const orderId = crypto.randomUUID();
      return reserveStock(stock, orderId, line, TTL).then(
        () => [orderId],
        () => [],
      );
    };
    const early = (await Promise.all(Array.from({ length: 12 }, buy))).flat();
    const forgotten = (await shardStub(productId, 1).reservations()).length;
    await resetShard(productId, 1);
    const late = (await Promise.all(Array.from({ length: 40 }, buy))).flat();
    // The reset shard came back with its mirrored units and sold its forgotten holds' units again…
    expect(early.length + late.length).toBe(24 + forgotten);
    expect(await stockSnapshot(stock, productId)).toMatchObject({ onHand: 24, reserved: 24, available: 0 });
    // …but those holds cannot commit: exactly the stock is sold, nothing goes negative.
    const commits = await Promise.allSettled([...early, ...late].map((orderId) => commitStock(stock, orderId, line)));
    expect(commits.filter((c) => c.status === 'fulfilled')).toHaveLength(24);
    for (const c of commits) if (c.status === 'rejected') expect((c.reason as AppError).code).toBe('STOCK_COMMIT_FAILED');
    expect(await stockSnapshot(stock, productId)).toMatchObject({ onHand: 0, reserved: 0, sold: 24 });
    for (let shard = 0; shard < SHARDS; shard++) expect((await shardStub(productId, shard).snapshot())!).toMatchObject({ onHand: 0, reserved: 0 });
  });

  it('an unreachable shard is skipped while reserving: buyers get the other shards’ units, none twice', async () => {
    const productId = await shardedProduct(8, SHARDS);
    const down = interceptedStock((method, shard, call) => (shard === 2 && method !== 'unreserve' ? () => Promise.reject(new Error('shard 2 unreachable')) : call));
    const results = await Promise.allSettled(Array.from({ length: 12 }, () => reserveStock(down, crypto.randomUUID(), [{ productId, quantity: 1 }], TTL)));
    // Shard 2 holds 2 of the 8 units: the 6 others are sold, the rest refused with 409 (never a 500).
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(6);
    for (const r of results) if (r.status === 'rejected') expect([(r.reason as AppError).status, (r.reason as AppError).code]).toEqual([409, 'INSUFFICIENT_STOCK']);
    expect(await stockSnapshot(stock, productId)).toMatchObject({ onHand: 8, reserved: 6, available: 2 });
    expect((await shardStub(productId, 2).snapshot())!.reserved).toBe(0);
  });
});
