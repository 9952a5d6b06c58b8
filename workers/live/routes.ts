import { createRoute, z } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';

import { products } from '@/catalog/tables';
import { getConfig } from '@/env';
import { currentUser, requireAuth } from '@/identity';
import { currentSessionVersion, liveStub, stockFeedStub } from '@/live';
import { LIVE_CLOSE, LIVE_TICKET_PATTERN, refuseSocket, STOCK_FEED_HEADERS, STOCK_FEED_LIMITS } from '@/live/protocol';
import { createDb } from '@/platform/db';
import { AppError, errorResponses } from '@/platform/errors';
import { clientIp } from '@/platform/middleware';
import { envelope, jsonContent } from '@/platform/responses';
import { createRouter } from '@/platform/router';

const tags = ['Live'];

const ticketSchema = z
  .object({
    ticket: z.string().openapi({ description: 'One-time, valid for 30 s: pass it as `?ticket=` to `GET /api/v1/live`' }),
    expiresAt: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('LiveTicket');

/** Same origin as the API, or one of CORS_ORIGINS. A socket cannot be read cross-origin otherwise, so check it. */
function originAllowed(origin: string | undefined, requestUrl: string, allowed: readonly string[]): boolean {
  if (!origin) return false;
  return origin === new URL(requestUrl).origin || allowed.includes(origin);
}

/**
 * Live updates (docs/decisions/live.md): a bearer-authenticated ticket, then a WebSocket that carries no token in
 * its URL — the ticket is single-use, lives 30 s and is bound to the user and their session version.
 */
export const liveRouter = createRouter();

liveRouter
  .openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/live/ticket',
      tags,
      security: [{ bearerAuth: [] }],
      summary: 'A one-time ticket (30 s) for opening the live-updates socket',
      middleware: [requireAuth()] as const,
      responses: { 200: jsonContent(envelope(ticketSchema), 'Ticket'), ...errorResponses(401, 429) },
    }),
    async (c) => {
      const user = currentUser(c);
      const sessionVersion = await currentSessionVersion(c.env, user.id);
      if (sessionVersion === null) throw new AppError(401, 'INVALID_TOKEN', 'The access token is invalid or has expired');
      const grant = await liveStub(c.env, user.id).issueTicket(user.id, sessionVersion);
      if (!grant) {
        throw new AppError(429, 'TOO_MANY_REQUESTS', 'Too many unused live tickets; wait a few seconds', undefined, { 'Retry-After': '30' });
      }
      return c.json({ success: true as const, data: grant }, 200);
    },
  )
  // A 101 with a WebSocket is not a typed JSON answer, so this one is a plain route documented below.
  .get('/api/v1/live', async (c) => {
    if (c.req.header('upgrade')?.toLowerCase() !== 'websocket') {
      throw new AppError(426, 'UPGRADE_REQUIRED', 'This endpoint only accepts WebSocket upgrades', undefined, { Upgrade: 'websocket' });
    }
    if (!originAllowed(c.req.header('origin'), c.req.url, getConfig(c.env).CORS_ORIGINS)) {
      return refuseSocket(LIVE_CLOSE.originRefused, 'origin not allowed');
    }
    const match = LIVE_TICKET_PATTERN.exec(c.req.query('ticket') ?? '');
    if (!match?.[1]) return refuseSocket(LIVE_CLOSE.ticketInvalid, 'ticket invalid, expired or already used');
    return liveStub(c.env, match[1]).fetch(c.req.raw);
  })
  // Public live stock: anonymous viewers of a product page. No ticket (the count is public, the same as
  // `stockAvailable` in GET /products/{id}); bounded per product and per address by the StockFeedDO.
  .get('/api/v1/products/:id/stock/live', async (c) => {
    if (c.req.header('upgrade')?.toLowerCase() !== 'websocket') {
      throw new AppError(426, 'UPGRADE_REQUIRED', 'This endpoint only accepts WebSocket upgrades', undefined, { Upgrade: 'websocket' });
    }
    if (!originAllowed(c.req.header('origin'), c.req.url, getConfig(c.env).CORS_ORIGINS)) {
      return refuseSocket(LIVE_CLOSE.originRefused, 'origin not allowed');
    }
    const id = c.req.param('id');
    const productId = /^[1-9]\d{0,9}$/.test(id) ? Number(id) : NaN;
    const [row] = Number.isSafeInteger(productId)
      ? await createDb(c.env)
          .select({ status: products.status, onHand: products.stockQuantity, reserved: products.stockReserved, version: products.stockVersion })
          .from(products)
          .where(eq(products.id, productId))
      : [];
    // Only what anyone may see: a product that is not for sale has no public stock to watch.
    if (!row || row.status !== 'ACTIVE') return refuseSocket(LIVE_CLOSE.notFound, 'product not found');
    // Only the upgrade and what the Worker vouches for reach the object: no cookies, tokens nor addresses.
    const headers = new Headers({
      upgrade: 'websocket',
      [STOCK_FEED_HEADERS.initial]: JSON.stringify({ productId, available: Math.max(0, row.onHand - row.reserved), version: row.version }),
      [STOCK_FEED_HEADERS.viewer]: await viewerTag(clientIp((name) => c.req.header(name))),
    });
    return stockFeedStub(c.env, productId).fetch(new Request(c.req.raw.url, { headers }));
  });

/** The per-address limit's key: a short hash, so the object keeps no client address. */
async function viewerTag(address: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`stock-feed:${address}`));
  return [...new Uint8Array(digest).slice(0, 12)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

liveRouter.openAPIRegistry.registerPath({
  method: 'get',
  path: '/api/v1/live',
  tags,
  summary: 'Opens the live-updates WebSocket (Upgrade: websocket, ?ticket=…)',
  description:
    'Refusals of an upgrade request are a socket closed at once with a code and reason: 4401 ticket invalid, expired or used, 4403 origin not allowed, 4429 too many connections. Server → client frames are JSON events `{id, type, version, data}`; the client may send `ping` (answered `pong`).',
  request: { query: z.object({ ticket: z.string().optional() }) },
  responses: { 101: { description: 'Switching protocols' }, ...errorResponses(426) },
});

liveRouter.openAPIRegistry.registerPath({
  method: 'get',
  path: '/api/v1/products/{id}/stock/live',
  tags,
  summary: "Watches an ACTIVE product's available stock over a WebSocket (public, no ticket)",
  description:
    `Frames are \`{type: "stock", productId, available, version}\`: the current count at once, then each change, at most ${1000 / STOCK_FEED_LIMITS.minIntervalMs} a second (changes in between are coalesced), never an older version. ` +
    `Refusals are a socket closed at once: 4403 origin not allowed, 4404 product not found (or not ACTIVE), 4429 more than ${STOCK_FEED_LIMITS.maxViewersPerAddress} sockets from one address on one product or ${STOCK_FEED_LIMITS.maxViewersPerProduct} viewers. ` +
    'The client may send `ping` (answered `pong`); anything else closes the socket (4400).',
  request: { params: z.object({ id: z.string().openapi({ example: '1' }) }) },
  responses: { 101: { description: 'Switching protocols' }, ...errorResponses(426) },
});
