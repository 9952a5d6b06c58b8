import { createRoute, z } from '@hono/zod-openapi';

import { getConfig } from '@/env';
import { currentSessionVersion, currentUser, requireAuth } from '@/identity';
import { liveStub } from '@/live';
import { LIVE_CLOSE, LIVE_TICKET_PATTERN, originAllowed, refuseSocket } from '@/live/protocol';
import { AppError, errorResponses } from '@/platform/errors';
import { envelope, jsonContent } from '@/platform/responses';
import { createRouter } from '@/platform/router';

const tags = ['Live'];

const ticketSchema = z
  .object({
    ticket: z.string().openapi({ description: 'One-time, valid for 30 s: pass it as `?ticket=` to `GET /api/v1/live`' }),
    expiresAt: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('LiveTicket');

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
  });

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
