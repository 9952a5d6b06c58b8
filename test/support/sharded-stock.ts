import { env } from 'cloudflare:test';

import { growStockShards, type StockDeps } from '@/catalog/stock';
import { homeShard, shardName } from '@/catalog/stock-shards';
import { insertProduct } from '@/catalog/test-support';
import { stockDepsFromEnv } from '@/composition';
import { withTransaction } from '@/platform/db';
import type { Gate } from '@test/support/gate';

/** A product with `units` on hand split over `shards` StockDO shards (as the seller's `stockShards` edit does it). */
export async function shardedProduct(units: number, shards: number): Promise<number> {
  const id = await insertProduct({ stockQuantity: units });
  await withTransaction(env, (tx) => growStockShards(stockDepsFromEnv(env), tx, id, 1, shards));
  return id;
}

/** The StockDO of one shard. */
export const shardStub = (productId: number, shard: number) => env.STOCK_DO.get(env.STOCK_DO.idFromName(shardName(productId, shard)));

/** A fresh order id whose home shard is `shard` (of `shards`). */
export function orderIdHomedAt(shard: number, shards: number): string {
  for (;;) {
    const id = crypto.randomUUID();
    if (homeShard(id, shards) === shard) return id;
  }
}

type RpcCall = (...args: unknown[]) => Promise<unknown>;

/**
 * The stock port whose StockDO stubs route every method call through `around(method, shard, call)`: a test can hold,
 * fail or count one method on one shard while everything else reaches the real objects.
 */
export function interceptedStock(around: (method: string, shard: number, call: RpcCall) => RpcCall): StockDeps {
  const real = stockDepsFromEnv(env);
  return {
    ...real,
    stockObject: (name) => {
      const shard = Number(name.split(':')[1] ?? 0);
      return new Proxy(real.stockObject(name), {
        get(stub, key) {
          // RPC stubs answer any property with a remote method: call through them, never `.bind` them.
          if (key === 'then' || typeof key !== 'string') return undefined;
          return around(key, shard, (...args) => (stub as unknown as Record<string, RpcCall>)[key]!(...args));
        },
      });
    },
  };
}

/** The stock port whose StockDO stubs pass `method` through the gate `<method>:<shard>` (e.g. `reservePart:1`). */
export const gatedStock = (gate: Gate, method: 'reservePart' | 'unreserve' | 'commitPart') =>
  interceptedStock((name, shard, call) => (name === method ? gate.wrap(`${method}:${shard}`, call) : call));
