import { z } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import type { Context } from 'hono';

import { products } from '@/catalog/tables';
import { getConfig, type AppBindings } from '@/env';
import { LIVE_CLOSE, originAllowed, refuseSocket, STOCK_FEED_HEADERS, STOCK_FEED_LIMITS, stockFeedStub } from '@/live';
import type { MakeDbDeps } from '@/platform/db';
import { AppError, errorResponses } from '@/platform/errors';
import { clientIp } from '@/platform/middleware';
import { createRouter } from '@/platform/router';

/**
 * Public live stock (docs/decisions/live.md): anonymous viewers of a product page. No ticket (the count is public,
 * the same as `stockAvailable` in GET /products/{id}); bounded per product and per address by the product's
 * StockFeedDO. The catalog owns the product, so it answers who may watch and with which first count.
 */
const STOCK_FEED_PATH = '/api/v1/products/:id/stock/live';

export function createStockFeedRouter(makeDeps: MakeDbDeps) {
  const router = createRouter();
  router.get(STOCK_FEED_PATH, (c) => watchStock(c, makeDeps));
  registerStockFeedPath(router);
  return router;
}

async function watchStock(c: Context<AppBindings, typeof STOCK_FEED_PATH>, makeDeps: MakeDbDeps): Promise<Response> {
  if (c.req.header('upgrade')?.toLowerCase() !== 'websocket') {
    throw new AppError(426, 'UPGRADE_REQUIRED', 'This endpoint only accepts WebSocket upgrades', undefined, { Upgrade: 'websocket' });
  }
  if (!originAllowed(c.req.header('origin'), c.req.url, getConfig(c.env).CORS_ORIGINS)) {
    return refuseSocket(LIVE_CLOSE.originRefused, 'origin not allowed');
  }
  const id = c.req.param('id');
  const productId = /^[1-9]\d{0,9}$/.test(id) ? Number(id) : NaN;
  const [row] = Number.isSafeInteger(productId)
    ? await makeDeps(c.env).db
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
}

/** The per-address limit's key: a short hash, so the object keeps no client address. */
async function viewerTag(address: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`stock-feed:${address}`));
  return [...new Uint8Array(digest).slice(0, 12)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** The socket's entry in the OpenAPI document (a plain `get`: the upgrade has no zod-openapi route). */
function registerStockFeedPath(router: ReturnType<typeof createRouter>): void {
  router.openAPIRegistry.registerPath({
    method: 'get',
    path: '/api/v1/products/{id}/stock/live',
    tags: ['Live'],
    summary: "Watches an ACTIVE product's available stock over a WebSocket (public, no ticket)",
    description:
      `Frames are \`{type: "stock", productId, available, version}\`: the current count at once, then each change, at most ${1000 / STOCK_FEED_LIMITS.minIntervalMs} a second (changes in between are coalesced), never an older version. ` +
      `Refusals are a socket closed at once: 4403 origin not allowed, 4404 product not found (or not ACTIVE), 4429 more than ${STOCK_FEED_LIMITS.maxViewersPerAddress} sockets from one address on one product or ${STOCK_FEED_LIMITS.maxViewersPerProduct} viewers. ` +
      'The client may send `ping` (answered `pong`); anything else closes the socket (4400).',
    request: { params: z.object({ id: z.string().openapi({ example: '1' }) }) },
    responses: { 101: { description: 'Switching protocols' }, ...errorResponses(426) },
  });
}
