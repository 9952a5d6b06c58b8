/**
 * Stock operations over StockDOs: reserve, commit, release, restock and return, for one or many shards, with the
 * Postgres mirror kept after each change. One file because every operation shares the shard plan, the lazy shard
 * start and the mirror rules; split, each piece would re-export the others' internals (over 300 lines on purpose).
 */
import type { HeldPart, StockChange, StockDO, StockSnapshot } from '@do/stock';
import { and, eq, inArray, lt, sql } from 'drizzle-orm';

import { MAX_STOCK_SHARDS, rebalanceMoves, reservationPasses, shardName, splitEvenly, takeFromShards, type ShardMove } from '@/catalog/stock-shards';
import { products, type ShardMirror } from '@/catalog/tables';
import type { StockLevel } from '@/live';
import type { Db, Queryable } from '@/platform/db';
import { AppError, notFound } from '@/platform/errors';
import { describeError, type Logger } from '@/platform/logger';

export type { StockSnapshot } from '@do/stock';

/** One order line as the stock service sees it. */
export interface StockLine {
  productId: number;
  quantity: number;
}

/** The StockDO RPC surface with plain result types (the generated stub wraps them in RPC helpers). */
type StockRpc = {
  [K in 'init' | 'snapshot' | 'setOnHand' | 'adjust' | 'reserve' | 'reservePart' | 'unreserve' | 'markSharded' | 'commit' | 'commitPart' | 'release' | 'restock' | 'returnUnits' | 'reservations']: (
    ...args: Parameters<StockDO[K]>
  ) => Promise<Awaited<ReturnType<StockDO[K]>>>;
};

/**
 * The catalog's stock port: what every stock operation needs, built once per request (or batch) by the composition
 * root's `stockDepsFromEnv`. Tests pass the same factory's answer, or one with a field swapped.
 */
export interface StockDeps {
  /** The StockDO of that name ({@link shardName}: the product id, or `<id>:<shard>` for a shard of a sharded product). */
  stockObject(name: string): DurableObjectStub<StockDO>;
  /** The product's live stock feed; null when the Worker has none (a sharded product's summed level then goes nowhere). */
  stockFeed: ((productId: number) => { update(level: StockLevel): Promise<unknown> }) | null;
  /** The plain client: reads and mirrors outside a caller's transaction. */
  db: Db;
  /** Where a lost mirror, an unreachable shard or a piece not given back is reported. */
  logger: Logger;
}

/** The StockDO of one shard of a product (shard 0 = the product's only StockDO when it is not sharded). */
const stockStub = (deps: StockDeps, productId: number, shard = 0) => deps.stockObject(shardName(productId, shard)) as unknown as StockRpc;

const productMissing = (productId: number) => notFound('PRODUCT_NOT_FOUND', `Product ${productId} was not found`);

/**
 * Seeds a shard's StockDO the first time it is touched (the seed's products exist in Postgres before
 * any DO does). A product with one shard starts from its row: the mirror's `stock_version` becomes
 * the DO's starting version, so the DO's first change outranks the row; reserved units in the row
 * have no order ids the DO could track, so they are not carried over. A shard of a sharded product
 * (new, or reset) starts from its own entry in `stock_shard_mirror` — never from the row's totals,
 * which would multiply units — and a shard never mirrored starts empty. The row's shard count is
 * read here, not taken from the caller, so a caller holding a stale count cannot seed wrongly.
 */
async function initShard(deps: StockDeps, q: Queryable, productId: number, shard: number): Promise<StockSnapshot> {
  const [row] = await q
    .select({ onHand: products.stockQuantity, sold: products.soldCount, version: products.stockVersion, shards: products.stockShards, mirror: products.stockShardMirror })
    .from(products)
    .where(eq(products.id, productId));
  if (!row) throw productMissing(productId);
  if (row.shards === 1 && shard === 0) return stockStub(deps, productId).init(productId, row.onHand, { sold: row.sold, version: row.version });
  const mirrored = row.mirror?.[String(shard)];
  return stockStub(deps, productId, shard).init(productId, mirrored?.onHand ?? 0, { sold: mirrored?.sold ?? 0, version: mirrored?.version ?? 0, sharded: true });
}

