import { createRoute, z } from '@hono/zod-openapi';

import { withAdminAudit } from '@/platform/audit';
import { currentUser, requireAuth } from '@/identity';
import type { MakeDbDeps } from '@/platform/db';
import { errorResponses } from '@/platform/errors';
import { envelope, jsonContent } from '@/platform/responses';
import { createRouter } from '@/platform/router';
import { createPromotionSchema, promotionIdParamsSchema, promotionSchema, updatePromotionSchema } from '@/promotions/schema';
import { createPromotion, deletePromotion, getPromotion, listPromotions, updatePromotion } from '@/promotions/service';

const tags = ['Promotions'];
const security = [{ bearerAuth: [] }];
const one = envelope(promotionSchema);

/**
 * The same five routes under `/api/v1/admin/promotions` (platform-funded, every promotion) and
 * `/api/v1/sellers/me/promotions` (seller-funded, the caller's own products only). Pause = `PATCH {"active": false}`.
 */
function promotionRoutes(makeDeps: MakeDbDeps, base: string, role: 'admin' | 'seller', who: string) {
  const auth = [requireAuth(role)];
  return createRouter()
    .openapi(
      createRoute({ method: 'get', path: base, tags, security, summary: `${who} promotions, newest first, with their usage`, middleware: auth, responses: { 200: jsonContent(envelope(z.array(promotionSchema)), 'Promotions'), ...errorResponses(401, 403) } }),
      async (c) => c.json({ success: true as const, data: await listPromotions(makeDeps(c.env).db, currentUser(c)) }, 200),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: base,
        tags,
        security,
        summary: `Create a promotion (${role === 'admin' ? 'platform-funded' : 'seller-funded, on your own products only'}); no code = automatic`,
        middleware: auth,
        request: { body: { content: { 'application/json': { schema: createPromotionSchema } }, required: true } },
        responses: { 201: jsonContent(one, 'Created'), ...errorResponses(400, 401, 403, 404, 409) },
      }),
      async (c) => {
        const user = currentUser(c);
        const data = await withAdminAudit(makeDeps(c.env), user, { action: 'promotion.created', targetType: 'promotion', targetId: (p: { id: string }) => p.id }, (q) => createPromotion(q, user, c.req.valid('json')));
        return c.json({ success: true as const, data }, 201);
      },
    )
    .openapi(
      createRoute({ method: 'get', path: `${base}/{id}`, tags, security, summary: 'One promotion with its usage', middleware: auth, request: { params: promotionIdParamsSchema }, responses: { 200: jsonContent(one, 'Promotion'), ...errorResponses(400, 401, 403, 404) } }),
      async (c) => c.json({ success: true as const, data: await getPromotion(makeDeps(c.env).db, currentUser(c), c.req.valid('param').id) }, 200),
    )
    .openapi(
      createRoute({
        method: 'patch',
        path: `${base}/{id}`,
        tags,
        security,
        summary: 'Change name, window, limits or minimum; `{"active": false}` pauses it (what it takes off never changes)',
        middleware: auth,
        request: { params: promotionIdParamsSchema, body: { content: { 'application/json': { schema: updatePromotionSchema } }, required: true } },
        responses: { 200: jsonContent(one, 'Updated'), ...errorResponses(400, 401, 403, 404, 409) },
      }),
      async (c) => {
        const user = currentUser(c);
        const { id } = c.req.valid('param');
        const data = await withAdminAudit(makeDeps(c.env), user, { action: 'promotion.updated', targetType: 'promotion', targetId: id }, (q) => updatePromotion(q, user, id, c.req.valid('json')));
        return c.json({ success: true as const, data }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'delete',
        path: `${base}/{id}`,
        tags,
        security,
        summary: 'Delete a promotion never used (409 PROMOTION_IN_USE otherwise: pause it)',
        middleware: auth,
        request: { params: promotionIdParamsSchema },
        responses: { 204: { description: 'Deleted' }, ...errorResponses(400, 401, 403, 404, 409) },
      }),
      async (c) => {
        const user = currentUser(c);
        const { id } = c.req.valid('param');
        await withAdminAudit(makeDeps(c.env), user, { action: 'promotion.deleted', targetType: 'promotion', targetId: id }, (q) => deletePromotion(q, user, id));
        return c.body(null, 204);
      },
    );
}

export const createPromotionsRouter = (makeDeps: MakeDbDeps) =>
  createRouter()
    .route('/', promotionRoutes(makeDeps, '/api/v1/admin/promotions', 'admin', 'Every'))
    .route('/', promotionRoutes(makeDeps, '/api/v1/sellers/me/promotions', 'seller', "The calling seller's"));
