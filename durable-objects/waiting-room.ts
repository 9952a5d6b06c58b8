import { DurableObject } from 'cloudflare:workers';

import type { AppEnv } from '@/env';
import { liveStub } from '@/live';

/** How a launch's line runs; the Worker passes it from the `launches` row with every join. */
export interface WaitingRoomConfig {
  productId: number;
  /** Epoch ms: no admission before. */
  startsAt: number;
  /** Tickets admitted per tick (one tick a second). */
  admitPerSecond: number;
  /** Live tickets per client address. */
  perClientLimit: number;
}

export type TicketState = 'waiting' | 'admitted' | 'used' | 'expired';

/** A buyer's place as the DO knows it (the Worker turns an admission's jti into a signed token). */
export interface TicketView {
  ticketId: string;
  state: TicketState;
  /** 1-based place among the waiting; null once admitted. */
  position: number | null;
  peopleAhead: number;
  /** Seconds until admission at the configured rate (0 once admitted). */
  estimatedWaitSeconds: number;
  joinedAt: number;
  admittedAt: number | null;
  admission: { jti: string; expiresAt: number } | null;
}

export type JoinResult = { ok: true; ticket: TicketView; created: boolean } | { ok: false; reason: 'CLIENT_LIMIT' | 'NOT_CONFIGURED' };

export type ConsumeResult =
  | { ok: true; productId: number }
  | { ok: false; reason: 'UNKNOWN' | 'WRONG_ACCOUNT' | 'EXPIRED' | 'USED' };

/** Tick length: every tick admits `admitPerSecond` tickets. */
export const TICK_MS = 1000;
/** How long an admission may wait to be used at checkout. */
export const ADMISSION_TTL_MS = 10 * 60_000;

interface TicketRow extends Record<string, SqlStorageValue> {
  seq: number;
  id: string;
  account: string;
  client: string;
  joined_at: number;
  admitted_at: number | null;
  jti: string | null;
  expires_at: number | null;
  used_order: string | null;
}

const CONFIG = 'config';
const LAST_TICK = 'lastTick';

/**
 * `WaitingRoomDO` — one per launch (`idFromName(launchId)`): the line of buyers for a launched product. First
 * come, first admitted: tickets get an increasing sequence number at `join`, and the alarm admits the lowest
 * waiting ones, `admitPerSecond` per tick, from `startsAt`. One ticket per account (a second join answers the same
 * ticket, so a reload keeps the place); at most `perClientLimit` live tickets per client address. An admission is
 * a jti that `consume` marks used by exactly one order (the same order may consume it again — a retried request)
 * and `restore` gives back when that order failed for a reason other than stock.
 *
 * All state is in SQLite storage; the alarm only runs while someone is waiting.
 */