/**
 * Runs one DO method on one shard, initialising it lazily ({@link initShard}) when it answers `null` (not yet seeded).
 */
async function onStock<T extends StockChange | StockSnapshot | HeldPart>(
  deps: StockDeps,
  q: Queryable,
  productId: number,
  call: (stub: StockRpc) => Promise<T | null>,
  shard: Shard = SINGLE,
): Promise<T> {
  const stub = stockStub(deps, productId, shard.index);
  const first = await call(stub);
  if (first !== null) return first;
  await initShard(deps, q, productId, shard.index);
  const second = await call(stub);
  if (second === null) throw new Error(`StockDO ${shardName(productId, shard.index)} did not initialise`);
  return second;
}

/** One shard of a product with `of` shards. */
interface Shard {
  index: number;
  of: number;
}
const SINGLE: Shard = { index: 0, of: 1 };
const shardsOf = (of: number): Shard[] => Array.from({ length: of }, (_, index) => ({ index, of }));

/** Shard counts read within this long are reused by reservations in the same isolate (see shardCounts). */
const SHARD_COUNT_CACHE_MS = 2_000;
const shardCountCache = new Map<number, { shards: number; at: number }>();

/**
 * Each product's shard count (`products.stock_shards`; 1 for a product the query does not find — the DO call then
 * answers 404 as before). Reservations may take a count read up to {@link SHARD_COUNT_CACHE_MS} ago (`cached`):
 * the count only grows, so a stale one only visits fewer shards, and a shortage re-reads it before refusing.
 * Commit, release and restock always read it fresh, so they reach every shard a piece can be in.
 */
async function shardCounts(q: Queryable, productIds: readonly number[], cached: boolean): Promise<Map<number, number>> {
  const now = Date.now();
  const counts = new Map<number, number>();
  const missing = productIds.filter((id) => {
    const hit = shardCountCache.get(id);
    if (cached && hit && now - hit.at < SHARD_COUNT_CACHE_MS) counts.set(id, hit.shards);
    return !counts.has(id);
  });
  if (missing.length > 0) {
    const rows = await q.select({ id: products.id, shards: products.stockShards }).from(products).where(inArray(products.id, missing));
    for (const row of rows) {
      counts.set(row.id, row.shards);
      shardCountCache.set(row.id, { shards: row.shards, at: now });
    }
  }
  for (const id of productIds) if (!counts.has(id)) counts.set(id, 1);
  return counts;
}

/**
 * Copies a DO snapshot into `products` for listing and filtering. The `stock_version` guard makes
 * a late (older) snapshot lose against a newer one already written. `updated_at` is left alone:
 * it means "the seller edited the product".
 */
export async function mirrorStock(q: Queryable, snapshot: StockSnapshot): Promise<boolean> {
  // Both clients build the same SQL; the cast only picks one overload of `returning`.
  const updated = await (q as Db)
    .update(products)
    .set({
      stockQuantity: snapshot.onHand,
      stockReserved: snapshot.reserved,
      soldCount: snapshot.sold,
      stockVersion: snapshot.version,
      updatedAt: sql`${products.updatedAt}`,
    })
    .where(and(eq(products.id, snapshot.productId), eq(products.stockShards, 1), lt(products.stockVersion, snapshot.version)))
    .returning({ id: products.id });
  return updated.length > 0;
}

/**
 * Mirrors one shard of a sharded product: its counts go into `stock_shard_mirror[shard]` (a late, older snapshot
 * loses against its own shard's newer one) and the row's totals become the sum over the shards. One UPDATE: the
 * row lock serialises concurrent mirrors, and a waiting one recomputes the sums from the row it finally updates,
 * so no shard's write is lost from the totals. `stock_version` goes up by one per accepted write (the live feed
 * orders levels by it). Returns the new totals, or null when the write lost.
 */
