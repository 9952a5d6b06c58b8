/**
 * The StockDO: one product's (or one shard's) counts and reservations in its SQLite, and every method that moves
 * them. One class on purpose: each method's check and write must run in the object's single-threaded turn against
 * the same tables, which is what makes oversell impossible (over 300 lines on purpose).
 */
import { DurableObject } from 'cloudflare:workers';

/** The DO's counts, as every method reports them. */
export interface StockSnapshot {
  productId: number;
  onHand: number;
  reserved: number;
  available: number;
  sold: number;
  /** Increments on every change; the Postgres mirror only accepts a higher version. */
  version: number;
}

export type StockChange = { ok: true; snapshot: StockSnapshot } | { ok: false; reason: StockRefusal; available: number; snapshot: StockSnapshot };

/** {@link StockDO.reservePart}'s answer: how many units this shard holds for the order. */
export type HeldPart = { ok: true; snapshot: StockSnapshot; held: number } | Extract<StockChange, { ok: false }>;

export type StockRefusal =
  /** Not enough unreserved units (reserve, or a commit that had to re-take expired units). */
  | 'INSUFFICIENT_STOCK'
  /** The order's reservation was already released (explicitly, by expiry, or restocked); an order id is single-use. */
  | 'RESERVATION_RELEASED'
  /** No reservation for this order id. */
  | 'UNKNOWN_ORDER'
  /** setOnHand/adjust would leave fewer units on hand than are reserved. */
  | 'BELOW_RESERVED';

/**
 * `RELEASED` = given back by an explicit release/restock (the order was cancelled or refused): a
 * later commit is refused, so a cancel can never be undone by a late payment step. `EXPIRED` =
 * freed by the TTL alarm: a late commit may re-take the units while they are still available.
 */
type ReservationStatus = 'RESERVED' | 'COMMITTED' | 'RELEASED' | 'EXPIRED' | 'RESTOCKED';

interface StockRow extends Record<string, SqlStorageValue> {
  product_id: number;
  on_hand: number;
  reserved: number;
  sold: number;
  version: number;
}

interface ReservationRow extends Record<string, SqlStorageValue> {
  quantity: number;
  status: ReservationStatus;
  expires_at: number;
}

/**
 * `StockDO` — one instance per product (`idFromName(String(productId))`), the ONLY writer of its
 * available stock. Postgres `products.stock_quantity/stock_reserved/sold_count`
 * are a mirror the Worker writes after each change, guarded by {@link StockSnapshot.version}.
 *
 * Invariants (hold after every method, checked before any write):
 * - `0 ≤ reserved ≤ onHand`, `sold ≥ 0`; `available = onHand − reserved ≥ 0`, so nothing is oversold.
 * - `reserved` = the sum of quantities of reservations in status RESERVED.
 * - Each order id has at most one reservation row, moving only RESERVED → COMMITTED → RESTOCKED,
 *   RESERVED → RELEASED (final: an explicit release means the order is gone), or RESERVED → EXPIRED
 *   (the alarm; → COMMITTED only when a late commit can re-take the units). Every method is
 *   idempotent per order id: a retry returns the same outcome and never moves units twice.
 * - `version` increases by one on every change and never otherwise.
 *
 * Every method body runs synchronously over SQLite storage (no `await` before its writes), so the
 * input gate makes it atomic; there is no network I/O in here. Methods return `null` until
 * {@link init} ran: the Worker then reads the product row from Postgres, calls `init`, and retries.
 * An alarm releases reservations whose TTL passed (an order that never got paid or cancelled).
 */
