import type { StockChange, StockDO, StockSnapshot } from '@do/stock';
import { and, eq, lt, sql } from 'drizzle-orm';

import { products } from '@/catalog/tables';
import type { AppEnv } from '@/env';
import { createDb, type Db, type Queryable } from '@/platform/db';
import { AppError, notFound } from '@/platform/errors';
import { createLogger, describeError } from '@/platform/logger';

export type { StockSnapshot } from '@do/stock';

/** One order line as the stock service sees it. */
export interface StockLine {
  productId: number;
  quantity: number;
}

/** The StockDO RPC surface with plain result types (the generated stub wraps them in RPC helpers). */
type StockRpc = { [K in 'init' | 'snapshot' | 'setOnHand' | 'adjust' | 'reserve' | 'commit' | 'release' | 'restock' | 'returnUnits' | 'reservations']: (...args: Parameters<StockDO[K]>) => Promise<Awaited<ReturnType<StockDO[K]>>> };

const stockStub = (env: AppEnv, productId: number) => env.STOCK_DO.get(env.STOCK_DO.idFromName(String(productId))) as unknown as StockRpc;

const productMissing = (productId: number) => notFound('PRODUCT_NOT_FOUND', `Product ${productId} was not found`);

/**
 * Seeds a product's StockDO from its Postgres row the first time it is touched (the seed's
 * products exist in Postgres before any DO does). The mirror's `stock_version` becomes the DO's
 * starting version, so the DO's first change outranks the row. Reserved units in the row have no
 * order ids the DO could track, so they are not carried over.
 */
async function initFromRow(env: AppEnv, q: Queryable, productId: number): Promise<StockSnapshot> {
  const [row] = await q
    .select({ onHand: products.stockQuantity, sold: products.soldCount, version: products.stockVersion })
    .from(products)
    .where(eq(products.id, productId));
  if (!row) throw productMissing(productId);
  return stockStub(env, productId).init(productId, row.onHand, { sold: row.sold, version: row.version });
}

/** Runs one DO method, initialising the DO lazily when it answers `null` (not yet seeded). */
async function onStock<T extends StockChange | StockSnapshot>(
  env: AppEnv,
  q: Queryable,
  productId: number,
  call: (stub: StockRpc) => Promise<T | null>,
): Promise<T> {
  const stub = stockStub(env, productId);
  const first = await call(stub);
  if (first !== null) return first;
  await initFromRow(env, q, productId);
  const second = await call(stub);
  if (second === null) throw new Error(`StockDO ${productId} did not initialise`);
  return second;
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
    .where(and(eq(products.id, snapshot.productId), lt(products.stockVersion, snapshot.version)))
    .returning({ id: products.id });
  return updated.length > 0;
}

/**
 * Mirrors after a change. Inside a caller's transaction a failure must abort it, so it throws;
 * on the shared HTTP client the DO already holds the truth and the next change re-mirrors, so a
 * failure is only logged.
 */
async function mirrorAfterChange(env: AppEnv, q: Queryable | undefined, snapshot: StockSnapshot): Promise<void> {
  if (q) {
    await mirrorStock(q, snapshot);
    return;
  }
  try {
    await mirrorStock(createDb(env), snapshot);
  } catch (err) {
    createLogger('warn').warn('stock mirror failed', { productId: snapshot.productId, version: snapshot.version, ...describeError(err) });
  }
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

/**
 * Holds stock for every line of an order, all or nothing: every product's StockDO is asked at once
 * (one round of parallel calls, not one call after another); if any line is short, every reservation
 * taken is released and a 409 `INSUFFICIENT_STOCK` names each short product (`{"7": "only 2 available"}`).
 * Idempotent per `orderId`: a retry holds nothing twice. Pass `q` when calling inside an open
 * transaction (the mirror then writes through it).
 */
export async function reserveStock(env: AppEnv, orderId: string, lines: { productId: number; quantity: number }[], ttlMs: number, q?: Queryable): Promise<void> {
  // Checked here, not only in the DO: a rejected DO RPC surfaces as an unhandled rejection.
  if (!Number.isFinite(ttlMs) || ttlMs <= 0) throw new RangeError('ttlMs must be a positive number of milliseconds');
  if (typeof orderId !== 'string' || orderId.length === 0 || orderId.length > 64) throw new RangeError('orderId must be 1–64 characters');
  const merged = mergeLines(lines);
  const reader = q ?? createDb(env);
  const taken: StockLine[] = [];
  const short: Record<string, string> = {};
  const results = await Promise.allSettled(
    merged.map(async (line) => {
      const result = await onStock(env, reader, line.productId, (stub) => stub.reserve(orderId, line.quantity, ttlMs));
      if (!result.ok) {
        short[line.productId] = result.reason === 'RESERVATION_RELEASED' ? 'reservation for this order was already released' : `only ${result.available} available`;
        return;
      }
      taken.push(line);
      await mirrorAfterChange(env, q, result.snapshot);
    }),
  );
  const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed) {
    // The original failure is what the caller must see; the expiry alarm frees anything this misses.
    await releaseStock(env, orderId, taken, q).catch(() => undefined);
    throw failed.reason;
  }
  if (Object.keys(short).length > 0) {
    await releaseStock(env, orderId, taken, q);
    throw new AppError(409, 'INSUFFICIENT_STOCK', 'Not enough stock for some products', short);
  }
}