async function mirrorShard(q: Queryable, shard: number, snapshot: StockSnapshot): Promise<{ available: number; version: number } | null> {
  const key = String(shard);
  const entry: ShardMirror = { onHand: snapshot.onHand, reserved: snapshot.reserved, sold: snapshot.sold, version: snapshot.version };
  const merged = sql`(coalesce(${products.stockShardMirror}, '{}'::jsonb) || jsonb_build_object(${key}::text, ${JSON.stringify(entry)}::jsonb))`;
  const total = (field: keyof ShardMirror) => sql<number>`(select coalesce(sum((value ->> ${field}::text)::bigint), 0) from jsonb_each(${merged}))`;
  const updated = await (q as Db)
    .update(products)
    .set({
      stockShardMirror: merged,
      stockQuantity: total('onHand'),
      stockReserved: total('reserved'),
      soldCount: total('sold'),
      stockVersion: sql`${products.stockVersion} + 1`,
      updatedAt: sql`${products.updatedAt}`,
    })
    .where(
      and(
        eq(products.id, snapshot.productId),
        sql`${products.stockShards} > 1`,
        sql`coalesce((${products.stockShardMirror} -> ${key}::text ->> 'version')::bigint, -1) < ${snapshot.version}`,
      ),
    )
    .returning({ onHand: products.stockQuantity, reserved: products.stockReserved, version: products.stockVersion });
  const row = updated[0];
  return row ? { available: row.onHand - row.reserved, version: row.version } : null;
}

/**
 * Mirrors after a change. Inside a caller's transaction a failure must abort it, so it throws;
 * on the shared HTTP client the DO already holds the truth and the next change re-mirrors, so a
 * failure is only logged.
 */
async function mirrorAfterChange(deps: StockDeps, q: Queryable | undefined, snapshot: StockSnapshot, shard: Shard = SINGLE): Promise<void> {
  const write = (db: Queryable) => (shard.of === 1 ? mirrorStock(db, snapshot) : mirrorShardAndFeed(deps, db, shard.index, snapshot));
  if (q) {
    await write(q);
    return;
  }
  try {
    await write(deps.db);
  } catch (err) {
    deps.logger.warn('stock mirror failed', { productId: snapshot.productId, shard: shard.index, version: snapshot.version, ...describeError(err) });
  }
}

/**
 * A sharded product's shards feed nobody (each holds a slice); the Worker hands the summed level to the live feed
 * after the mirror accepted it. A lost call is repaired by the next change, as for the StockDO's own feed.
 */
async function mirrorShardAndFeed(deps: StockDeps, q: Queryable, shard: number, snapshot: StockSnapshot): Promise<void> {
  const level = await mirrorShard(q, shard, snapshot);
  if (!level || !deps.stockFeed) return;
  await deps.stockFeed(snapshot.productId)
    .update({ productId: snapshot.productId, available: Math.max(0, level.available), version: level.version })
    .catch(() => undefined);
}

/** Sums duplicate product lines and rejects nonsense quantities before any DO is touched. */
function mergeLines(lines: readonly StockLine[]): StockLine[] {
  const merged = new Map<number, number>();
  for (const { productId, quantity } of lines) {
    if (!Number.isSafeInteger(productId) || productId <= 0 || !Number.isSafeInteger(quantity) || quantity <= 0) {
      throw new AppError(400, 'VALIDATION_ERROR', 'Stock lines need positive integer product ids and quantities');
    }
    merged.set(productId, (merged.get(productId) ?? 0) + quantity);
  }
  return [...merged].map(([productId, quantity]) => ({ productId, quantity }));
}

const distinctProducts = (lines: readonly StockLine[]) => [...new Set(lines.map((line) => line.productId))];

/** What one order's reservation needs on every shard it visits. */
interface ReserveContext {
  deps: StockDeps;
  orderId: string;
  ttlMs: number;
  /** Reads product rows (the caller's transaction, or the shared HTTP client). */
  reader: Queryable;
  /** The caller's open transaction, if any (mirrors then write through it and a failure aborts it). */
  q: Queryable | undefined;
}

const RELEASED_DETAIL = 'reservation for this order was already released';

