/**
 * Pure rules of sharded stock (docs/decisions/flash-sales.md): which StockDO a shard is, where an order starts
 * looking for units, and how units are split across shards. No I/O here; `workers/catalog/stock.ts` applies them.
 */

/** Highest shard count a product may have (`products.stock_shards` has the same check). */
export const MAX_STOCK_SHARDS = 32;

/** The StockDO name of a product's shard. Shard 0 keeps the product's historical name, so N = 1 is the old object. */
export const shardName = (productId: number, shard: number): string => (shard === 0 ? String(productId) : `${productId}:${shard}`);

/** FNV-1a (32-bit) of the order id: stable across isolates and deploys, spread evenly enough for random ids. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** The order's home shard: where its reservation is tried first. */
export const homeShard = (orderId: string, shards: number): number => fnv1a(orderId) % shards;

/** Every shard once, starting at `first` and going round: the order a reservation borrows in. */
export const visitOrder = (first: number, shards: number): number[] => Array.from({ length: shards }, (_, i) => (first + i) % shards);

/**
 * The visit orders of one reservation: from its home shard, then — for more than one unit, when the first pass fell
 * short — once more in the fixed global order 0…N−1. Two multi-unit buyers that each held part of the last units
 * both give them back; on the second pass both walk the same order, so the first to reach a shard takes it all.
 * A single unit is always held whole by one shard, so it never needs the second pass.
 */
export const reservationPasses = (orderId: string, quantity: number, shards: number): number[][] => {
  const first = visitOrder(homeShard(orderId, shards), shards);
  return quantity > 1 ? [first, visitOrder(0, shards)] : [first];
};

/** `total` units split over `shards` as evenly as possible (the first shards take the remainder). */
export const splitEvenly = (total: number, shards: number): number[] =>
  Array.from({ length: shards }, (_, i) => Math.floor(total / shards) + (i < total % shards ? 1 : 0));

/** One move of units between shards when the count changes: `from` gives `quantity` to `to`. */
export interface ShardMove {
  from: number;
  to: number;
  quantity: number;
}

/**
 * The moves that turn `onHand` (per shard, the new shards with 0) into an even split of the same total. Each
 * donor gives only its surplus and each receiver gets only its shortfall, so the total never changes.
 */
export function rebalanceMoves(onHand: readonly number[]): ShardMove[] {
  const target = splitEvenly(
    onHand.reduce((sum, n) => sum + n, 0),
    onHand.length,
  );
  const surplus = onHand.map((n, i) => ({ shard: i, left: n - target[i]! })).filter((s) => s.left > 0);
  const moves: ShardMove[] = [];
  onHand.forEach((n, to) => {
    let need = target[to]! - n;
    for (const donor of surplus) {
      if (need <= 0) break;
      const quantity = Math.min(need, donor.left);
      if (quantity === 0) continue;
      moves.push({ from: donor.shard, to, quantity });
      donor.left -= quantity;
      need -= quantity;
    }
  });
  return moves;
}

/**
 * A negative on-hand change spread over shards: most available first, never more than a shard has available.
 * `null` when the shards together have fewer than `quantity` available.
 */
export function takeFromShards(available: readonly number[], quantity: number): { shard: number; quantity: number }[] | null {
  const order = available.map((n, shard) => ({ shard, n })).sort((a, b) => b.n - a.n || a.shard - b.shard);
  const takes: { shard: number; quantity: number }[] = [];
  let left = quantity;
  for (const { shard, n } of order) {
    if (left === 0) break;
    const take = Math.min(left, Math.max(0, n));
    if (take > 0) takes.push({ shard, quantity: take });
    left -= take;
  }
  return left === 0 ? takes : null;
}