/** Runs `change` for each product in parallel, mirrors every success, and throws the first error after all ran. */
async function forEachProduct(
  env: AppEnv,
  lines: readonly StockLine[],
  q: Queryable | undefined,
  change: (stub: StockRpc, productId: number) => Promise<StockChange | null>,
  onRefusal: (productId: number, result: Extract<StockChange, { ok: false }>) => void,
): Promise<void> {
  const reader = q ?? createDb(env);
  const results = await Promise.allSettled(
    distinctProducts(lines).map(async (productId) => {
      const result = await onStock(env, reader, productId, (stub) => change(stub, productId));
      if (result.ok) await mirrorAfterChange(env, q, result.snapshot);
      else onRefusal(productId, result);
    }),
  );
  const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed) throw failed.reason;
}

/**
 * The order was paid: each product's held units leave the shelf and count as sold. Idempotent per
 * order. Throws 409 `STOCK_COMMIT_FAILED` when a product has no reservation for the order, or its
 * reservation expired and the units are gone (the other lines are still committed).
 */
export async function commitStock(env: AppEnv, orderId: string, lines: { productId: number; quantity: number }[], q?: Queryable): Promise<void> {
  const failures: Record<string, string> = {};
  await forEachProduct(env, mergeLines(lines), q, (stub) => stub.commit(orderId), (productId, result) => {
    failures[productId] =
      result.reason === 'UNKNOWN_ORDER'
        ? 'no reservation for this order'
        : result.reason === 'RESERVATION_RELEASED'
          ? 'the reservation was released (the order was cancelled)'
          : `reservation expired and only ${result.available} available`;
  });
  if (Object.keys(failures).length > 0) throw new AppError(409, 'STOCK_COMMIT_FAILED', 'Some reservations could not be committed', failures);
}

/** The order will not be paid: held units become available again. Idempotent; unknown orders are a no-op. */
export async function releaseStock(env: AppEnv, orderId: string, lines: { productId: number; quantity: number }[], q?: Queryable): Promise<void> {
  await forEachProduct(env, mergeLines(lines), q, (stub) => stub.release(orderId), () => undefined);
}

/** A paid order was cancelled: committed units return to the shelf once (held ones are released). */
export async function restockStock(env: AppEnv, orderId: string, lines: { productId: number; quantity: number }[], q?: Queryable): Promise<void> {
  await forEachProduct(env, mergeLines(lines), q, (stub) => stub.restock(orderId), () => undefined);
}

/** A received return's units go back on the shelf, once per return id (a retry moves nothing twice). */
export async function returnStock(env: AppEnv, returnId: string, lines: { productId: number; quantity: number }[], q?: Queryable): Promise<void> {
  const merged = mergeLines(lines);
  const quantities = new Map(merged.map((line) => [line.productId, line.quantity]));
  await forEachProduct(env, merged, q, (stub, productId) => stub.returnUnits(returnId, quantities.get(productId)!), () => undefined);
}

/** The DO's current counts for one product (404 `PRODUCT_NOT_FOUND` when there is no such product). */
export async function stockSnapshot(env: AppEnv, productId: number, q?: Queryable): Promise<StockSnapshot> {
  return onStock(env, q ?? createDb(env), productId, (stub) => stub.snapshot());
}

/**
 * The DO's counts and every reservation it holds (any status), for the invariant check; `null`
 * when the product's DO was never touched (it would init from the row, so nothing to compare).
 */
export async function stockLedger(env: AppEnv, productId: number) {
  const stub = stockStub(env, productId);
  const snapshot = await stub.snapshot();
  if (snapshot === null) return null;
  return { snapshot, reservations: await stub.reservations() };
}

/** A new product's starting stock (its DO is fresh, so this is the first and only init). */
export async function initProductStock(env: AppEnv, productId: number, onHand: number): Promise<StockSnapshot> {
  return stockStub(env, productId).init(productId, onHand);
}

/**
 * A seller's stock edit: `delta` (restock, preferred) or an absolute `onHand`. Never below the
 * reserved units: 409 `INSUFFICIENT_STOCK` with the reserved count. Returns the new snapshot; the
 * caller mirrors it inside its own transaction.
 */
export async function changeOnHand(env: AppEnv, q: Queryable, productId: number, change: { delta: number } | { onHand: number }): Promise<StockSnapshot> {
  const result = await onStock(env, q, productId, (stub) => ('delta' in change ? stub.adjust(change.delta) : stub.setOnHand(change.onHand)));
  if (!result.ok) {
    const field = 'delta' in change ? 'stockDelta' : 'stockQuantity';
    throw new AppError(409, 'INSUFFICIENT_STOCK', 'Stock on hand may not go below the reserved units', {
      [field]: `${result.snapshot.reserved} units are reserved and ${result.snapshot.onHand} are on hand`,
    });
  }
  return result.snapshot;
}
