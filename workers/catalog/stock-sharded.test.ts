import { env, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';

import { createInventoryRouter, createProductsRouter } from '@/catalog/routes';
import { catalogDepsFromEnv, stockDepsFromEnv } from '@/composition';
import { commitStock, releaseStock, reserveStock, restockStock, stockLedger, stockSnapshot, type StockDeps } from '@/catalog/stock';
import { shardName, splitEvenly } from '@/catalog/stock-shards';
import { products } from '@/catalog/tables';
import { apiClient, errorOf, insertProduct, OTHER_SELLER, SELLER } from '@/catalog/test-support';
import { createDb } from '@/platform/db';
import { AppError } from '@/platform/errors';
import { quietLogger } from '@test/support/saga-fakes';
import { interceptedStock, orderIdHomedAt } from '@test/support/sharded-stock';

const stock = stockDepsFromEnv(env);

const TTL = 60_000;
const api = apiClient(createProductsRouter(catalogDepsFromEnv), createInventoryRouter(catalogDepsFromEnv));

const shardStub = (productId: number, shard: number) => env.STOCK_DO.get(env.STOCK_DO.idFromName(shardName(productId, shard)));
const shardSnapshots = (productId: number, shards: number) => Promise.all(Array.from({ length: shards }, (_, i) => shardStub(productId, i).snapshot()));

async function mirrorRow(productId: number) {
  const [row] = await createDb(env)
    .select({ stockQuantity: products.stockQuantity, stockReserved: products.stockReserved, soldCount: products.soldCount, stockShards: products.stockShards })
    .from(products)
    .where(eq(products.id, productId));
  return row!;
}

/** A product with `units` on hand, grown to `shards` shards through the seller's product edit. */
async function shardedProduct(units: number, shards: number) {
  const id = await insertProduct({ stockQuantity: units });
  const res = await api.put(`/api/v1/products/${id}`, { stockShards: shards }, SELLER);
  expect(res.status).toBe(200);
  expect((await res.json<{ data: { stockShards: number } }>()).data.stockShards).toBe(shards);
  return id;
}

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const err = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

describe('stock shards: configuration', () => {
  it('splits the units evenly when the seller grows the shards; listings and inventory show the sum', async () => {
    const id = await shardedProduct(10, 4);
    expect((await shardSnapshots(id, 4)).map((s) => s!.onHand)).toEqual(splitEvenly(10, 4));
    expect(await mirrorRow(id)).toEqual({ stockQuantity: 10, stockReserved: 0, soldCount: 0, stockShards: 4 });
    const inventory = await api.get(`/api/v1/inventory/${id}`);
    expect((await inventory.json<{ data: unknown }>()).data).toEqual({ productId: id, stockQuantity: 10, stockReserved: 0, availableStock: 10 });
  });

  it('refuses shrinking, growing while units are reserved, out-of-range counts and other sellers', async () => {
    const id = await shardedProduct(6, 2);
    const shrink = await api.put(`/api/v1/products/${id}`, { stockShards: 1 }, SELLER);
    expect(shrink.status).toBe(409);
    expect((await errorOf(shrink)).code).toBe('STOCK_SHARDS_SHRINK');
    await reserveStock(stock, crypto.randomUUID(), [{ productId: id, quantity: 1 }], TTL);
    const busy = await api.put(`/api/v1/products/${id}`, { stockShards: 4 }, SELLER);
    expect(busy.status).toBe(409);
    expect((await errorOf(busy)).code).toBe('STOCK_RESERVED');
    for (const bad of [0, 33, 2.5, '4']) expect((await api.put(`/api/v1/products/${id}`, { stockShards: bad }, SELLER)).status).toBe(400);
    expect((await api.put(`/api/v1/products/${id}`, { stockShards: 4 }, OTHER_SELLER)).status).toBe(403);
    expect(await mirrorRow(id)).toMatchObject({ stockQuantity: 6, stockReserved: 1, stockShards: 2 });
    expect((await shardSnapshots(id, 2)).reduce((sum, s) => sum + s!.onHand, 0)).toBe(6);
  });

  it('spreads a stock edit over the shards, never below what is reserved', async () => {
    const id = await shardedProduct(8, 4);
    expect((await api.put(`/api/v1/products/${id}`, { stockDelta: 5 }, SELLER)).status).toBe(200);
    expect(await stockSnapshot(stock, id)).toMatchObject({ onHand: 13, reserved: 0 });
    await reserveStock(stock, crypto.randomUUID(), [{ productId: id, quantity: 3 }], TTL);
    expect((await api.put(`/api/v1/products/${id}`, { stockDelta: -9 }, SELLER)).status).toBe(200);
    expect(await stockSnapshot(stock, id)).toMatchObject({ onHand: 4, reserved: 3, available: 1 });
    const below = await api.put(`/api/v1/products/${id}`, { stockQuantity: 2 }, SELLER);
    expect(below.status).toBe(409);
    expect((await errorOf(below)).code).toBe('INSUFFICIENT_STOCK');
    expect((await api.put(`/api/v1/products/${id}`, { stockQuantity: 20 }, SELLER)).status).toBe(200);
    expect(await stockSnapshot(stock, id)).toMatchObject({ onHand: 20, reserved: 3, available: 17 });
    expect(await mirrorRow(id)).toMatchObject({ stockQuantity: 20, stockReserved: 3 });
    expect((await shardSnapshots(id, 4)).every((s) => s!.onHand >= s!.reserved && s!.reserved >= 0)).toBe(true);
  });
});

describe('stock shards: reservations', () => {
  it('sells exactly the units of 8 shards to 60 concurrent single-unit buyers; the refused hold nothing', async () => {
    const id = await shardedProduct(20, 8);
    const results = await Promise.allSettled(Array.from({ length: 60 }, () => reserveStock(stock, crypto.randomUUID(), [{ productId: id, quantity: 1 }], TTL)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(20);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason as AppError);
    expect(refused.map((e) => [e.status, e.code])).toEqual(Array.from({ length: 40 }, () => [409, 'INSUFFICIENT_STOCK']));
    const shards = await shardSnapshots(id, 8);
    expect(shards.every((s) => s!.reserved === s!.onHand)).toBe(true);
    expect(await stockSnapshot(stock, id)).toMatchObject({ onHand: 20, reserved: 20, available: 0 });
    expect(await mirrorRow(id)).toMatchObject({ stockQuantity: 20, stockReserved: 20 });
  });

  it('borrows a multi-unit line across shards; commit, restock and retries move each unit once', async () => {
    const id = await shardedProduct(10, 4);
    const orderId = crypto.randomUUID();
    const line = [{ productId: id, quantity: 7 }];
    await reserveStock(stock, orderId, line, TTL);
    await reserveStock(stock, orderId, line, TTL);
    expect(await stockSnapshot(stock, id)).toMatchObject({ onHand: 10, reserved: 7, available: 3 });
    const pieces = (await stockLedger(stock, id))!.reservations;
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.reduce((sum, p) => sum + p.quantity, 0)).toBe(7);
    await commitStock(stock, orderId, line);
    await commitStock(stock, orderId, line);
    expect(await stockSnapshot(stock, id)).toMatchObject({ onHand: 3, reserved: 0, sold: 7 });
    expect(await mirrorRow(id)).toMatchObject({ stockQuantity: 3, stockReserved: 0, soldCount: 7 });
    await restockStock(stock, orderId, line);
    await restockStock(stock, orderId, line);
    expect(await stockSnapshot(stock, id)).toMatchObject({ onHand: 10, reserved: 0, sold: 0 });
  });

  it('refuses a line no pass can cover and gives back every piece it took', async () => {
    const id = await shardedProduct(10, 4);
    await reserveStock(stock, crypto.randomUUID(), [{ productId: id, quantity: 4 }], TTL);
    const err = await refusal(reserveStock(stock, crypto.randomUUID(), [{ productId: id, quantity: 7 }], TTL));
    expect([err.status, err.code, err.details]).toEqual([409, 'INSUFFICIENT_STOCK', { [id]: 'only 6 available' }]);
    expect(await stockSnapshot(stock, id)).toMatchObject({ onHand: 10, reserved: 4, available: 6 });
    // The refused order id may try again later (nothing of it is remembered) and then succeeds.
    await reserveStock(stock, crypto.randomUUID(), [{ productId: id, quantity: 6 }], TTL);
    expect(await stockSnapshot(stock, id)).toMatchObject({ reserved: 10, available: 0 });
  });

  it('releases every piece; expiry frees pieces on each shard and a late commit re-takes them', async () => {
    const id = await shardedProduct(9, 3);
    const released = crypto.randomUUID();
    await reserveStock(stock, released, [{ productId: id, quantity: 5 }], TTL);
    await releaseStock(stock, released, [{ productId: id, quantity: 5 }]);
    expect(await stockSnapshot(stock, id)).toMatchObject({ reserved: 0, available: 9 });

    const late = crypto.randomUUID();
    await reserveStock(stock, late, [{ productId: id, quantity: 5 }], TTL);
    for (let shard = 0; shard < 3; shard++) {
      const stub = shardStub(id, shard);
      await runInDurableObject(stub, (_instance, state) => {
        state.storage.sql.exec('update reservations set expires_at = ? where order_id = ?', Date.now() - 1, late);
      });
      await runDurableObjectAlarm(stub);
    }
    expect(await stockSnapshot(stock, id)).toMatchObject({ onHand: 9, reserved: 0 });
    expect(new Set((await stockLedger(stock, id))!.reservations.filter((p) => p.orderId === late).map((p) => p.status))).toEqual(new Set(['EXPIRED']));
    await commitStock(stock, late, [{ productId: id, quantity: 5 }]);
    expect(await stockSnapshot(stock, id)).toMatchObject({ onHand: 4, reserved: 0, sold: 5 });
  });
});

describe('stock shards: the stock port (StockDeps) decides where levels and warnings go', () => {
  it('hands the summed level of every accepted shard mirror to the port’s stock feed, and works without one', async () => {
    const id = await shardedProduct(10, 4);
    const levels: unknown[] = [];
    const feeding: StockDeps = { ...stock, stockFeed: (productId) => ({ update: async (level) => void levels.push({ asked: productId, ...level }) }) };
    await reserveStock(feeding, crypto.randomUUID(), [{ productId: id, quantity: 7 }], TTL);
    // 7 units span several shards (3, 3, 2, 2): one level per accepted mirror, each the product's sum, the last the total.
    expect(levels.length).toBeGreaterThan(1);
    expect(levels.at(-1)).toMatchObject({ asked: id, productId: id, available: 3 });
    await reserveStock({ ...stock, stockFeed: null }, crypto.randomUUID(), [{ productId: id, quantity: 2 }], TTL);
    expect(await mirrorRow(id)).toMatchObject({ stockQuantity: 10, stockReserved: 9 });
  });

  it('reports an unreachable shard to the port’s logger and serves the buyer from the others', async () => {
    const id = await shardedProduct(8, 4);
    const warnings: { msg: string; fields: Record<string, unknown> | undefined }[] = [];
    const down = interceptedStock((method, shard, call) => (shard === 1 && method !== 'unreserve' ? () => Promise.reject(new Error('shard 1 unreachable')) : call));
    const logger = { ...quietLogger(), warn: (msg: string, fields?: Record<string, unknown>) => void warnings.push({ msg, fields }) };
    // Homed at the unreachable shard, the order asks it first, then takes 2 + 2 + 1 from the others.
    await reserveStock({ ...down, logger }, orderIdHomedAt(1, 4), [{ productId: id, quantity: 5 }], TTL);
    expect(await stockSnapshot(stock, id)).toMatchObject({ onHand: 8, reserved: 5 });
    expect((await shardStub(id, 1).snapshot())!.reserved).toBe(0);
    expect(warnings.map((w) => [w.msg, w.fields?.productId, w.fields?.shard])).toContainEqual(['stock shard unreachable while reserving; skipped', id, 1]);
  });
});
