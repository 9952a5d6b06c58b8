import { DurableObject } from 'cloudflare:workers';

import type { AppEnv } from '@/env';
import { LIVE_CLOSE, LIVE_LIMITS, refuseSocket, type LiveEvent, type LiveTicketGrant } from '@/live/protocol';

/**
 * What each socket carries through hibernation (serializeAttachment): the session version its ticket was issued
 * for, and its message-rate window. Nothing else is kept in memory, so a woken object behaves the same.
 */
export interface LiveAttachment {
  sessionVersion: number;
  connectedAt: number;
  windowStart: number;
  messages: number;
}

interface StoredTicket {
  expiresAt: number;
  sessionVersion: number;
}

const TICKET_PREFIX = 'ticket:';

const toHex = (bytes: ArrayBuffer) => [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, '0')).join('');

async function ticketKey(secret: string): Promise<string> {
  return TICKET_PREFIX + toHex(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(secret)));
}

function randomSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes)).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

const attachmentOf = (ws: WebSocket): LiveAttachment | null => (ws.deserializeAttachment() as LiveAttachment | null) ?? null;

function safeClose(ws: WebSocket, code: number, reason: string): void {
  try {
    ws.close(code, reason);
  } catch {
    // Already closing or closed: nothing left to tell the client.
  }
}

/**
 * One per signed-in user (`idFromName(userId)`): the user's open sockets, held with the WebSocket Hibernation API
 * so an idle user costs no duration, and the user's one-time connection tickets (stored hashed, 30 s).
 * The Worker is the only caller of the RPC methods; clients only ever reach `fetch` through `GET /api/v1/live`.
 */
export class LiveDO extends DurableObject<AppEnv> {
  constructor(ctx: DurableObjectState, env: AppEnv) {
    super(ctx, env);
    // Heartbeats are answered by the runtime without waking the object.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair('ping', 'pong'));
  }

  /** A new one-time ticket for `userId`, or null when too many are outstanding (a reconnect storm). */
  async issueTicket(userId: string, sessionVersion: number): Promise<LiveTicketGrant | null> {
    const now = Date.now();
    const pending = await this.ctx.storage.list<StoredTicket>({ prefix: TICKET_PREFIX });
    const expired = [...pending].filter(([, t]) => t.expiresAt <= now).map(([key]) => key);
    if (expired.length > 0) await this.ctx.storage.delete(expired);
    if (pending.size - expired.length >= LIVE_LIMITS.maxPendingTickets) return null;
    const secret = randomSecret();
    const expiresAt = now + LIVE_LIMITS.ticketTtlMs;
    await this.ctx.storage.put<StoredTicket>(await ticketKey(secret), { expiresAt, sessionVersion });
    return { ticket: `${userId}.${secret}`, expiresAt: new Date(expiresAt).toISOString() };
  }

  /** The WebSocket upgrade, forwarded by the Worker after the Origin and ticket-format checks. */
  override async fetch(request: Request): Promise<Response> {
    const secret = new URL(request.url).searchParams.get('ticket')?.split('.')[1] ?? '';
    const key = await ticketKey(secret);
    const ticket = await this.ctx.storage.get<StoredTicket>(key);
    // One use only: gone before the socket exists, whatever happens next.
    if (ticket) await this.ctx.storage.delete(key);
    if (!ticket || ticket.expiresAt <= Date.now()) return refuseSocket(LIVE_CLOSE.ticketInvalid, 'ticket invalid, expired or already used');
    if (this.ctx.getWebSockets().length >= LIVE_LIMITS.maxSocketsPerUser) {
      return refuseSocket(LIVE_CLOSE.tooMany, `at most ${LIVE_LIMITS.maxSocketsPerUser} live connections per user`);
    }
    const pair = new WebSocketPair();
    const server = pair[1];
    this.ctx.acceptWebSocket(server);
    const now = Date.now();
    server.serializeAttachment({ sessionVersion: ticket.sessionVersion, connectedAt: now, windowStart: now, messages: 0 } satisfies LiveAttachment);
    server.send(JSON.stringify({ type: 'hello', limits: { maxMessageBytes: LIVE_LIMITS.maxMessageBytes, heartbeat: 'ping' } }));
    return new Response(null, { status: 101, webSocket: pair[0] });
  }

