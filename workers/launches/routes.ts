import { createRoute, z } from '@hono/zod-openapi';

import { productIdParamSchema } from '@/catalog';
import { currentUser, requireAuth } from '@/identity';
import { joinLineSchema, launchSchema, putLaunchSchema, ticketSchema } from '@/launches/schema';
import { deleteLaunch, getLaunch, getTicket, joinLine, putLaunch, type LaunchDeps } from '@/launches/service';
import type { AppEnv } from '@/env';
import { addressTag } from '@/platform/client-address';
import { errorResponses } from '@/platform/errors';
import { clientIp } from '@/platform/middleware';
import { emptyJsonBodyIsEmpty } from '@/platform/optional-body';
import { envelope, jsonContent } from '@/platform/responses';
import { createRouter } from '@/platform/router';

const tags = ['Launches'];
const security = [{ bearerAuth: [] }];
const ticketEnvelope = envelope(ticketSchema);

/** Product launches and their waiting rooms (docs/decisions/flash-sales.md, "Waiting room"), with the collaborators `makeDeps` builds (the composition root's `launchDepsFromEnv`). */
export const createLaunchesRouter = (makeDeps: (env: AppEnv) => LaunchDeps) =>
  createRouter()
    .openapi(
      createRoute({
        method: 'get',
        path: '/api/v1/products/{id}/launch',
        tags,
        summary: "The product's launch unless it ended (null when it has none): buying it needs an admission from its waiting room",
        request: { params: productIdParamSchema },
        responses: { 200: jsonContent(envelope(z.union([launchSchema, z.null()])), 'The launch, or null'), ...errorResponses(400, 503) },
      }),
      async (c) => c.json({ success: true as const, data: await getLaunch(makeDeps(c.env), c.req.valid('param').id) }, 200),
    )
    .openapi(
      createRoute({
        method: 'put',
        path: '/api/v1/products/{id}/launch',
        tags,
        security,
        summary: 'Mark a product as a launch, or change its launch (its seller or an admin); the line is kept',
        middleware: [requireAuth('seller', 'admin')] as const,
        request: { params: productIdParamSchema, body: { content: { 'application/json': { schema: putLaunchSchema } }, required: true } },
        responses: { 200: jsonContent(envelope(launchSchema), 'The launch'), ...errorResponses(400, 401, 403, 404, 503) },
      }),
      async (c) => c.json({ success: true as const, data: await putLaunch(makeDeps(c.env), currentUser(c), c.req.valid('param').id, c.req.valid('json')) }, 200),
    )
    .openapi(
      createRoute({
        method: 'delete',
        path: '/api/v1/products/{id}/launch',
        tags,
        security,
        summary: 'End the launch now (its seller or an admin): the product sells without admissions again',
        middleware: [requireAuth('seller', 'admin')] as const,
        request: { params: productIdParamSchema },
        responses: { 204: { description: 'Ended' }, ...errorResponses(400, 401, 403, 404) },
      }),
      async (c) => {
        await deleteLaunch(makeDeps(c.env), currentUser(c), c.req.valid('param').id);
        return c.body(null, 204);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/api/v1/products/{id}/waiting-room/ticket',
        tags,
        security,
        summary: "Join the launch's line, or get the place the caller already holds (one per account)",
        description:
          'First come, first admitted. 201 for a new place, 200 for the one already held (a reload keeps it). 429 `TOO_MANY_TICKETS` when the client address holds the launch\'s `perClientLimit` live places; 403 `BOT_CHECK_FAILED` when `launch.botCheck` asks for a `turnstileToken` and it does not pass.',
        middleware: [requireAuth('customer', 'seller'), emptyJsonBodyIsEmpty()] as const,
        request: { params: productIdParamSchema, body: { content: { 'application/json': { schema: joinLineSchema } }, required: false } },
        responses: {
          200: jsonContent(ticketEnvelope, 'The place already held'),
          201: jsonContent(ticketEnvelope, 'A new place at the end of the line'),
          ...errorResponses(400, 401, 403, 404, 415, 429, 503),
        },
      }),
      async (c) => {
        const ip = clientIp((name) => c.req.header(name));
        const { ticket, created } = await joinLine(makeDeps(c.env), currentUser(c), c.req.valid('param').id, { key: await addressTag('waiting-room', ip), ip }, c.req.valid('json').turnstileToken);
        return created ? c.json({ success: true as const, data: ticket }, 201) : c.json({ success: true as const, data: ticket }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/api/v1/products/{id}/waiting-room/ticket',
        tags,
        security,
        summary: "The caller's place: position, people ahead, estimated wait; once admitted, the admission to buy with",
        middleware: [requireAuth()] as const,
        request: { params: productIdParamSchema },
        responses: { 200: jsonContent(ticketEnvelope, 'The place'), ...errorResponses(400, 401, 404) },
      }),
      async (c) => c.json({ success: true as const, data: await getTicket(makeDeps(c.env), currentUser(c), c.req.valid('param').id) }, 200),
    );
