import { env } from 'cloudflare:test';

import { growStockShards } from '@/catalog/stock';
import { homeShard, shardName } from '@/catalog/stock-shards';
import { insertProduct } from '@/catalog/test-support';
import { withTransaction } from '@/platform/db';
import type { Gate } from '@test/support/gate';

/** A product with `units` on hand split over `shards` StockDO shards (as the seller's `stockShards` edit does it). */
export async function shardedProduct(units: number, shards: number): Promise<number> {
  const id = await insertProduct({ stockQuantity: units });
  await withTransaction(env, (tx) => growStockShards(env, tx, id, 1, shards));
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
 * `env` whose StockDO stubs route every method call through `around(method, shard, call)`: a test can hold, fail or
 * count one method on one shard while everything else reaches the real objects.
 */
export function interceptedStockEnv(around: (method: string, shard: number, call: RpcCall) => RpcCall): typeof env {
  const namespace = env.STOCK_DO;
  const names = new Map<string, string>();
  const intercepted = new Proxy(namespace, {
    get(target, prop) {
      if (prop === 'idFromName') {
        return (name: string) => {
          const id = target.idFromName(name);
          names.set(id.toString(), name);
          return id;
        };
      }
      if (prop === 'get') {
        return (id: DurableObjectId) => {
          const stub = target.get(id);
          const shard = Number(names.get(id.toString())?.split(':')[1] ?? 0);
          return new Proxy(stub, {
            get(real, key) {
              // RPC stubs answer any property with a remote method: call through them, never `.bind` them.
              if (key === 'then' || typeof key !== 'string') return undefined;
              return around(key, shard, (...args) => (real as unknown as Record<string, RpcCall>)[key]!(...args));
            },
          });
        };
      }
      const value: unknown = Reflect.get(target, prop);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { ...env, STOCK_DO: intercepted };
}

/** `env` whose StockDO stubs pass `method` through the gate `<method>:<shard>` (e.g. `reservePart:1`). */
export const gatedStockEnv = (gate: Gate, method: 'reservePart' | 'unreserve' | 'commitPart') =>
  interceptedStockEnv((name, shard, call) => (name === method ? gate.wrap(`${method}:${shard}`, call) : call));