  /** Sends each event to every open socket of the user; answers how many sockets there were. */
  async publish(events: LiveEvent[]): Promise<number> {
    const sockets = this.ctx.getWebSockets();
    const frames = events.map((event) => JSON.stringify(event));
    for (const ws of sockets) {
      for (const frame of frames) {
        try {
          ws.send(frame);
        } catch {
          // A socket that died between getWebSockets() and send() is cleaned up by its close event.
        }
      }
    }
    return sockets.length;
  }

  /** How many sockets are open (diagnostics and tests; publishing does not ask first, see docs/decisions/live.md). */
  async connections(): Promise<number> {
    return this.ctx.getWebSockets().length;
  }

  /**
   * Closes sockets whose session ended: all of them when `currentVersion` is null (user gone), else those opened
   * with an older session version (a newer login's sockets stay). Pending tickets of old sessions are dropped too.
   */
  async endSessions(currentVersion: number | null): Promise<number> {
    let closed = 0;
    for (const ws of this.ctx.getWebSockets()) {
      const attachment = attachmentOf(ws);
      if (currentVersion === null || !attachment || attachment.sessionVersion < currentVersion) {
        safeClose(ws, LIVE_CLOSE.sessionEnded, 'session ended');
        closed++;
      }
    }
    const pending = await this.ctx.storage.list<StoredTicket>({ prefix: TICKET_PREFIX });
    const stale = [...pending].filter(([, t]) => currentVersion === null || t.sessionVersion < currentVersion).map(([key]) => key);
    if (stale.length > 0) await this.ctx.storage.delete(stale);
    return closed;
  }

  /**
   * Client → server traffic is tiny by design: `ping` (auto-answered) or `{"type":"ping"}`. Anything oversized,
   * binary, malformed or too frequent closes the socket with a code that says which.
   */
  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    const attachment = attachmentOf(ws);
    if (!attachment) return safeClose(ws, LIVE_CLOSE.sessionEnded, 'session ended');
    const now = Date.now();
    const fresh = now - attachment.windowStart >= LIVE_LIMITS.rateWindowMs;
    const next: LiveAttachment = { ...attachment, windowStart: fresh ? now : attachment.windowStart, messages: (fresh ? 0 : attachment.messages) + 1 };
    ws.serializeAttachment(next);
    if (next.messages > LIVE_LIMITS.maxMessagesPerWindow) return safeClose(ws, LIVE_CLOSE.rateLimited, 'too many messages');
    if (typeof message !== 'string') return safeClose(ws, LIVE_CLOSE.unsupported, 'binary messages are not accepted');
    if (message.length > LIVE_LIMITS.maxMessageBytes) return safeClose(ws, LIVE_CLOSE.tooBig, 'message too large');
    let parsed: unknown;
    try {
      parsed = JSON.parse(message);
    } catch {
      return safeClose(ws, LIVE_CLOSE.malformed, 'malformed message');
    }
    if (typeof parsed !== 'object' || parsed === null || (parsed as { type?: unknown }).type !== 'ping') {
      return safeClose(ws, LIVE_CLOSE.malformed, 'unknown message type');
    }
    ws.send(JSON.stringify({ type: 'pong' }));
  }

  override async webSocketClose(ws: WebSocket, code: number): Promise<void> {
    // Complete the closing handshake; 1005/1006 are reserved and cannot be sent back.
    safeClose(ws, code === 1005 || code === 1006 ? 1000 : code, 'closed');
  }

  override async webSocketError(ws: WebSocket): Promise<void> {
    safeClose(ws, 1011, 'socket error');
  }
}
