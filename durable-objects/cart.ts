/**
 * The CartDO: one cart's lines in its storage, the rules applied to each change (`workers/cart/rules.ts` plans
 * them), and the cart's expiry alarm. One class on purpose: every change is planned and applied in the object's
 * single turn (over 300 lines on purpose).
 */
import { DurableObject } from 'cloudflare:workers';

import { writeCartMirror, type CartMirror } from '@/cart/mirror';
import {
  CART_TTL_MS,
  planAdd,
  planRemoveOrdered,
  planSet,
  type CartLine,
  type CartRuleViolation,
  type CartSnapshot,
  type ProductQuote,
} from '@/cart/rules';
import type { CartStatus } from '@/cart/tables';
import { getConfig, type AppEnv } from '@/env';
import { newId } from '@/platform/columns';
import { createDb } from '@/platform/db';
import { createLogger, describeError } from '@/platform/logger';

/** A burst of writes is mirrored once, this long after the first of them. */
const MIRROR_DELAY_MS = 1_000;
/** Longest wait between two attempts of a failing mirror write (attempts back off from MIRROR_DELAY_MS). */
const MIRROR_RETRY_MAX_MS = 5 * 60_000;
/** How long a handled order id is remembered, so a late retry of `removeOrdered` stays a no-op. */
const APPLIED_ORDER_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS cart_lines (
  product_id INTEGER PRIMARY KEY,
  quantity INTEGER NOT NULL CHECK (quantity BETWEEN 1 AND 999),
  unit_price_cents INTEGER NOT NULL,
  product_name TEXT NOT NULL,
  seller_id TEXT NOT NULL,
  added_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS cart_meta (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  user_id TEXT,
  cart_id TEXT,
  version INTEGER NOT NULL DEFAULT 0,
  mirrored_version INTEGER NOT NULL DEFAULT 0,
  updated_at INTEGER,
  expires_at INTEGER
);
INSERT OR IGNORE INTO cart_meta (id) VALUES (1);
CREATE TABLE IF NOT EXISTS applied_orders (order_id TEXT PRIMARY KEY, applied_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS closed_carts (seq INTEGER PRIMARY KEY AUTOINCREMENT, payload TEXT NOT NULL);
`;

type LineRow = {
  product_id: number;
  quantity: number;
  unit_price_cents: number;
  product_name: string;
  seller_id: string;
  added_at: number;
  updated_at: number;
};

type MetaRow = {
  user_id: string | null;
  cart_id: string | null;
  version: number;
  mirrored_version: number;
  updated_at: number | null;
  expires_at: number | null;
};

/** The answer of a cart mutation: the new cart, or the rule it would have broken (cart unchanged). */
export type CartMutationResult = { ok: true; cart: CartSnapshot } | { ok: false; violation: CartRuleViolation };

const toLine = (row: LineRow): CartLine => ({
  productId: row.product_id,
  quantity: row.quantity,
  unitPriceCents: row.unit_price_cents,
  productName: row.product_name,
  sellerId: row.seller_id,
  addedAt: row.added_at,
  updatedAt: row.updated_at,
});

/**
 * One shopper's cart (one instance per user id, `idFromName(userId)`): the source of truth for the
 * cart lines, their snapshot prices and sellers.
 *
 * Invariants:
 * - Every mutation is a synchronous SQLite transaction inside one RPC call, with no network I/O, so
 *   mutations of one shopper are serialized and none is lost (20 concurrent adds of 1 → 20).
 * - A line holds 1–999 units, a cart at most 100 lines; an add or update that would exceed the
 *   stock the Worker quoted from the catalog is refused and changes nothing. Refusals are returned
 *   as values, never thrown across RPC.
 * - `removeOrdered` is idempotent per order id (remembered for 30 days).
 * - Every write pushes the expiry to last write + 7 days; the alarm then clears the cart.
 * - Postgres `carts`/`cart_items` are a reporting mirror written only by the alarm, never awaited
 *   by a mutation: a write bumps `version`, the alarm (≈1 s later, so bursts coalesce) writes the
 *   current state and records `mirrored_version`; a failed write is retried with backoff. A cart
 *   that ends (expired → ABANDONED, emptied by an order → CHECKED_OUT) is queued in `closed_carts`
 *   with its final lines and the next write starts a new mirror row.
 */
export class CartDO extends DurableObject<AppEnv> {
  private readonly sql: SqlStorage;
  /** The last alarm run: the next one waits for it, so mirror writes never overtake each other. */
  private alarmRuns: Promise<void> = Promise.resolve();
  private mirrorFailures = 0;

  constructor(ctx: DurableObjectState, env: AppEnv) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    void ctx.blockConcurrencyWhile(async () => {
      this.sql.exec(SCHEMA);
    });
  }

  /** The cart as stored (snapshot prices); the Worker re-prices it from the catalog. */
  async getCart(): Promise<CartSnapshot> {
    return this.snapshot();
  }

  /** Adds `quantity` units to the product's line (creating it), refreshing the line's price snapshot. */
  async addItem(userId: string, product: ProductQuote, quantity: number): Promise<CartMutationResult> {
    const existing = this.line(product.productId);
    const plan = planAdd(existing, this.lineCount(), product, quantity);
    if (!plan.ok) return plan;
    this.writeLine(product, plan.quantity, existing);
    return this.committed(userId);
  }

  /** Sets the product's line to an absolute quantity; the line must already be in the cart. */
  async setItemQuantity(userId: string, product: ProductQuote, quantity: number): Promise<CartMutationResult> {
    const existing = this.line(product.productId);
    const plan = planSet(existing, product, quantity);
    if (!plan.ok) return plan;
    this.writeLine(product, plan.quantity, existing);
    return this.committed(userId);
  }

  /** Deletes one line; deleting a line that is not there changes nothing. */
  async removeItem(userId: string, productId: number): Promise<CartSnapshot> {
    if (!this.line(productId)) return this.snapshot();
    this.sql.exec('DELETE FROM cart_lines WHERE product_id = ?', productId);
    return (await this.committed(userId)).cart;
  }

  /** Deletes every line; the cart itself (and its mirror row) stays ACTIVE and empty. */
  async clear(userId: string): Promise<CartSnapshot> {
    if (this.lineCount() === 0) return this.snapshot();
    this.sql.exec('DELETE FROM cart_lines');
    return (await this.committed(userId)).cart;
  }

  /**
   * Takes an order's quantities out of the cart: each line decreases by the ordered quantity and
   * lines reaching 0 are deleted; products not in the cart are ignored. Idempotent per `orderId`:
   * a second call with the same id changes nothing and answers `applied: false`.
   */
  async removeOrdered(orderId: string, items: { productId: number; quantity: number }[]): Promise<{ applied: boolean; cart: CartSnapshot }> {
    if (this.sql.exec('SELECT 1 FROM applied_orders WHERE order_id = ?', orderId).toArray().length > 0) return { applied: false, cart: this.snapshot() };
    const now = Date.now();
    this.sql.exec('INSERT INTO applied_orders (order_id, applied_at) VALUES (?, ?)', orderId, now);
    const before = this.lines();
    const remaining = planRemoveOrdered(before, items);
    if (remaining.size === 0) return { applied: true, cart: this.snapshot() };
    for (const [productId, quantity] of remaining) {
      if (quantity === 0) this.sql.exec('DELETE FROM cart_lines WHERE product_id = ?', productId);
      else this.sql.exec('UPDATE cart_lines SET quantity = ?, updated_at = ? WHERE product_id = ?', quantity, now, productId);
    }
    const userId = this.meta().user_id;
    if (userId) {
      this.touch(userId, now);
      if (this.lineCount() === 0) this.closeCart('CHECKED_OUT', before, now);
      await this.scheduleAlarm(Date.now());
    }
    return { applied: true, cart: this.snapshot() };
  }

  /**
   * Expires the cart when due, then brings the Postgres mirror up to date (retrying with backoff on
   * failure). Runs are chained, so two overlapping invocations never write an older state over a newer one.
   */
  override alarm(): Promise<void> {
    const run = this.alarmRuns.then(() => this.runAlarm());
    this.alarmRuns = run.catch(() => undefined);
    return run;
  }

  private async runAlarm(): Promise<void> {
    let retryInMs: number | undefined;
    try {
      const now = Date.now();
      this.expireIfDue(now);
      this.sql.exec('DELETE FROM applied_orders WHERE applied_at < ?', now - APPLIED_ORDER_RETENTION_MS);
      await this.flushMirror();
      this.mirrorFailures = 0;
    } catch (err) {
      this.mirrorFailures += 1;
      retryInMs = Math.min(MIRROR_RETRY_MAX_MS, MIRROR_DELAY_MS * 2 ** this.mirrorFailures);
      createLogger(getConfig(this.env).LOG_LEVEL, { durableObject: 'CartDO' }).warn('cart mirror write failed; will retry', { retryInMs, ...describeError(err) });
    }
    await this.scheduleAlarm(Date.now(), { exact: true, retryInMs });
  }

  /** The one place the CartDO reaches Postgres (only from the alarm); a field so tests can make it fail. */
  private writeMirror = (mirror: CartMirror): Promise<void> => writeCartMirror(createDb(this.env), mirror);

  private async committed(userId: string): Promise<{ ok: true; cart: CartSnapshot }> {
    const now = Date.now();
    this.touch(userId, now);
    await this.scheduleAlarm(now);
    return { ok: true, cart: this.snapshot() };
  }

  private writeLine(product: ProductQuote, quantity: number, existing: CartLine | undefined): void {
    const now = Date.now();
    if (existing) {
      this.sql.exec(
        'UPDATE cart_lines SET quantity = ?, unit_price_cents = ?, product_name = ?, seller_id = ?, updated_at = ? WHERE product_id = ?',
        quantity,
        product.priceCents,
        product.name,
        product.sellerId,
        now,
        product.productId,
      );
    } else {
      this.sql.exec(
        'INSERT INTO cart_lines (product_id, quantity, unit_price_cents, product_name, seller_id, added_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        product.productId,
        quantity,
        product.priceCents,
        product.name,
        product.sellerId,
        now,
        now,
      );
    }
  }

  /** Records a write: new version (mirror now dirty), expiry pushed back, mirror row id assigned on first use. */
  private touch(userId: string, now: number): void {
    this.sql.exec(
      'UPDATE cart_meta SET user_id = coalesce(user_id, ?), cart_id = coalesce(cart_id, ?), version = version + 1, updated_at = ?, expires_at = ? WHERE id = 1',
      userId,
      newId(),
      now,
      now + CART_TTL_MS,
    );
  }

  /** Ends the current cart for reporting: queues its final mirror and detaches it, so the next write starts a new row. */
  private closeCart(status: Exclude<CartStatus, 'ACTIVE'>, lines: CartLine[], now: number): void {
    const meta = this.meta();
    if (!meta.cart_id || !meta.user_id) return;
    const mirror: CartMirror = { cartId: meta.cart_id, userId: meta.user_id, status, expiresAt: meta.expires_at ?? now, updatedAt: now, lines };
    this.sql.exec('INSERT INTO closed_carts (payload) VALUES (?)', JSON.stringify(mirror));
    this.sql.exec('UPDATE cart_meta SET cart_id = NULL, expires_at = NULL, version = version + 1, mirrored_version = version + 1, updated_at = ? WHERE id = 1', now);
  }

  private expireIfDue(now: number): void {
    const meta = this.meta();
    if (!meta.cart_id || meta.expires_at === null || now < meta.expires_at) return;
    const lines = this.lines();
    this.sql.exec('DELETE FROM cart_lines');
    this.closeCart('ABANDONED', lines, now);
  }

  private async flushMirror(): Promise<void> {
    const closed = this.sql.exec<{ seq: number; payload: string }>('SELECT seq, payload FROM closed_carts ORDER BY seq').toArray();
    const meta = this.meta();
    const dirty = meta.cart_id !== null && meta.user_id !== null && meta.version > meta.mirrored_version;
    if (closed.length === 0 && !dirty) return;
    for (const row of closed) {
      await this.writeMirror(JSON.parse(row.payload) as CartMirror);
      this.sql.exec('DELETE FROM closed_carts WHERE seq = ?', row.seq);
    }
    if (dirty && meta.cart_id && meta.user_id) {
      const lines = this.lines();
      await this.writeMirror({
        cartId: meta.cart_id,
        userId: meta.user_id,
        status: 'ACTIVE',
        expiresAt: meta.expires_at ?? Date.now() + CART_TTL_MS,
        updatedAt: meta.updated_at ?? Date.now(),
        lines,
      });
      this.sql.exec('UPDATE cart_meta SET mirrored_version = max(mirrored_version, ?) WHERE id = 1', meta.version);
    }
  }

  /**
   * Points the alarm at the next thing to do: a pending mirror write soon (or after `retryInMs`),
   * otherwise the cart's expiry. Mutations only ever move the alarm earlier; the alarm handler sets it exactly.
   */
  private async scheduleAlarm(now: number, options: { exact?: boolean; retryInMs?: number } = {}): Promise<void> {
    const meta = this.meta();
    const pendingMirror =
      (meta.cart_id !== null && meta.version > meta.mirrored_version) || this.sql.exec('SELECT 1 FROM closed_carts LIMIT 1').toArray().length > 0;
    const candidates = [pendingMirror ? now + (options.retryInMs ?? MIRROR_DELAY_MS) : null, meta.cart_id !== null ? meta.expires_at : null].filter(
      (at): at is number => at !== null,
    );
    const desired = candidates.length > 0 ? Math.min(...candidates) : null;
    const current = await this.ctx.storage.getAlarm();
    if (desired === null) {
      if (options.exact && current !== null) await this.ctx.storage.deleteAlarm();
      return;
    }
    if (options.exact || current === null || current > desired) await this.ctx.storage.setAlarm(desired);
  }

  private snapshot(): CartSnapshot {
    const meta = this.meta();
    return { userId: meta.user_id, lines: this.lines(), updatedAt: meta.updated_at, expiresAt: meta.expires_at };
  }

  private meta(): MetaRow {
    return this.sql.exec<MetaRow>('SELECT user_id, cart_id, version, mirrored_version, updated_at, expires_at FROM cart_meta WHERE id = 1').one();
  }

  private lines(): CartLine[] {
    return this.sql.exec<LineRow>('SELECT * FROM cart_lines ORDER BY added_at, product_id').toArray().map(toLine);
  }

  private line(productId: number): CartLine | undefined {
    const row = this.sql.exec<LineRow>('SELECT * FROM cart_lines WHERE product_id = ?', productId).toArray()[0];
    return row ? toLine(row) : undefined;
  }

  private lineCount(): number {
    return this.sql.exec<{ n: number }>('SELECT count(*) AS n FROM cart_lines').one().n;
  }
}
