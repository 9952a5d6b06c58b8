import { createRoute, z } from '@hono/zod-openapi';

import { AUDIT_TARGET_TYPES } from '@/platform/audit';
import { adminOrderDetail, adminSummary, deleteCategory, listAuditLog, renameCategory, resendUserVerification, searchOrders, searchUsers, unlockUser, type MakeAdminDeps } from '@/admin/service';
import { currentUser, requireAuth } from '@/identity';
import { USER_ROLES } from '@/identity/tables';
import { orderSchema } from '@/orders';
import { ORDER_STATUSES } from '@/orders/tables';
import { paymentSchema } from '@/orders';
import { runAfterResponse } from '@/platform/background';
import { errorResponses } from '@/platform/errors';
import { describeError } from '@/platform/logger';
import { pageQuerySchema } from '@/platform/pagination';
import { envelope, jsonContent, pagedEnvelope } from '@/platform/responses';
import { createRouter } from '@/platform/router';

const tags = ['Admin'];
const security = [{ bearerAuth: [] }];

const dateTime = z.iso.datetime({ offset: true }).openapi({ format: 'date-time' });
/** `from`/`to` accept an ISO date-time or a plain date (UTC midnight). */
const dateParam = (description: string) =>
  z
    .union([dateTime, z.iso.date()])
    .transform((value) => new Date(value.length === 10 ? `${value}T00:00:00Z` : value))
    .optional()
    .openapi({ description, type: 'string' });

const periodSchema = z.object({ orders: z.number().int(), revenue: z.number() });
const summarySchema = z
  .object({
    generatedAt: z.string().openapi({ format: 'date-time' }),
    currency: z.string(),
    periods: z.object({ today: periodSchema, last7Days: periodSchema, last30Days: periodSchema }).openapi({ description: 'UTC calendar days ending today; revenue counts paid orders (CONFIRMED, SHIPPED, DELIVERED)' }),
    daily: z.array(z.object({ date: z.string(), orders: z.number().int(), revenue: z.number() })).openapi({ description: 'The last 30 UTC days, oldest first' }),
    ordersByStatus: z.record(z.enum(ORDER_STATUSES), z.number().int()),
    pendingOlderThan5m: z.number().int(),
    outboxUnpublished: z.number().int(),
    deadLettersWaiting: z.number().int(),
    health: z.object({
      database: z.object({ status: z.enum(['UP', 'DOWN']), latencyMs: z.number() }),
      queue: z.object({ status: z.enum(['UP', 'DOWN']), staleOutboxRows: z.number().int() }),
    }),
  })
  .openapi('AdminSummary');