/** A product with one StockDO: the whole line there or nothing. Returns why not, or null when held. */
async function reserveWhole(ctx: ReserveContext, line: StockLine, taken: StockLine[]): Promise<string | null> {
  const result = await onStock(ctx.deps, ctx.reader, line.productId, (stub) => stub.reserve(ctx.orderId, line.quantity, ctx.ttlMs));
  if (!result.ok) return result.reason === 'RESERVATION_RELEASED' ? RELEASED_DETAIL : `only ${result.available} available`;
  taken.push(line);
  await mirrorAfterChange(ctx.deps, ctx.q, result.snapshot);
  return null;
}

/**
 * A sharded product (docs/decisions/flash-sales.md): pieces are taken shard by shard in each pass's order until the
 * line is covered; a pass that falls short gives its pieces back ({@link giveBack}) before the next pass or the
 * refusal, so a refused buyer holds nothing. Returns why not, or null when held.
 */
async function reserveSharded(ctx: ReserveContext, line: StockLine, shards: number, taken: StockLine[]): Promise<string | null> {
  let best = 0;
  for (const pass of reservationPasses(ctx.orderId, line.quantity, shards)) {
    const attempt = await takePieces(ctx, line, pass, shards);
    if (attempt.held === line.quantity) {
      taken.push(line);
      return null;
    }
    await giveBack(ctx, line.productId, attempt.pieces, shards);
    if (attempt.released) return RELEASED_DETAIL;
    best = Math.max(best, Math.min(attempt.held, line.quantity));
  }
  return `only ${best} available`;
}

/**
 * One pass: asks each shard in `order` for what is still missing (`reservePart` holds as much as that shard has).
 * A shard that throws (unreachable, reset mid-call) is skipped after a best-effort `unreserve` — it may have held a
 * piece before its answer was lost; a piece that survives even that is caught by the commit, which sells only when
 * the pieces add up to the ordered quantity exactly.
 */
async function takePieces(ctx: ReserveContext, line: StockLine, order: readonly number[], shards: number): Promise<{ held: number; pieces: number[]; released: boolean }> {
  let held = 0;
  const pieces: number[] = [];
  for (const index of order) {
    if (held >= line.quantity) break;
    const shard = { index, of: shards };
    let result: HeldPart;
    try {
      result = await onStock(ctx.deps, ctx.reader, line.productId, (stub) => stub.reservePart(ctx.orderId, line.quantity - held, ctx.ttlMs), shard);
    } catch (err) {
      ctx.deps.logger.warn('stock shard unreachable while reserving; skipped', { productId: line.productId, shard: index, ...describeError(err) });
      await stockStub(ctx.deps, line.productId, index).unreserve(ctx.orderId).catch(() => undefined);
      continue;
    }
    if (!result.ok) {
      if (result.reason === 'RESERVATION_RELEASED') return { held, pieces, released: true };
      continue;
    }
    pieces.push(index);
    held += result.held;
    await mirrorAfterChange(ctx.deps, ctx.q, result.snapshot, shard);
  }
  return { held, pieces, released: false };
}

/** Gives back the RESERVED pieces of a pass that fell short (as if never held); a failure leaves them to the expiry alarm. */
async function giveBack(ctx: ReserveContext, productId: number, pieces: readonly number[], shards: number): Promise<void> {
  await Promise.all(
    pieces.map(async (index) => {
      const shard = { index, of: shards };
      try {
        const result = await onStock(ctx.deps, ctx.reader, productId, (stub) => stub.unreserve(ctx.orderId), shard);
        await mirrorAfterChange(ctx.deps, ctx.q, result.snapshot, shard);
      } catch (err) {
        ctx.deps.logger.warn('giving back a stock piece failed; its expiry frees it', { productId, shard: index, ...describeError(err) });
      }
    }),
  );
}

/**
 * Holds stock for every line of an order, all or nothing: every product is asked at once (one round of parallel
 * calls, not one call after another); if any line is short, every reservation taken is released and a 409
 * `INSUFFICIENT_STOCK` names each short product (`{"7": "only 2 available"}`). A product with several stock shards
 * is reserved by {@link reserveSharded}. Idempotent per `orderId`: a retry holds nothing twice. Pass `q` when
 * calling inside an open transaction (the mirror then writes through it).
 */
