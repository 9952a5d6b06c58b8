import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';

import { reserveStock, stockLedger, stockSnapshot } from '@/catalog/stock';
import { stockDepsFromEnv } from '@/composition';
import { AppError } from '@/platform/errors';
import { Gate } from '@test/support/gate';
import { gatedStock, orderIdHomedAt, shardedProduct, shardStub } from '@test/support/sharded-stock';

const stock = stockDepsFromEnv(env);

const TTL = 60_000;

const outcome = (promise: Promise<unknown>) =>
  promise.then(
    () => 'held',
    (err: unknown) => (err instanceof AppError ? `${err.status} ${err.code}` : `error ${String(err)}`),
  );

/**
 * Race: a buyer borrows from another shard while that shard's own buyers are reserving. Each shard is exact by
 * itself, so the borrower finds the unit gone and goes on to the next shard; the product never refuses while a
 * unit remains, never sells one twice, and a refused buyer holds nothing (docs/decisions/flash-sales.md).
 */
describe('race: borrowing from a shard that is selling its own units', () => {
  it('a single-unit buyer whose home shard is empty takes the next shard’s unit when the one it aimed at went first', async () => {
    // 2 units over 3 shards: [1, 1, 0].
    const productId = await shardedProduct(2, 3);
    const gate = new Gate();
    const gated = gatedStock(gate, 'reservePart');
    const borrower = orderIdHomedAt(2, 3);
    gate.arm('reservePart:0');
    const borrowing = outcome(reserveStock(gated, borrower, [{ productId, quantity: 1 }], TTL));
    await gate.reached('reservePart:0');
    // Meanwhile shard 0's own buyer takes its only unit.
    expect(await outcome(reserveStock(stock, orderIdHomedAt(0, 3), [{ productId, quantity: 1 }], TTL))).toBe('held');
    gate.release('reservePart:0');
    expect(await borrowing).toBe('held');
    expect(gate.calls('reservePart:1')).toBe(1);
    // Sold out: the next buyer is refused and holds nothing.
    expect(await outcome(reserveStock(stock, crypto.randomUUID(), [{ productId, quantity: 1 }], TTL))).toBe('409 INSUFFICIENT_STOCK');
    expect(await stockSnapshot(stock, productId)).toMatchObject({ onHand: 2, reserved: 2, available: 0 });
    expect((await shardStub(productId, 2).snapshot())!.reserved).toBe(0);
  });

  it('two multi-unit buyers each holding half of the last units: the one that gives back lets the other complete', async () => {
    // 4 units over 2 shards: [2, 2]; A (home 0) and B (home 1) each want 3.
    const productId = await shardedProduct(4, 2);
    const gate = new Gate();
    const gated = gatedStock(gate, 'reservePart');
    const a = orderIdHomedAt(0, 2);
    const b = orderIdHomedAt(1, 2);
    gate.arm('reservePart:1');
    const buyerA = outcome(reserveStock(gated, a, [{ productId, quantity: 3 }], TTL));
    await gate.reached('reservePart:1'); // A holds shard 0's 2 units, on its way to shard 1
    gate.arm('reservePart:0');
    const buyerB = outcome(reserveStock(gated, b, [{ productId, quantity: 3 }], TTL));
    await gate.reached('reservePart:0'); // B holds shard 1's 2 units, on its way to shard 0
    // A finds shard 1 empty, gives its 2 units back and starts its second pass (held at shard 0, behind B).
    gate.arm('reservePart:0');
    gate.release('reservePart:1');
    await gate.reached('reservePart:0', 2);
    // B reaches shard 0 and finds A's units back: B completes.
    gate.release('reservePart:0');
    expect(await buyerB).toBe('held');
    // A's second pass finds 1 unit: refused, holding nothing.
    gate.release('reservePart:0');
    expect(await buyerA).toBe('409 INSUFFICIENT_STOCK');
    expect(await stockSnapshot(stock, productId)).toMatchObject({ onHand: 4, reserved: 3, available: 1 });
    const pieces = (await stockLedger(stock, productId))!.reservations;
    expect(pieces.filter((p) => p.orderId === a)).toEqual([]);
    expect(pieces.filter((p) => p.orderId === b && p.status === 'RESERVED').reduce((sum, p) => sum + p.quantity, 0)).toBe(3);
  });
});
