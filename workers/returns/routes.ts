import { createRoute, z } from '@hono/zod-openapi';

import type { AppEnv } from '@/env';
import { currentUser, requireAuth } from '@/identity';
import { orderIdParamsSchema } from '@/orders';
import { errorResponses } from '@/platform/errors';
import type { Logger } from '@/platform/logger';
import { emptyJsonBodyIsEmpty } from '@/platform/optional-body';
import { envelope, jsonContent, pagedEnvelope } from '@/platform/responses';
import { createRouter } from '@/platform/router';
import { createReturnSchema, receiveReturnSchema, returnPolicySchema, returnDecisionSchema, returnIdParamsSchema, returnListItemSchema, returnListQuerySchema, returnSchema } from '@/returns/schema';
import { decideReturn, getReturn, getReturnPolicy, listOrderReturns, listReturns, markReturnSent, receiveReturn, requestReturn, setReturnPolicy, type ReturnDeps } from '@/returns/service';

const tags = ['Returns'];
const security = [{ bearerAuth: [] }];
const returnEnvelope = envelope(returnSchema);

export type MakeReturnDeps = (env: AppEnv, logger: Logger) => ReturnDeps;

const decisionRoute = (action: 'approve' | 'reject') =>
  createRoute({
    method: 'post',
    path: `/api/v1/returns/{id}/${action}`,
    tags,
    security,
    summary: `${action === 'approve' ? 'Approve' : 'Reject'} a REQUESTED return (the order's seller or an admin), with an optional note the buyer sees`,
    middleware: [requireAuth('seller', 'admin'), emptyJsonBodyIsEmpty()] as const,
    request: { params: returnIdParamsSchema, body: { content: { 'application/json': { schema: returnDecisionSchema } }, required: false } },
    responses: { 200: jsonContent(returnEnvelope, action === 'approve' ? 'Approved' : 'Rejected'), ...errorResponses(400, 401, 403, 404, 409, 415) },
  });

/**
 * Returns and refunds (docs/decisions/returns.md): the buyer asks (`POST /orders/{id}/returns`) and ships it back
 * (`…/sent`); the seller approves or rejects and marks it received, which refunds it through the order's payment.
 */