export async function reserveStock(deps: StockDeps, orderId: string, lines: { productId: number; quantity: number }[], ttlMs: number, q?: Queryable): Promise<void> {
  // Checked here, not only in the DO: a rejected DO RPC surfaces as an unhandled rejection.
  if (!Number.isFinite(ttlMs) || ttlMs <= 0) throw new RangeError('ttlMs must be a positive number of milliseconds');
  if (typeof orderId !== 'string' || orderId.length === 0 || orderId.length > 64) throw new RangeError('orderId must be 1–64 characters');
  const merged = mergeLines(lines);
  const ctx: ReserveContext = { deps, orderId, ttlMs, reader: q ?? deps.db, q };
  const counts = await shardCounts(ctx.reader, distinctProducts(merged), true);
  const reserveLine = (line: StockLine, shards: number, taken: StockLine[]) => (shards === 1 ? reserveWhole(ctx, line, taken) : reserveSharded(ctx, line, shards, taken));
  const taken: StockLine[] = [];
  const short: Record<string, string> = {};
  const results = await Promise.allSettled(
    merged.map(async (line) => {
      const shards = counts.get(line.productId)!;
      let refusal = await reserveLine(line, shards, taken);
      if (refusal !== null && refusal !== RELEASED_DETAIL) {
        // The count may be a cached one from before the product grew: look again before refusing.
        const fresh = (await shardCounts(ctx.reader, [line.productId], false)).get(line.productId)!;
        if (fresh !== shards) refusal = await reserveLine(line, fresh, taken);
      }
      if (refusal !== null) short[line.productId] = refusal;
    }),
  );
  const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed) {
    // The original failure is what the caller must see; the expiry alarm frees anything this misses.
    await releaseStock(deps, orderId, taken, q).catch(() => undefined);
    throw failed.reason;
  }
  if (Object.keys(short).length > 0) {
    await releaseStock(deps, orderId, taken, q);
    throw new AppError(409, 'INSUFFICIENT_STOCK', 'Not enough stock for some products', short);
  }
}

/** One product's answers to a change, one per shard the change visited (a single one for an unsharded product). */
type ShardAnswers<T> = { productId: number; shards: number; answers: T[] };

/**
 * Runs `change` on every shard of each product in parallel (`firstShardOnly`: only shard 0), mirrors every success,
 * and throws the first error after all ran. Shard counts are read fresh: every shard a piece can be in is reached.
 */
async function forEachProduct<T extends StockChange | HeldPart>(
  deps: StockDeps,
  lines: readonly StockLine[],
  q: Queryable | undefined,
  change: (stub: StockRpc, productId: number, sharded: boolean) => Promise<T | null>,
  firstShardOnly = false,
): Promise<ShardAnswers<T>[]> {
  const reader = q ?? deps.db;
  const counts = await shardCounts(reader, distinctProducts(lines), false);
  const results = await Promise.allSettled(
    distinctProducts(lines).map(async (productId): Promise<ShardAnswers<T>> => {
      const shards = counts.get(productId)!;
      const visited = firstShardOnly ? [{ index: 0, of: shards }] : shardsOf(shards);
      const answers = await Promise.all(
        visited.map(async (shard) => {
          const result = await onStock(deps, reader, productId, (stub) => change(stub, productId, shards > 1), shard);
          if (result.ok) await mirrorAfterChange(deps, q, result.snapshot, shard);
          return result;
        }),
      );
      return { productId, shards, answers };
    }),
  );
  const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((result) => (result as PromiseFulfilledResult<ShardAnswers<T>>).value);
}

function commitRefusal(result: Extract<StockChange, { ok: false }>): string {
  return result.reason === 'UNKNOWN_ORDER'
    ? 'no reservation for this order'
    : result.reason === 'RESERVATION_RELEASED'
      ? 'the reservation was released (the order was cancelled)'
      : `reservation expired and only ${result.available} available`;
}

