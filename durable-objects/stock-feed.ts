import { DurableObject } from 'cloudflare:workers';

import type { AppEnv } from '@/env';
import { LIVE_CLOSE, refuseSocket, STOCK_FEED_HEADERS, STOCK_FEED_LIMITS, type StockFrame } from '@/live/protocol';

/** A product's sellable units at one StockDO version: all a viewer is ever told. */
export interface StockLevel {
  productId: number;
  available: number;
  version: number;
}

/** The last broadcast: its version (nothing older or equal is sent again) and when (the throttle). */
interface Sent {
  version: number;
  at: number;
}

const LATEST = 'latest';
const SENT = 'sent';

const frameOf = (level: StockLevel): string =>
  JSON.stringify({ type: 'stock', productId: level.productId, available: level.available, version: level.version } satisfies StockFrame);

function safeClose(ws: WebSocket, code: number, reason: string): void {
  try {
    ws.close(code, reason);
  } catch {
    // Already closing or closed.
  }
}

function parseInitial(header: string | null): StockLevel | null {
  if (!header) return null;
  try {
    const { productId, available, version } = JSON.parse(header) as Partial<Record<keyof StockLevel, unknown>>;
    if (![productId, available, version].every(Number.isSafeInteger)) return null;
    return { productId: productId as number, available: Math.max(0, available as number), version: version as number };
  } catch {
    return null;
  }
}

/**
 * `StockFeedDO` — one per product (`idFromName(String(productId))`): the open product pages of that product, held
 * with the WebSocket Hibernation API, and the latest available count. The product's StockDO calls {@link update}
 * after every change (reservations, payments, cancellations, expiry alarms, seller edits); this object broadcasts
 * at most once per {@link STOCK_FEED_LIMITS.minIntervalMs}, always the newest count, never an older version.
 *
 * Kept apart from the StockDO on purpose: viewers are anonymous, so their connects, reconnect storms and
 * broadcasts run on this object's thread, never on the one that takes reservations at checkout.
 * Everything survives hibernation: the latest level and the last broadcast live in storage, sockets carry only
 * their viewer tag (a hash of the client address, for the per-address limit).
 */
export class StockFeedDO extends DurableObject<AppEnv> {
  constructor(ctx: DurableObjectState, env: AppEnv) {
    super(ctx, env);
    // Viewers' heartbeats are answered by the runtime without waking the object.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair('ping', 'pong'));
  }

  /**
   * A new stock level from the StockDO. Older or equal versions are ignored (a late call never rolls the count
   * back). Broadcast at once when the last broadcast is at least the interval old, otherwise an alarm sends the
   * newest level when the interval is up. Answers how many viewers there are.
   */
  async update(level: StockLevel): Promise<number> {
    const latest = await this.remember(level);
    const viewers = this.ctx.getWebSockets().length;
    if (viewers === 0 || latest.version !== level.version) return viewers;
    const sent = await this.ctx.storage.get<Sent>(SENT);
    if (sent && sent.version >= latest.version) return viewers;
    const now = Date.now();
    const due = (sent?.at ?? 0) + STOCK_FEED_LIMITS.minIntervalMs;
    if (now >= due) await this.broadcast(latest, now);
    else if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(due);
    return viewers;
  }

  /** The latest level this feed knows, or null before the first update or viewer. */
  async current(): Promise<StockLevel | null> {
    return (await this.ctx.storage.get<StockLevel>(LATEST)) ?? null;
  }

  /** The throttle's second half: the newest level, if it was not sent yet. */
  override async alarm(): Promise<void> {
    const [latest, sent] = await Promise.all([this.ctx.storage.get<StockLevel>(LATEST), this.ctx.storage.get<Sent>(SENT)]);
    if (latest && (!sent || latest.version > sent.version) && this.ctx.getWebSockets().length > 0) await this.broadcast(latest, Date.now());
  }

  /**
   * A viewer's upgrade, forwarded by the Worker once it checked the Origin and that the product is ACTIVE. The
   * new socket gets the current count at once, then every (throttled) change.
   */
  override async fetch(request: Request): Promise<Response> {
    const viewer = request.headers.get(STOCK_FEED_HEADERS.viewer) || 'unknown';
    if (this.ctx.getWebSockets().length >= STOCK_FEED_LIMITS.maxViewersPerProduct) {
      return refuseSocket(LIVE_CLOSE.tooMany, `at most ${STOCK_FEED_LIMITS.maxViewersPerProduct} viewers per product`);
    }
    if (this.ctx.getWebSockets(viewer).length >= STOCK_FEED_LIMITS.maxViewersPerAddress) {
      return refuseSocket(LIVE_CLOSE.tooMany, `at most ${STOCK_FEED_LIMITS.maxViewersPerAddress} stock connections per address and product`);
    }
    const initial = parseInitial(request.headers.get(STOCK_FEED_HEADERS.initial));
    const latest = initial ? await this.remember(initial) : await this.current();
    const pair = new WebSocketPair();
    const server = pair[1];
    this.ctx.acceptWebSocket(server, [viewer]);
    if (latest) server.send(frameOf(latest));
    return new Response(null, { status: 101, webSocket: pair[0] });
  }

  /** Viewers only listen: `ping` is answered by the runtime; anything else they send closes their socket. */
  override async webSocketMessage(ws: WebSocket): Promise<void> {
    safeClose(ws, LIVE_CLOSE.malformed, 'stock viewers only send ping');
  }

  override async webSocketClose(ws: WebSocket, code: number): Promise<void> {
    safeClose(ws, code === 1005 || code === 1006 ? 1000 : code, 'closed');
  }

  override async webSocketError(ws: WebSocket): Promise<void> {
    safeClose(ws, 1011, 'socket error');
  }

  /** Stores `level` when it is newer than what is stored; answers whichever is newest. */
  private async remember(level: StockLevel): Promise<StockLevel> {
    const stored = await this.ctx.storage.get<StockLevel>(LATEST);
    if (stored && stored.version >= level.version) return stored;
    await this.ctx.storage.put(LATEST, level);
    return level;
  }

  private async broadcast(level: StockLevel, now: number): Promise<void> {
    const frame = frameOf(level);
    for (const ws of this.ctx.getWebSockets()) {
      try {
        ws.send(frame);
      } catch {
        // A socket that died meanwhile is cleaned up by its close event.
      }
    }
    await this.ctx.storage.put<Sent>(SENT, { version: level.version, at: now });
  }
}
