import { describe, expect, it } from 'vitest';

import { homeShard, rebalanceMoves, reservationPasses, shardName, splitEvenly, takeFromShards, visitOrder } from '@/catalog/stock-shards';

describe('stock shard rules', () => {
  it('keeps shard 0 on the product’s historical StockDO name and gives the others distinct names', () => {
    expect(shardName(42, 0)).toBe('42');
    expect(new Set(Array.from({ length: 8 }, (_, i) => shardName(42, i))).size).toBe(8);
    expect(shardName(4, 2)).not.toBe(shardName(42, 0));
  });

  it('puts an order on a stable home shard within range, spread over all shards', () => {
    const ids = Array.from({ length: 800 }, (_, i) => `order-${i}`);
    const homes = ids.map((id) => homeShard(id, 8));
    expect(homes.every((h) => h >= 0 && h < 8)).toBe(true);
    expect(ids.map((id) => homeShard(id, 8))).toEqual(homes);
    const perShard = Array.from({ length: 8 }, (_, s) => homes.filter((h) => h === s).length);
    expect(Math.min(...perShard)).toBeGreaterThan(50);
    expect(homeShard('anything', 1)).toBe(0);
  });

  it('visits every shard once from the home shard; a multi-unit order gets a second pass in global order', () => {
    expect(visitOrder(5, 8)).toEqual([5, 6, 7, 0, 1, 2, 3, 4]);
    const home = homeShard('o-1', 4);
    expect(reservationPasses('o-1', 1, 4)).toEqual([visitOrder(home, 4)]);
    expect(reservationPasses('o-1', 3, 4)).toEqual([visitOrder(home, 4), [0, 1, 2, 3]]);
  });

  it('splits units evenly and rebalances without changing the total', () => {
    expect(splitEvenly(500, 8)).toEqual([63, 63, 63, 63, 62, 62, 62, 62]);
    expect(splitEvenly(3, 8)).toEqual([1, 1, 1, 0, 0, 0, 0, 0]);
    const onHand = [500, 0, 0, 0, 0, 0, 0, 0];
    const after = [...onHand];
    for (const move of rebalanceMoves(onHand)) {
      expect(move.quantity).toBeGreaterThan(0);
      after[move.from]! -= move.quantity;
      after[move.to]! += move.quantity;
    }
    expect(after).toEqual(splitEvenly(500, 8));
    expect(rebalanceMoves([2, 2])).toEqual([]);
  });

  it('takes a removal from the shards with most available, or refuses when they cannot cover it', () => {
    expect(takeFromShards([1, 5, 3], 7)).toEqual([
      { shard: 1, quantity: 5 },
      { shard: 2, quantity: 2 },
    ]);
    expect(takeFromShards([1, 5, 3], 10)).toBeNull();
    expect(takeFromShards([0, 0], 0)).toEqual([]);
  });
});