/**
 * Why a sharded product's commit failed, or null: every piece must commit (shards without one answer UNKNOWN_ORDER)
 * and the pieces must add up to the ordered quantity exactly — more would sell a piece a lost answer left behind,
 * fewer a piece a reset shard forgot; either way the order is refused rather than oversold.
 */
function shardedCommitFailure(answers: readonly HeldPart[], quantity: number): string | null {
  const refused = answers.find((a): a is Extract<HeldPart, { ok: false }> => !a.ok && a.reason !== 'UNKNOWN_ORDER');
  if (refused) return commitRefusal(refused);
  const sold = answers.reduce((sum, a) => sum + (a.ok ? a.held : 0), 0);
  if (sold === 0) return 'no reservation for this order';
  return sold === quantity ? null : `${sold} of ${quantity} units were held for this order`;
}

/**
 * The order was paid: each product's held units leave the shelf and count as sold. Idempotent per
 * order. Throws 409 `STOCK_COMMIT_FAILED` when a product has no reservation for the order, or its
 * reservation expired and the units are gone (the other lines are still committed).
 */
export async function commitStock(deps: StockDeps, orderId: string, lines: { productId: number; quantity: number }[], q?: Queryable): Promise<void> {
  const merged = mergeLines(lines);
  const quantities = new Map(merged.map((line) => [line.productId, line.quantity]));
  const failures: Record<string, string> = {};
  const products = await forEachProduct(deps, merged, q, (stub, _productId, sharded) => (sharded ? stub.commitPart(orderId) : stub.commit(orderId)));
  for (const { productId, shards, answers } of products) {
    const failure = shards === 1 ? (answers[0]!.ok ? null : commitRefusal(answers[0] as Extract<StockChange, { ok: false }>)) : shardedCommitFailure(answers as HeldPart[], quantities.get(productId)!);
    if (failure) failures[productId] = failure;
  }
  if (Object.keys(failures).length > 0) throw new AppError(409, 'STOCK_COMMIT_FAILED', 'Some reservations could not be committed', failures);
}

/** The order will not be paid: held units become available again. Idempotent; unknown orders are a no-op. */
export async function releaseStock(deps: StockDeps, orderId: string, lines: { productId: number; quantity: number }[], q?: Queryable): Promise<void> {
  await forEachProduct(deps, mergeLines(lines), q, (stub) => stub.release(orderId));
}

/** A paid order was cancelled: committed units return to the shelf once (held ones are released). */
export async function restockStock(deps: StockDeps, orderId: string, lines: { productId: number; quantity: number }[], q?: Queryable): Promise<void> {
  await forEachProduct(deps, mergeLines(lines), q, (stub) => stub.restock(orderId));
}

/** A received return's units go back on the shelf, once per return id (a retry moves nothing twice); a sharded product's to shard 0. */
export async function returnStock(deps: StockDeps, returnId: string, lines: { productId: number; quantity: number }[], q?: Queryable): Promise<void> {
  const merged = mergeLines(lines);
  const quantities = new Map(merged.map((line) => [line.productId, line.quantity]));
  await forEachProduct(deps, merged, q, (stub, productId) => stub.returnUnits(returnId, quantities.get(productId)!), true);
}

/** The summed counts of a sharded product's shards (`version` = the sum of the shards' versions, so it still only grows). */
function sumSnapshots(productId: number, snapshots: readonly StockSnapshot[]): StockSnapshot {
  const sum = (field: 'onHand' | 'reserved' | 'available' | 'sold' | 'version') => snapshots.reduce((total, s) => total + s[field], 0);
  return { productId, onHand: sum('onHand'), reserved: sum('reserved'), available: sum('available'), sold: sum('sold'), version: sum('version') };
}

/** Every shard's current counts, initialising shards lazily. */
async function shardSnapshots(deps: StockDeps, q: Queryable, productId: number, shards: number): Promise<StockSnapshot[]> {
  return Promise.all(shardsOf(shards).map((shard) => onStock(deps, q, productId, (stub) => stub.snapshot(), shard)));
}

