import { createRoute, z } from '@hono/zod-openapi';

import { currentUser, requireAuth } from '@/identity';
import { notificationIdParamsSchema, notificationListSchema } from '@/notifications/schema';
import { listNotifications, markAllNotificationsRead, markNotificationRead } from '@/notifications/service';
import type { MakeDbDeps } from '@/platform/db';
import { errorResponses } from '@/platform/errors';
import { envelope, jsonContent } from '@/platform/responses';
import { createRouter } from '@/platform/router';

const tags = ['Notifications'];
const security = [{ bearerAuth: [] }];

/**
 * In-app notifications under `/api/v1/orders/notifications`: literal paths, so they win over the orders router's
 * `/api/v1/orders/{id}` whatever the mounting order (`mountRouters`).
 */
export const createNotificationsRouter = (makeDeps: MakeDbDeps) =>
  createRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/orders/notifications',
      tags,
      security,
      summary: "The caller's unread count and 20 newest notifications",
      middleware: [requireAuth()] as const,
      responses: { 200: jsonContent(envelope(notificationListSchema), 'Notifications'), ...errorResponses(401) },
    }),
    async (c) => c.json({ success: true as const, data: await listNotifications(makeDeps(c.env).db, currentUser(c).id) }, 200),
  )
  .openapi(
    createRoute({
      method: 'put',
      path: '/api/v1/orders/notifications/mark-read',
      tags,
      security,
      summary: "Marks all of the caller's notifications read",
      middleware: [requireAuth()] as const,
      responses: { 200: jsonContent(envelope(z.null()), 'Marked'), ...errorResponses(401) },
    }),
    async (c) => {
      await markAllNotificationsRead(makeDeps(c.env).db, currentUser(c).id);
      return c.json({ success: true as const, data: null }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'put',
      path: '/api/v1/orders/notifications/{id}/read',
      tags,
      security,
      summary: 'Marks one notification read (recipient only)',
      middleware: [requireAuth()] as const,
      request: { params: notificationIdParamsSchema },
      responses: { 200: jsonContent(envelope(z.null()), 'Marked'), ...errorResponses(400, 401, 404) },
    }),
    async (c) => {
      await markNotificationRead(makeDeps(c.env).db, currentUser(c).id, c.req.valid('param').id);
      return c.json({ success: true as const, data: null }, 200);
    },
  );