export class StockDO extends DurableObject<Env> {
  private readonly sql: SqlStorage;
  /** Live stock (durable-objects/stock-feed.ts): the newest level not yet handed to the feed, and whether a call is out. */
  private feedNext: StockSnapshot | null = null;
  private feedBusy = false;
  /** One shard of a sharded product ({@link markSharded}): its level is a slice, so it feeds nobody. */
  private sharded = false;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    void ctx.blockConcurrencyWhile(async () => {
      this.sql.exec(`create table if not exists stock (
        id integer primary key check (id = 1),
        product_id integer not null,
        on_hand integer not null check (on_hand >= 0),
        reserved integer not null check (reserved >= 0 and reserved <= on_hand),
        sold integer not null check (sold >= 0),
        version integer not null
      )`);
      this.sql.exec(`create table if not exists reservations (
        order_id text primary key,
        quantity integer not null check (quantity > 0),
        status text not null,
        expires_at integer not null,
        updated_at integer not null
      )`);
      this.sql.exec('create index if not exists reservations_expiry on reservations (status, expires_at)');
      this.sql.exec('create table if not exists returned (return_id text primary key, quantity integer not null check (quantity > 0))');
      this.sql.exec('create table if not exists shard (id integer primary key check (id = 1))');
      this.sharded = this.sql.exec('select 1 from shard').toArray().length > 0;
    });
  }

  /** Sets the starting counts once; later calls (and calls racing the first) change nothing (`sharded` always marks). */
  init(productId: number, onHand: number, options: { sold?: number; version?: number; sharded?: boolean } = {}): StockSnapshot {
    assertCount(onHand, 'onHand');
    if (options.sharded) this.markSharded();
    if (!this.row()) {
      this.sql.exec(
        'insert into stock (id, product_id, on_hand, reserved, sold, version) values (1, ?, ?, 0, ?, ?)',
        productId,
        onHand,
        Math.max(0, options.sold ?? 0),
        Math.max(0, options.version ?? 0),
      );
    }
    return this.snapshotOf(this.row()!);
  }

  /** The current counts, or `null` before {@link init}. */
  snapshot(): StockSnapshot | null {
    const row = this.row();
    return row ? this.snapshotOf(row) : null;
  }

  /** Sets the absolute on-hand count (a seller's stock edit); never below what is reserved. */
  setOnHand(onHand: number): StockChange | null {
    assertCount(onHand, 'onHand');
    const row = this.row();
    if (!row) return null;
    if (onHand < row.reserved) return this.refuse(row, 'BELOW_RESERVED');
    if (onHand === row.on_hand) return { ok: true, snapshot: this.snapshotOf(row) };
    return { ok: true, snapshot: this.write({ ...row, on_hand: onHand }) };
  }

  /** Adds (restock) or removes units on hand; never below what is reserved. */
  adjust(delta: number): StockChange | null {
    if (!Number.isSafeInteger(delta)) throw new RangeError('delta must be an integer');
    const row = this.row();
    if (!row) return null;
    if (row.on_hand + delta < row.reserved) return this.refuse(row, 'BELOW_RESERVED');
    if (delta === 0) return { ok: true, snapshot: this.snapshotOf(row) };
    return { ok: true, snapshot: this.write({ ...row, on_hand: row.on_hand + delta }) };
  }

  /**
   * Holds `quantity` units for `orderId` until committed, released or `ttlMs` passes. Succeeds only
   * when `onHand − reserved ≥ quantity`. A retry for a live or committed reservation succeeds again
   * without holding more, one for a released or restocked order is refused; a shortage is not
   * remembered, so a retry after the shelf was refilled may succeed.
   */
  async reserve(orderId: string, quantity: number, ttlMs: number): Promise<StockChange | null> {
    const held = await this.hold(orderId, quantity, quantity, ttlMs);
    return held && (held.ok ? { ok: true, snapshot: held.snapshot } : held);
  }

  /**
   * A sharded product's piece of a reservation (docs/decisions/flash-sales.md): holds as many of `max` units as
   * this shard has available (at least one) and says how many (`held`). A retry for a live or committed piece
   * answers its quantity again without holding more; a released piece is refused like {@link reserve}.
   */
  async reservePart(orderId: string, max: number, ttlMs: number): Promise<HeldPart | null> {
    return this.hold(orderId, 1, max, ttlMs);
  }

  /**
   * Takes back a RESERVED piece as if it had never been held (the row is deleted, so the same order id may
   * reserve again): a sharded reservation that could not be completed gives its pieces back this way before it
   * retries or answers 409. Any other status is left alone.
   */
  async unreserve(orderId: string): Promise<StockChange | null> {
    assertOrderId(orderId);
    const row = this.row();
    if (!row) return null;
    const existing = this.reservation(orderId);
    if (existing?.status !== 'RESERVED') return { ok: true, snapshot: this.snapshotOf(row) };
    this.sql.exec('delete from reservations where order_id = ?', orderId);
    const snapshot = this.write({ ...row, reserved: row.reserved - existing.quantity });
    await this.scheduleExpiry();
    return { ok: true, snapshot };
  }

  /**
   * Marks this object as one shard of a sharded product: it stops pushing its own level to the product's live
   * feed (its count is only a slice; the Worker pushes the summed level after mirroring). Idempotent.
   */
  markSharded(): void {
    this.sql.exec('insert or ignore into shard (id) values (1)');
    this.sharded = true;
  }

  /** Holds between `min` and `max` units (as many as available) for a new order id; see {@link reserve}. */
  private async hold(orderId: string, min: number, max: number, ttlMs: number): Promise<HeldPart | null> {
    assertOrderId(orderId);
    if (!Number.isSafeInteger(min) || min <= 0 || !Number.isSafeInteger(max) || max < min) throw new RangeError('quantity must be a positive integer');
    if (!Number.isFinite(ttlMs) || ttlMs <= 0) throw new RangeError('ttlMs must be positive');
    const row = this.row();
    if (!row) return null;
    const existing = this.reservation(orderId);
    if (existing) {
      if (existing.status === 'RELEASED' || existing.status === 'EXPIRED' || existing.status === 'RESTOCKED') return this.refuse(row, 'RESERVATION_RELEASED');
      return { ok: true, snapshot: this.snapshotOf(row), held: existing.quantity };
    }
    const quantity = Math.min(max, row.on_hand - row.reserved);
    if (quantity < min) return this.refuse(row, 'INSUFFICIENT_STOCK');
    const now = Date.now();
    this.sql.exec(
      "insert into reservations (order_id, quantity, status, expires_at, updated_at) values (?, ?, 'RESERVED', ?, ?)",
      orderId,
      quantity,
      now + ttlMs,
      now,
    );
    const snapshot = this.write({ ...row, reserved: row.reserved + quantity });
    await this.scheduleExpiry();
    return { ok: true, snapshot, held: quantity };
  }

  /**
   * The order was paid: its units leave the shelf (`onHand −= q`, `reserved −= q`, `sold += q`).
   * If the reservation had already expired, the units are taken again when still available
   * (a payment that beat the reaper must not be lost), otherwise INSUFFICIENT_STOCK. A reservation
   * released on purpose (the order was cancelled) is refused with RESERVATION_RELEASED: a commit
   * that arrives after a cancel must not take the units back off the shelf.
   */
  async commit(orderId: string): Promise<StockChange | null> {
    const part = await this.commitPart(orderId);
    return part && (part.ok ? { ok: true, snapshot: part.snapshot } : part);
  }

  /** {@link commit}, also saying how many units this object sold for the order (a sharded order sums its pieces). */
  async commitPart(orderId: string): Promise<HeldPart | null> {
    assertOrderId(orderId);
    const row = this.row();
    if (!row) return null;
    const existing = this.reservation(orderId);
    if (!existing) return this.refuse(row, 'UNKNOWN_ORDER');
    const q = existing.quantity;
    if (existing.status === 'COMMITTED' || existing.status === 'RESTOCKED') return { ok: true, snapshot: this.snapshotOf(row), held: q };
    if (existing.status === 'RELEASED') return this.refuse(row, 'RESERVATION_RELEASED');
    if (existing.status === 'EXPIRED' && row.on_hand - row.reserved < q) return this.refuse(row, 'INSUFFICIENT_STOCK');
    const reserved = existing.status === 'RESERVED' ? row.reserved - q : row.reserved;
    this.setStatus(orderId, 'COMMITTED');
    const snapshot = this.write({ ...row, on_hand: row.on_hand - q, reserved, sold: row.sold + q });
    await this.scheduleExpiry();
    return { ok: true, snapshot, held: q };
  }

  /** The order will not be paid: its held units become available again. A no-op unless RESERVED. */
  async release(orderId: string): Promise<StockChange | null> {
    assertOrderId(orderId);
    const row = this.row();
    if (!row) return null;
    const existing = this.reservation(orderId);
    if (!existing) return this.refuse(row, 'UNKNOWN_ORDER');
    if (existing.status !== 'RESERVED') return { ok: true, snapshot: this.snapshotOf(row) };
    this.setStatus(orderId, 'RELEASED');
    const snapshot = this.write({ ...row, reserved: row.reserved - existing.quantity });
    await this.scheduleExpiry();
    return { ok: true, snapshot };
  }

  /**
   * A paid (committed) order was cancelled: its units return to the shelf once (`onHand += q`,
   * `sold −= q`). A still-RESERVED order is simply released.
   */
  async restock(orderId: string): Promise<StockChange | null> {
    assertOrderId(orderId);
    const row = this.row();
    if (!row) return null;
    const existing = this.reservation(orderId);
    if (!existing) return this.refuse(row, 'UNKNOWN_ORDER');
    if (existing.status === 'RESERVED') return this.release(orderId);
    if (existing.status !== 'COMMITTED') return { ok: true, snapshot: this.snapshotOf(row) };
    this.setStatus(orderId, 'RESTOCKED');
    const q = existing.quantity;
    return { ok: true, snapshot: this.write({ ...row, on_hand: row.on_hand + q, sold: Math.max(0, row.sold - q) }) };
  }

  /**
   * Units a buyer sent back (a refunded return the seller chose to restock) go back on the shelf once per return id
   * (`onHand += q`; `sold` keeps counting the sale, like a seller's restock by delta).
   */
  returnUnits(returnId: string, quantity: number): StockChange | null {
    assertOrderId(returnId);
    if (!Number.isSafeInteger(quantity) || quantity <= 0) throw new RangeError('quantity must be a positive integer');
    const row = this.row();
    if (!row) return null;
    if (this.sql.exec('select 1 from returned where return_id = ?', returnId).toArray().length > 0) return { ok: true, snapshot: this.snapshotOf(row) };
    this.sql.exec('insert into returned (return_id, quantity) values (?, ?)', returnId, quantity);
    return { ok: true, snapshot: this.write({ ...row, on_hand: row.on_hand + quantity }) };
  }

  /** Releases every reservation whose TTL has passed, then re-arms for the next one. */
  override async alarm(): Promise<void> {
    const row = this.row();
    if (row) {
      const expired = this.sql
        .exec<{ order_id: string; quantity: number }>("select order_id, quantity from reservations where status = 'RESERVED' and expires_at <= ?", Date.now())
        .toArray();
      if (expired.length > 0) {
        for (const reservation of expired) this.setStatus(reservation.order_id, 'EXPIRED');
        const freed = expired.reduce((sum, reservation) => sum + reservation.quantity, 0);
        this.write({ ...row, reserved: row.reserved - freed });
      }
    }
    await this.scheduleExpiry();
  }

  /** Every reservation with its status, oldest first (the invariant check reads them). */
  reservations(): { orderId: string; quantity: number; status: ReservationStatus }[] {
    return this.sql
      .exec<{ order_id: string; quantity: number; status: ReservationStatus }>('select order_id, quantity, status from reservations order by updated_at, order_id')
      .toArray()
      .map((r) => ({ orderId: r.order_id, quantity: r.quantity, status: r.status }));
  }

  private row(): StockRow | undefined {
    return this.sql.exec<StockRow>('select product_id, on_hand, reserved, sold, version from stock where id = 1').toArray()[0];
  }

  private reservation(orderId: string): ReservationRow | undefined {
    return this.sql.exec<ReservationRow>('select quantity, status, expires_at from reservations where order_id = ?', orderId).toArray()[0];
  }

  private setStatus(orderId: string, status: ReservationStatus): void {
    this.sql.exec('update reservations set status = ?, updated_at = ? where order_id = ?', status, Date.now(), orderId);
  }

  /** Writes new counts with the next version; the table's CHECKs are the last line of defence. */
  private write(next: StockRow): StockSnapshot {
    const version = next.version + 1;
    this.sql.exec('update stock set on_hand = ?, reserved = ?, sold = ?, version = ? where id = 1', next.on_hand, next.reserved, next.sold, version);
    const snapshot = this.snapshotOf({ ...next, version });
    this.toFeed(snapshot);
    return snapshot;
  }

  /**
   * Hands the new level to the product's StockFeedDO, which pushes it to open product pages. Never awaited by the
   * change itself (a slow or failing feed must not slow or fail a reservation) and never more than one call at a
   * time: changes made while a call is out are coalesced into the newest, so a checkout rush costs the feed one
   * call per round trip, not one per reservation. A lost level is repaired by the next change (the viewer shows
   * the count it had until then); nothing here is needed for correctness of stock.
   */
  private toFeed(snapshot: StockSnapshot): void {
    if (this.sharded) return;
    this.feedNext = snapshot;
    if (this.feedBusy || !this.env.STOCK_FEED_DO) return;
    this.feedBusy = true;
    this.ctx.waitUntil(this.drainFeed());
  }

  private async drainFeed(): Promise<void> {
    const feeds = this.env.STOCK_FEED_DO;
    try {
      while (this.feedNext) {
        const { productId, available, version } = this.feedNext;
        this.feedNext = null;
        try {
          await feeds.get(feeds.idFromName(String(productId))).update({ productId, available, version });
        } catch {
          // See toFeed: the next change carries the newest level again.
        }
      }
    } finally {
      this.feedBusy = false;
    }
  }

  private refuse(row: StockRow, reason: StockRefusal): Extract<StockChange, { ok: false }> {
    const snapshot = this.snapshotOf(row);
    return { ok: false, reason, available: snapshot.available, snapshot };
  }

  private snapshotOf(row: StockRow): StockSnapshot {
    return { productId: row.product_id, onHand: row.on_hand, reserved: row.reserved, available: row.on_hand - row.reserved, sold: row.sold, version: row.version };
  }

  /** Arms the alarm for the earliest live reservation (or clears it when none is left). */
  private async scheduleExpiry(): Promise<void> {
    const next = this.sql.exec<{ at: number | null }>("select min(expires_at) as at from reservations where status = 'RESERVED'").one().at;
    if (next === null) await this.ctx.storage.deleteAlarm();
    else await this.ctx.storage.setAlarm(next);
  }
}

function assertCount(value: number, name: string): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative integer`);
}

function assertOrderId(orderId: string): void {
  if (typeof orderId !== 'string' || orderId.length === 0 || orderId.length > 64) throw new RangeError('orderId must be 1–64 characters');
}
