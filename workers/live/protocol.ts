/**
 * The live channel's wire contract, shared by the Worker, the LiveDO and (by copy, see web/src/lib/live.ts) the SPA.
 * docs/decisions/live.md explains each choice.
 */

/** Close codes: 1000–1011 are the standard ones, 44xx mirror the HTTP status a request would have had. */
export const LIVE_CLOSE = {
  normal: 1000,
  unsupported: 1003,
  tooBig: 1009,
  malformed: 4400,
  ticketInvalid: 4401,
  originRefused: 4403,
  notFound: 4404,
  sessionEnded: 4410,
  tooMany: 4429,
  rateLimited: 4429,
} as const;

export const LIVE_LIMITS = {
  ticketTtlMs: 30_000,
  /** Unused tickets a user may hold at once; more is a reconnect storm and answers 429. */
  maxPendingTickets: 20,
  maxSocketsPerUser: 10,
  /** Client frames are heartbeats: 512 bytes is plenty. */
  maxMessageBytes: 512,
  rateWindowMs: 10_000,
  maxMessagesPerWindow: 20,
} as const;

/**
 * Public live stock (`GET /api/v1/products/{id}/stock/live`, one StockFeedDO per product): anyone may watch, so the
 * bounds are per product and per client address instead of per user, and the frames carry nothing but the count.
 */
export const STOCK_FEED_LIMITS = {
  /** Viewers one product's feed holds; the next one is refused (4429) and keeps the count it loaded over HTTP. */
  maxViewersPerProduct: 5_000,
  /** Sockets one client address may hold on one product (tabs, or a script): enough for a household behind one NAT. */
  maxViewersPerAddress: 8,
  /** At most one broadcast per this many ms (4 a second); changes in between are coalesced into the latest count. */
  minIntervalMs: 250,
} as const;

/** What a viewer receives: the product's available units and the StockDO version they come from. */
export interface StockFrame {
  type: 'stock';
  productId: number;
  available: number;
  version: number;
}

/** Headers the Worker adds when it forwards a viewer's upgrade to the product's StockFeedDO. */
export const STOCK_FEED_HEADERS = {
  /** The product's counts as the Worker read them (`{"productId":p,"available":n,"version":v}`), for a feed that has none yet. */
  initial: 'x-stock-initial',
  /** A hash of the client address: the per-address limit's socket tag (the address itself is not kept). */
  viewer: 'x-stock-viewer',
} as const;

export interface LiveTicketGrant {
  ticket: string;
  expiresAt: string;
}

export type { LiveEvent } from '@/platform/live-events';

/** `<user uuid>.<43 base64url characters>`: the user part routes to the LiveDO, the secret proves the ticket. */
export const LIVE_TICKET_PATTERN = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.([A-Za-z0-9_-]{43})$/;

/** Answers an upgrade with a socket that is closed at once with `code`/`reason`: a browser can read both, not a 4xx. */
export function refuseSocket(code: number, reason: string): Response {
  const pair = new WebSocketPair();
  const server = pair[1];
  server.accept();
  server.close(code, reason);
  return new Response(null, { status: 101, webSocket: pair[0] });
}

/** Same origin as the API, or one of CORS_ORIGINS. A socket cannot be read cross-origin otherwise, so check it. */
export function originAllowed(origin: string | undefined, requestUrl: string, allowed: readonly string[]): boolean {
  if (!origin) return false;
  return origin === new URL(requestUrl).origin || allowed.includes(origin);
}