const auditEntrySchema = z
  .object({
    id: z.number().int(),
    actorId: z.string(),
    actorEmail: z.string(),
    action: z.string(),
    targetType: z.enum(AUDIT_TARGET_TYPES),
    targetId: z.string(),
    before: z.unknown(),
    after: z.unknown(),
    createdAt: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('AuditEntry');

const adminOrderSchema = z
  .object({
    id: z.string(),
    orderNumber: z.string(),
    status: z.enum(ORDER_STATUSES),
    totalAmount: z.number(),
    currency: z.string(),
    itemCount: z.number().int(),
    buyerId: z.string(),
    buyerEmail: z.string().nullable(),
    sellerId: z.string(),
    sellerEmail: z.string().nullable(),
    createdAt: z.string().openapi({ format: 'date-time' }),
    updatedAt: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('AdminOrderSummary');

const historyEntry = z.object({ id: z.number().int(), oldStatus: z.string().nullable(), newStatus: z.string(), reason: z.string().nullable() });
const adminOrderDetailSchema = z
  .object({
    order: orderSchema,
    orderNumber: z.string(),
    buyerEmail: z.string().nullable(),
    sellerEmail: z.string().nullable(),
    history: z.array(historyEntry.extend({ changedBy: z.string(), changedAt: z.string() })),
    payment: paymentSchema.nullable(),
    paymentHistory: z.array(historyEntry.extend({ createdAt: z.string() })),
  })
  .openapi('AdminOrderDetail');

const adminUserSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    firstName: z.string(),
    lastName: z.string(),
    role: z.enum(USER_ROLES),
    isVerified: z.boolean(),
    lockedUntil: z.string().nullable().openapi({ format: 'date-time', description: 'Set while login is locked after failed attempts' }),
    createdAt: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('AdminUser');

const uuidParams = z.object({ id: z.guid().openapi({ param: { name: 'id', in: 'path' } }) });
const categoryParams = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).openapi({ param: { name: 'id', in: 'path' } }) });
const trimmed = (max: number) => z.string().trim().min(1).max(max);

/** The operator console's API: overview, audit log, order and user search, account and category actions. */
export function createAdminRouter(makeDeps: MakeAdminDeps) {
  return createRouter()
    .openapi(
      createRoute({
        method: 'get',
        path: '/api/v1/admin/summary',
        tags,
        security,
        summary: 'Operator overview: orders and revenue, orders by status, saga backlog, health',
        middleware: [requireAuth('admin')] as const,
        responses: { 200: jsonContent(envelope(summarySchema), 'Summary'), ...errorResponses(401, 403) },
      }),
      async (c) => c.json({ success: true as const, data: await adminSummary(makeDeps(c.env, c.get('logger')).db, Boolean(c.env.ORDER_EVENTS)) }, 200),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/api/v1/admin/audit-log',
        tags,
        security,
        summary: 'Every admin action (who, what, when, before/after), newest first',
        middleware: [requireAuth('admin')] as const,
        request: {
          query: pageQuerySchema({ sortFields: ['createdAt'], defaultSort: { field: 'createdAt', direction: 'DESC' } }).extend({
            action: trimmed(64).optional().openapi({ description: 'Exact action, e.g. `user.role_changed`' }),
            actorId: z.guid().optional(),
            targetType: z.enum(AUDIT_TARGET_TYPES).optional(),
            targetId: trimmed(128).optional(),
            from: dateParam('Created at or after'),
            to: dateParam('Created before'),
          }),
        },
        responses: { 200: jsonContent(pagedEnvelope(auditEntrySchema), 'Audit entries'), ...errorResponses(400, 401, 403) },
      }),
      async (c) => c.json({ success: true as const, ...(await listAuditLog(makeDeps(c.env, c.get('logger')).db, c.req.valid('query'))) }, 200),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/api/v1/admin/orders',
        tags,
        security,
        summary: 'Search all orders by number, buyer e-mail, seller, status and creation date',
        description: '`orderNumber` is the full id or its 8-character short form; `seller` is a seller id or e-mail; `from` inclusive, `to` exclusive.',
        middleware: [requireAuth('admin')] as const,
        request: {
          query: pageQuerySchema({ sortFields: ['createdAt', 'totalAmount'], defaultSort: { field: 'createdAt', direction: 'DESC' } }).extend({
            orderNumber: trimmed(64).optional(),
            buyerEmail: trimmed(255).optional(),
            seller: trimmed(255).optional(),
            status: z.enum(ORDER_STATUSES).optional(),
            from: dateParam('Created at or after'),
            to: dateParam('Created before'),
          }),
        },
        responses: { 200: jsonContent(pagedEnvelope(adminOrderSchema), 'Orders'), ...errorResponses(400, 401, 403) },
      }),
      async (c) => c.json({ success: true as const, ...(await searchOrders(makeDeps(c.env, c.get('logger')).db, c.req.valid('query'))) }, 200),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/api/v1/admin/orders/{id}',
        tags,
        security,
        summary: 'One order with buyer and seller e-mail, status timeline, payment and payment history',
        middleware: [requireAuth('admin')] as const,
        request: { params: uuidParams },
        responses: { 200: jsonContent(envelope(adminOrderDetailSchema), 'Order detail'), ...errorResponses(400, 401, 403, 404) },
      }),
      async (c) => c.json({ success: true as const, data: await adminOrderDetail(makeDeps(c.env, c.get('logger')).db, c.req.valid('param').id) }, 200),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/api/v1/admin/users',
        tags,
        security,
        summary: 'Search users by e-mail, name or id; filter by role or state',
        middleware: [requireAuth('admin')] as const,
        request: {
          query: pageQuerySchema({ sortFields: ['createdAt'], defaultSort: { field: 'createdAt', direction: 'DESC' } }).extend({
            q: trimmed(255).optional(),
            role: z.enum(USER_ROLES).optional(),
            state: z.enum(['locked', 'unverified']).optional(),
          }),
        },
        responses: { 200: jsonContent(pagedEnvelope(adminUserSchema), 'Users'), ...errorResponses(400, 401, 403) },
      }),
      async (c) => c.json({ success: true as const, ...(await searchUsers(makeDeps(c.env, c.get('logger')).db, c.req.valid('query'))) }, 200),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/api/v1/admin/users/{id}/unlock',
        tags,
        security,
        summary: 'Clear the login lock and failure counts of an account',
        middleware: [requireAuth('admin')] as const,
        request: { params: uuidParams },
        responses: { 200: jsonContent(envelope(z.object({ unlocked: z.boolean() })), '`unlocked: false` when nothing was recorded'), ...errorResponses(400, 401, 403, 404) },
      }),
      async (c) => c.json({ success: true as const, data: await unlockUser(makeDeps(c.env, c.get('logger')), currentUser(c), c.req.valid('param').id) }, 200),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/api/v1/admin/users/{id}/resend-verification',
        tags,
        security,
        summary: 'Mail a fresh verification code to an unverified account',
        middleware: [requireAuth('admin')] as const,
        request: { params: uuidParams },
        responses: { 200: jsonContent(envelope(z.object({ sent: z.boolean() })), 'Code issued'), ...errorResponses(400, 401, 403, 404, 409) },
      }),
      async (c) => {
        const logger = c.get('logger');
        const deps = makeDeps(c.env, logger);
        const message = await resendUserVerification(deps, currentUser(c), c.req.valid('param').id);
        await runAfterResponse(c, deps.email.send(message).catch((err: unknown) => logger.error('verification email failed', describeError(err))));
        const data = { sent: true };
        return c.json({ success: true as const, data }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'put',
        path: '/api/v1/admin/categories/{id}',
        tags,
        security,
        summary: 'Rename a category (the slug stays, so links keep working)',
        middleware: [requireAuth('admin')] as const,
        request: { params: categoryParams, body: { required: true, content: { 'application/json': { schema: z.object({ name: trimmed(100) }).strict().openapi('RenameCategory') } } } },
        responses: {
          200: jsonContent(envelope(z.object({ id: z.number().int(), name: z.string(), slug: z.string(), parentId: z.number().int().nullable() })), 'Renamed'),
          ...errorResponses(400, 401, 403, 404),
        },
      }),
      async (c) => c.json({ success: true as const, data: await renameCategory(makeDeps(c.env, c.get('logger')), currentUser(c), c.req.valid('param').id, c.req.valid('json').name) }, 200),
    )
    .openapi(
      createRoute({
        method: 'delete',
        path: '/api/v1/admin/categories/{id}',
        tags,
        security,
        summary: 'Delete an empty category (no products, no subcategories)',
        middleware: [requireAuth('admin')] as const,
        request: { params: categoryParams },
        responses: { 204: { description: 'Deleted' }, ...errorResponses(400, 401, 403, 404, 409) },
      }),
      async (c) => {
        await deleteCategory(makeDeps(c.env, c.get('logger')), currentUser(c), c.req.valid('param').id);
        return c.body(null, 204);
      },
    );
}