export class WaitingRoomDO extends DurableObject<AppEnv> {
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: AppEnv) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(`CREATE TABLE IF NOT EXISTS tickets (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      id TEXT NOT NULL UNIQUE,
      account TEXT NOT NULL UNIQUE,
      client TEXT NOT NULL,
      joined_at INTEGER NOT NULL,
      admitted_at INTEGER,
      jti TEXT UNIQUE,
      expires_at INTEGER,
      used_order TEXT
    )`);
    this.sql.exec('CREATE INDEX IF NOT EXISTS tickets_client ON tickets (client)');
    this.sql.exec('CREATE INDEX IF NOT EXISTS tickets_waiting ON tickets (admitted_at, seq)');
  }

  /**
   * The caller's ticket: the one the account already holds (unless its admission expired unused, which sends it
   * to the back of the line), else a new one at the end — refused when the client address already holds
   * `perClientLimit` live tickets.
   */
  async join(config: WaitingRoomConfig, account: string, client: string, now = Date.now()): Promise<JoinResult> {
    await this.ctx.storage.put(CONFIG, config);
    const existing = this.byAccount(account);
    if (existing && stateOf(existing, now) !== 'expired') return { ok: true, ticket: this.view(existing, config, now), created: false };
    if (this.liveTicketsOf(client, now) >= config.perClientLimit) return { ok: false, reason: 'CLIENT_LIMIT' };
    if (existing) this.sql.exec('DELETE FROM tickets WHERE seq = ?', existing.seq);
    this.sql.exec('INSERT INTO tickets (id, account, client, joined_at) VALUES (?, ?, ?, ?)', crypto.randomUUID(), account, client, now);
    await this.scheduleTick(config, now);
    return { ok: true, ticket: this.view(this.byAccount(account)!, config, now), created: true };
  }

  /** A launch's new start or rate (the seller changed it): stored, and the next tick moved accordingly. */
  async configure(config: WaitingRoomConfig, now = Date.now()): Promise<void> {
    await this.ctx.storage.put(CONFIG, config);
    await this.ctx.storage.deleteAlarm();
    await this.scheduleTick(config, now);
  }

  /** The account's ticket as it stands now, or null. */
  async status(account: string, now = Date.now()): Promise<TicketView | null> {
    const config = await this.ctx.storage.get<WaitingRoomConfig>(CONFIG);
    const row = this.byAccount(account);
    return config && row ? this.view(row, config, now) : null;
  }

  /**
   * Uses an admission for `orderId`: once per jti, by its own account, before it expires. The same order may
   * consume it again (a retry of one request); another order finds it USED.
   */
  async consume(jti: string, account: string, orderId: string, now = Date.now()): Promise<ConsumeResult> {
    const config = await this.ctx.storage.get<WaitingRoomConfig>(CONFIG);
    const row = this.sql.exec<TicketRow>('SELECT * FROM tickets WHERE jti = ?', jti).toArray()[0];
    if (!row || !config) return { ok: false, reason: 'UNKNOWN' };
    if (row.account !== account) return { ok: false, reason: 'WRONG_ACCOUNT' };
    if (row.used_order !== null) return row.used_order === orderId ? { ok: true, productId: config.productId } : { ok: false, reason: 'USED' };
    if (row.expires_at! <= now) return { ok: false, reason: 'EXPIRED' };
    this.sql.exec('UPDATE tickets SET used_order = ? WHERE seq = ?', orderId, row.seq);
    return { ok: true, productId: config.productId };
  }

  /** Gives an admission back after its order failed (not for stock): usable again until it expires. */
  async restore(jti: string, orderId: string): Promise<boolean> {
    return this.sql.exec('UPDATE tickets SET used_order = NULL WHERE jti = ? AND used_order = ? RETURNING seq', jti, orderId).toArray().length > 0;
  }

  override async alarm(): Promise<void> {
    await this.tick(Date.now());
  }

  /**
   * One admission step: the `admitPerSecond` oldest waiting tickets, if the launch has started and the previous
   * tick is at least {@link TICK_MS} old; reschedules itself while anyone waits. Answers how many were admitted.
   */
  async tick(now: number): Promise<number> {
    const config = await this.ctx.storage.get<WaitingRoomConfig>(CONFIG);
    if (!config) return 0;
    const due = this.nextTickAt(config, (await this.ctx.storage.get<number>(LAST_TICK)) ?? null);
    if (now < due) {
      await this.scheduleTick(config, now);
      return 0;
    }
    const admitted = this.sql
      .exec<{ account: string; jti: string }>(
        `UPDATE tickets SET admitted_at = ?1, jti = lower(hex(randomblob(16))), expires_at = ?2
         WHERE seq IN (SELECT seq FROM tickets WHERE admitted_at IS NULL ORDER BY seq LIMIT ?3) RETURNING account, jti`,
        now,
        now + ADMISSION_TTL_MS,
        config.admitPerSecond,
      )
      .toArray();
    await this.ctx.storage.put(LAST_TICK, now);
    await this.scheduleTick(config, now);
    this.ctx.waitUntil(this.announce(config.productId, admitted, now));
    return admitted.length;
  }

  /**
   * Tells each admitted buyer's open tabs at once (their LiveDO, docs/decisions/live.md), so the waiting page does
   * not wait for its next poll. Best effort: the poll still finds the admission.
   */
  private async announce(productId: number, admitted: { account: string; jti: string }[], now: number): Promise<void> {
    await Promise.allSettled(
      admitted.map(({ account, jti }) => liveStub(this.env, account).publish([{ id: `admission:${jti}`, type: 'waiting-room.admitted', version: now, data: { productId } }])),
    );
  }

  private nextTickAt(config: WaitingRoomConfig, lastTick: number | null): number {
    return Math.max(config.startsAt, lastTick === null ? 0 : lastTick + TICK_MS);
  }

  private async scheduleTick(config: WaitingRoomConfig, now: number): Promise<void> {
    if (this.waitingCount() === 0) return;
    const at = Math.max(now, this.nextTickAt(config, (await this.ctx.storage.get<number>(LAST_TICK)) ?? null));
    const current = await this.ctx.storage.getAlarm();
    if (current === null || current > at) await this.ctx.storage.setAlarm(at);
  }

  private byAccount(account: string): TicketRow | undefined {
    return this.sql.exec<TicketRow>('SELECT * FROM tickets WHERE account = ?', account).toArray()[0];
  }

  private waitingCount(): number {
    return this.sql.exec<{ n: number }>('SELECT count(*) AS n FROM tickets WHERE admitted_at IS NULL').one().n;
  }

  /** Waiting tickets, and admitted ones not used and not expired. */
  private liveTicketsOf(client: string, now: number): number {
    return this.sql.exec<{ n: number }>('SELECT count(*) AS n FROM tickets WHERE client = ? AND (admitted_at IS NULL OR (used_order IS NULL AND expires_at > ?))', client, now).one().n;
  }

  private view(row: TicketRow, config: WaitingRoomConfig, now: number): TicketView {
    const state = stateOf(row, now);
    const ahead = state === 'waiting' ? this.sql.exec<{ n: number }>('SELECT count(*) AS n FROM tickets WHERE admitted_at IS NULL AND seq < ?', row.seq).one().n : 0;
    const ticksToWait = Math.floor(ahead / config.admitPerSecond) + 1;
    const untilStart = Math.max(0, config.startsAt - now);
    return {
      ticketId: row.id,
      state,
      position: state === 'waiting' ? ahead + 1 : null,
      peopleAhead: ahead,
      estimatedWaitSeconds: state === 'waiting' ? Math.ceil((untilStart + ticksToWait * TICK_MS) / 1000) : 0,
      joinedAt: row.joined_at,
      admittedAt: row.admitted_at,
      admission: state === 'admitted' ? { jti: row.jti!, expiresAt: row.expires_at! } : null,
    };
  }
}

function stateOf(row: TicketRow, now: number): TicketState {
  if (row.admitted_at === null) return 'waiting';
  if (row.used_order !== null) return 'used';
  return row.expires_at! > now ? 'admitted' : 'expired';
}
