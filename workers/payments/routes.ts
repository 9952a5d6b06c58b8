import { createRoute } from '@hono/zod-openapi';

import type { AppEnv } from '@/env';
import { currentUser, requireAuth } from '@/identity';
import { idempotencyHeaderSchema } from '@/orders';
import { createPaymentSchema, paymentIdParamsSchema, paymentListQuerySchema, paymentOrderParamsSchema, paymentSchema } from '@/payments/schema';
import { getPayment, getPaymentForOrder, listUserPayments } from '@/payments/records';
import { createManualPayment, type PaymentDeps } from '@/payments/service';
import { errorResponses } from '@/platform/errors';
import { parseIdempotencyKey, withIdempotencyKey } from '@/platform/idempotency';
import type { Logger } from '@/platform/logger';
import { envelope, jsonContent, pagedEnvelope } from '@/platform/responses';
import { createRouter } from '@/platform/router';

const tags = ['Payments'];
const security = [{ bearerAuth: [] }];

export type MakePaymentDeps = (env: AppEnv, logger: Logger) => PaymentDeps;

/** `/api/v1/payments`: reads for owners/admins; the manual charge is admin-only. */
export function createPaymentsRouter(makeDeps: MakePaymentDeps) {
  return createRouter()
    .openapi(
      createRoute({
        method: 'get',
        path: '/api/v1/payments',
        tags,
        security,
        summary: "The caller's payments, newest first",
        middleware: [requireAuth()] as const,
        request: { query: paymentListQuerySchema },
        responses: { 200: jsonContent(pagedEnvelope(paymentSchema), 'Payments'), ...errorResponses(400, 401) },
      }),
      async (c) => c.json({ success: true as const, ...(await listUserPayments(makeDeps(c.env, c.get('logger')).db, currentUser(c).id, c.req.valid('query'))) }, 200),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/api/v1/payments/order/{orderId}',
        tags,
        security,
        summary: "The order's payment (buyer or admin); 404 until the saga has created it",
        middleware: [requireAuth()] as const,
        request: { params: paymentOrderParamsSchema },
        responses: { 200: jsonContent(envelope(paymentSchema), 'Payment'), ...errorResponses(400, 401, 403, 404) },
      }),
      async (c) => c.json({ success: true as const, data: await getPaymentForOrder(makeDeps(c.env, c.get('logger')).db, currentUser(c), c.req.valid('param').orderId) }, 200),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/api/v1/payments/{id}',
        tags,
        security,
        summary: 'One payment (owner or admin)',
        middleware: [requireAuth()] as const,
        request: { params: paymentIdParamsSchema },
        responses: { 200: jsonContent(envelope(paymentSchema), 'Payment'), ...errorResponses(400, 401, 403, 404) },
      }),
      async (c) => c.json({ success: true as const, data: await getPayment(makeDeps(c.env, c.get('logger')).db, currentUser(c), c.req.valid('param').id) }, 200),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/api/v1/payments',
        tags,
        security,
        summary: 'Manually charge a PENDING order (admin only); the amount must equal the order total',
        middleware: [requireAuth('admin')] as const,
        request: { headers: idempotencyHeaderSchema, body: { content: { 'application/json': { schema: createPaymentSchema } }, required: true } },
        responses: { 201: jsonContent(envelope(paymentSchema), 'Payment created and charged'), ...errorResponses(400, 401, 403, 404, 409, 422, 504) },
      }),
      async (c) => {
        const user = currentUser(c);
        const input = c.req.valid('json');
        const key = parseIdempotencyKey(c.req.header('idempotency-key'));
        const deps = makeDeps(c.env, c.get('logger'));
        const result = await withIdempotencyKey(deps.db, { userId: user.id, scope: 'payments.create', key, body: input }, async () => ({
          status: 201,
          body: { success: true as const, data: await createManualPayment(deps, input, c.get('correlationId'), user) },
        }));
        if (result.replayed) c.header('Idempotent-Replayed', 'true');
        return c.json(result.body, 201);
      },
    );
}