export function createReturnsRouter(makeDeps: MakeReturnDeps) {
  return createRouter()
    .openapi(
      createRoute({
        method: 'post',
        path: '/api/v1/orders/{id}/returns',
        tags,
        security,
        summary: 'Ask to return some lines of a DELIVERED order within the seller\u2019s return window (the buyer)',
        middleware: [requireAuth('customer', 'seller')] as const,
        request: { params: orderIdParamsSchema, body: { content: { 'application/json': { schema: createReturnSchema } }, required: true } },
        responses: { 201: jsonContent(returnEnvelope, 'Return requested'), ...errorResponses(400, 401, 403, 404, 409, 422) },
      }),
      async (c) => c.json({ success: true as const, data: await requestReturn(makeDeps(c.env, c.get('logger')), currentUser(c), c.req.valid('param').id, c.req.valid('json')) }, 201),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/api/v1/orders/{id}/returns',
        tags,
        security,
        summary: "The order's returns with their lines and history (its buyer, its seller or an admin)",
        middleware: [requireAuth()] as const,
        request: { params: orderIdParamsSchema },
        responses: { 200: jsonContent(envelope(z.array(returnSchema)), 'Returns, oldest first'), ...errorResponses(400, 401, 403, 404) },
      }),
      async (c) => c.json({ success: true as const, data: await listOrderReturns(makeDeps(c.env, c.get('logger')).db, currentUser(c), c.req.valid('param').id) }, 200),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/api/v1/returns',
        tags,
        security,
        summary: "The caller's returns as a buyer, newest first",
        middleware: [requireAuth()] as const,
        request: { query: returnListQuerySchema },
        responses: { 200: jsonContent(pagedEnvelope(returnListItemSchema), 'Returns'), ...errorResponses(400, 401) },
      }),
      async (c) => c.json({ success: true as const, ...(await listReturns(makeDeps(c.env, c.get('logger')).db, 'buyerId', currentUser(c).id, c.req.valid('query'))) }, 200),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/api/v1/returns/seller',
        tags,
        security,
        summary: 'Returns of orders placed with the calling seller, newest first',
        middleware: [requireAuth('seller', 'admin')] as const,
        request: { query: returnListQuerySchema },
        responses: { 200: jsonContent(pagedEnvelope(returnListItemSchema), 'Returns'), ...errorResponses(400, 401, 403) },
      }),
      async (c) => c.json({ success: true as const, ...(await listReturns(makeDeps(c.env, c.get('logger')).db, 'sellerId', currentUser(c).id, c.req.valid('query'))) }, 200),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/api/v1/sellers/me/return-policy',
        tags,
        security,
        summary: "The calling seller's return window (days after delivery; 30 unless set)",
        middleware: [requireAuth('seller')] as const,
        responses: { 200: jsonContent(envelope(returnPolicySchema), 'Return policy'), ...errorResponses(401, 403) },
      }),
      async (c) => c.json({ success: true as const, data: await getReturnPolicy(makeDeps(c.env, c.get('logger')).db, currentUser(c).id) }, 200),
    )
    .openapi(
      createRoute({
        method: 'put',
        path: '/api/v1/sellers/me/return-policy',
        tags,
        security,
        summary: "Set the calling seller's return window (0–365 days; 0 accepts no returns)",
        middleware: [requireAuth('seller')] as const,
        request: { body: { content: { 'application/json': { schema: returnPolicySchema } }, required: true } },
        responses: { 200: jsonContent(envelope(returnPolicySchema), 'Saved'), ...errorResponses(400, 401, 403, 415) },
      }),
      async (c) => c.json({ success: true as const, data: await setReturnPolicy(makeDeps(c.env, c.get('logger')).db, currentUser(c).id, c.req.valid('json')) }, 200),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/api/v1/returns/{id}',
        tags,
        security,
        summary: 'One return with its lines and history (its buyer, its seller or an admin)',
        middleware: [requireAuth()] as const,
        request: { params: returnIdParamsSchema },
        responses: { 200: jsonContent(returnEnvelope, 'Return'), ...errorResponses(400, 401, 403, 404) },
      }),
      async (c) => c.json({ success: true as const, data: await getReturn(makeDeps(c.env, c.get('logger')).db, currentUser(c), c.req.valid('param').id) }, 200),
    )
    .openapi(decisionRoute('approve'), async (c) =>
      c.json({ success: true as const, data: await decideReturn(makeDeps(c.env, c.get('logger')), currentUser(c), c.req.valid('param').id, 'APPROVED', c.req.valid('json').note) }, 200),
    )
    .openapi(decisionRoute('reject'), async (c) =>
      c.json({ success: true as const, data: await decideReturn(makeDeps(c.env, c.get('logger')), currentUser(c), c.req.valid('param').id, 'REJECTED', c.req.valid('json').note) }, 200),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/api/v1/returns/{id}/sent',
        tags,
        security,
        summary: 'The buyer has sent the items of an APPROVED return back',
        middleware: [requireAuth()] as const,
        request: { params: returnIdParamsSchema },
        responses: { 200: jsonContent(returnEnvelope, 'Sent'), ...errorResponses(400, 401, 403, 404, 409) },
      }),
      async (c) => c.json({ success: true as const, data: await markReturnSent(makeDeps(c.env, c.get('logger')), currentUser(c), c.req.valid('param').id) }, 200),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/api/v1/returns/{id}/received',
        tags,
        security,
        summary: 'The seller received a SENT return: the refund goes back through the payment (once), optionally restocked',
        description:
          'Optional JSON body `{"restock": true, "note": "…"}`. Calling it again on a RECEIVED or REFUNDED return finishes a refund or restock that did not complete and never refunds twice.',
        middleware: [requireAuth('seller', 'admin'), emptyJsonBodyIsEmpty()] as const,
        request: { params: returnIdParamsSchema, body: { content: { 'application/json': { schema: receiveReturnSchema } }, required: false } },
        responses: { 200: jsonContent(returnEnvelope, 'Received and refunded'), ...errorResponses(400, 401, 403, 404, 409, 415, 503), 504: { description: 'The payment gateway did not answer; call again' } },
      }),
      async (c) => c.json({ success: true as const, data: await receiveReturn(makeDeps(c.env, c.get('logger')), currentUser(c), c.req.valid('param').id, c.req.valid('json')) }, 200),
    );
}