/** The DO's current counts for one product, summed over its shards (404 `PRODUCT_NOT_FOUND` when there is no such product). */
export async function stockSnapshot(deps: StockDeps, productId: number, q?: Queryable): Promise<StockSnapshot> {
  const reader = q ?? deps.db;
  const shards = (await shardCounts(reader, [productId], false)).get(productId)!;
  if (shards === 1) return onStock(deps, reader, productId, (stub) => stub.snapshot());
  return sumSnapshots(productId, await shardSnapshots(deps, reader, productId, shards));
}

/**
 * The DO's counts and every reservation it holds (any status), for the invariant check; `null`
 * when the product's DO was never touched (it would init from the row, so nothing to compare).
 * A sharded product answers its summed counts and every shard's pieces (an order may have one per shard).
 */
export async function stockLedger(deps: StockDeps, productId: number) {
  const shards = (await shardCounts(deps.db, [productId], false)).get(productId)!;
  const stubs = Array.from({ length: shards }, (_, shard) => stockStub(deps, productId, shard));
  const snapshots = await Promise.all(stubs.map((stub) => stub.snapshot()));
  if (snapshots[0] === null) return null;
  const reservations = (await Promise.all(stubs.map((stub) => stub.reservations()))).flat();
  if (shards === 1) return { snapshot: snapshots[0]!, reservations };
  return { snapshot: sumSnapshots(productId, snapshots.filter((s): s is StockSnapshot => s !== null)), reservations };
}

/** A new product's starting stock (its DO is fresh, so this is the first and only init). */
export async function initProductStock(deps: StockDeps, productId: number, onHand: number): Promise<StockSnapshot> {
  return stockStub(deps, productId).init(productId, onHand);
}

const belowReserved = (field: string, snapshot: StockSnapshot) =>
  new AppError(409, 'INSUFFICIENT_STOCK', 'Stock on hand may not go below the reserved units', {
    [field]: `${snapshot.reserved} units are reserved and ${snapshot.onHand} are on hand`,
  });

/**
 * A seller's stock edit: `delta` (restock, preferred) or an absolute `onHand`. Never below the
 * reserved units: 409 `INSUFFICIENT_STOCK` with the reserved count. Returns the new snapshot; the
 * caller mirrors it inside its own transaction (a sharded product's shards are mirrored here, see
 * {@link changeShardedOnHand}, and the caller's `mirrorStock` then changes nothing).
 */
export async function changeOnHand(deps: StockDeps, q: Queryable, productId: number, change: { delta: number } | { onHand: number }): Promise<StockSnapshot> {
  const field = 'delta' in change ? 'stockDelta' : 'stockQuantity';
  const shards = (await shardCounts(q, [productId], false)).get(productId)!;
  if (shards > 1) return changeShardedOnHand(deps, q, productId, shards, change, field);
  const result = await onStock(deps, q, productId, (stub) => ('delta' in change ? stub.adjust(change.delta) : stub.setOnHand(change.onHand)));
  if (!result.ok) throw belowReserved(field, result.snapshot);
  return result.snapshot;
}

/**
 * A stock edit on a sharded product, as a delta (an absolute count becomes `onHand − Σ on hand` as read now; a sale
 * in between makes the edit land relative to it, never below what is reserved). Units added go to the shards evenly;
 * units removed come from the shards with most available, each `adjust` checked by its shard; when one is refused
 * (a reservation raced in) the removals already made are put back and the edit is a 409.
 */
async function changeShardedOnHand(deps: StockDeps, q: Queryable, productId: number, shards: number, change: { delta: number } | { onHand: number }, field: string): Promise<StockSnapshot> {
  const before = await shardSnapshots(deps, q, productId, shards);
  const delta = 'delta' in change ? change.delta : change.onHand - sumSnapshots(productId, before).onHand;
  const adjust = async (index: number, by: number) => onStock(deps, q, productId, (stub) => stub.adjust(by), { index, of: shards });
  if (delta >= 0) {
    const after = await Promise.all(splitEvenly(delta, shards).map((share, index) => adjust(index, share)));
    return mirrorShards(deps, q, productId, shards, after.map((result) => result.snapshot));
  }
  const takes = takeFromShards(
    before.map((s) => s.available),
    -delta,
  );
  if (!takes) throw belowReserved(field, sumSnapshots(productId, before));
  const done: { shard: number; quantity: number }[] = [];
  for (const take of takes) {
    const result = await adjust(take.shard, -take.quantity);
    if (!result.ok) {
      await Promise.all(done.map((d) => adjust(d.shard, d.quantity)));
      throw belowReserved(field, sumSnapshots(productId, await shardSnapshots(deps, q, productId, shards)));
    }
    done.push(take);
  }
  return mirrorShards(deps, q, productId, shards, await shardSnapshots(deps, q, productId, shards));
}

/** Mirrors every shard's snapshot (inside the caller's transaction) and answers their sum. */
async function mirrorShards(deps: StockDeps, q: Queryable, productId: number, shards: number, snapshots: readonly StockSnapshot[]): Promise<StockSnapshot> {
  for (const [index, snapshot] of snapshots.entries()) await mirrorAfterChange(deps, q, snapshot, { index, of: shards });
  return sumSnapshots(productId, snapshots);
}

/**
 * Grows a product's stock shards from `from` to `to` inside the caller's transaction (the product row is locked),
 * moving units so every shard holds an even slice of the same total. Only while nothing is reserved on any shard
 * (409 `STOCK_RESERVED`): a move is a take on one shard and an add on another, and with no reservation the only
 * thing that can refuse a take is a reservation racing in, which puts the taken units back. The count only grows
 * (409 `STOCK_SHARDS_SHRINK`): a reservation that read the old count visits fewer shards, never a missing one.
 * The row's `stock_shards` is written here; the shards are mirrored through the same transaction.
 */
export async function growStockShards(deps: StockDeps, q: Queryable, productId: number, from: number, to: number): Promise<void> {
  if (!Number.isSafeInteger(to) || to < 1 || to > MAX_STOCK_SHARDS) throw new AppError(400, 'VALIDATION_ERROR', `stockShards must be 1–${MAX_STOCK_SHARDS}`);
  if (to === from) return;
  if (to < from) throw new AppError(409, 'STOCK_SHARDS_SHRINK', `A product's stock shards only grow (it has ${from})`, { stockShards: `at least ${from}` });
  const current = await shardSnapshots(deps, q, productId, from);
  const reserved = current.reduce((sum, s) => sum + s.reserved, 0);
  if (reserved > 0) throw new AppError(409, 'STOCK_RESERVED', 'Stock shards change only while no units are reserved', { stockShards: `${reserved} units are reserved` });
  await q.update(products).set({ stockShards: to, updatedAt: sql`${products.updatedAt}` }).where(eq(products.id, productId));
  shardCountCache.delete(productId);
  const shards = shardsOf(to);
  // Every shard (old ones too) stops feeding its slice to the live feed; new shards start empty.
  await Promise.all(shards.map((shard) => onStock(deps, q, productId, (stub) => stub.init(productId, 0, { sharded: true }), shard)));
  const before = await shardSnapshots(deps, q, productId, to);
  await moveUnits(deps, q, productId, to, rebalanceMoves(before.map((s) => s.onHand)));
  await mirrorShards(deps, q, productId, to, await shardSnapshots(deps, q, productId, to));
}

/** Applies rebalancing moves: every take first (each checked by its shard), then every add; a refused take puts back what was taken. */
async function moveUnits(deps: StockDeps, q: Queryable, productId: number, shards: number, moves: readonly ShardMove[]): Promise<void> {
  const adjust = (index: number, by: number) => onStock(deps, q, productId, (stub) => stub.adjust(by), { index, of: shards });
  const taken: ShardMove[] = [];
  for (const move of moves) {
    const result = await adjust(move.from, -move.quantity);
    if (!result.ok) {
      await Promise.all(taken.map((t) => adjust(t.from, t.quantity)));
      throw new AppError(409, 'STOCK_RESERVED', 'Stock shards change only while no units are reserved', { stockShards: 'a reservation arrived while units were moving; retry' });
    }
    taken.push(move);
  }
  for (const move of moves) await adjust(move.to, move.quantity);
}
