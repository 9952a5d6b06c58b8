import { createRoute, z } from '@hono/zod-openapi';

import { withAdminAudit } from '@/platform/audit';
import { currentUser, requireAuth } from '@/identity';
import type { MakeDbDeps } from '@/platform/db';
import { errorResponses } from '@/platform/errors';
import { envelope, jsonContent } from '@/platform/responses';
import { createRouter } from '@/platform/router';
import { createTaxRate, createTaxRateSchema, deleteTaxRate, listTaxRates, taxRateSchema, updateTaxRate, updateTaxRateSchema } from '@/tax/service';

const tags = ['Tax'];
const security = [{ bearerAuth: [] }];
const auth = [requireAuth('admin')];
const idParams = z.object({ id: z.guid().openapi({ param: { name: 'id', in: 'path' } }) });

/** `/api/v1/admin/tax-rates`: the rates the `table` tax calculator uses (docs/decisions/promotions.md). */
export const createTaxRouter = (makeDeps: MakeDbDeps) =>
  createRouter()
  .openapi(
    createRoute({ method: 'get', path: '/api/v1/admin/tax-rates', tags, security, summary: 'Every tax rate (admin)', middleware: auth, responses: { 200: jsonContent(envelope(z.array(taxRateSchema)), 'Rates'), ...errorResponses(401, 403) } }),
    async (c) => c.json({ success: true as const, data: await listTaxRates(makeDeps(c.env).db) }, 200),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/admin/tax-rates',
      tags,
      security,
      summary: 'Add a rate: a country default, a region, a per-category override or a shipping rate (admin)',
      middleware: auth,
      request: { body: { content: { 'application/json': { schema: createTaxRateSchema } }, required: true } },
      responses: { 201: jsonContent(envelope(taxRateSchema), 'Created'), ...errorResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => c.json({ success: true as const, data: await withAdminAudit(makeDeps(c.env), currentUser(c), { action: 'tax_rate.created', targetType: 'tax_rate', targetId: (r: { id: string }) => r.id }, (q) => createTaxRate(q, c.req.valid('json'))) }, 201),
  )
  .openapi(
    createRoute({
      method: 'patch',
      path: '/api/v1/admin/tax-rates/{id}',
      tags,
      security,
      summary: 'Change a rate (admin); placed orders keep the tax they were charged',
      middleware: auth,
      request: { params: idParams, body: { content: { 'application/json': { schema: updateTaxRateSchema } }, required: true } },
      responses: { 200: jsonContent(envelope(taxRateSchema), 'Updated'), ...errorResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      return c.json({ success: true as const, data: await withAdminAudit(makeDeps(c.env), currentUser(c), { action: 'tax_rate.updated', targetType: 'tax_rate', targetId: id }, (q) => updateTaxRate(q, id, c.req.valid('json'))) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/api/v1/admin/tax-rates/{id}',
      tags,
      security,
      summary: 'Remove a rate (admin)',
      middleware: auth,
      request: { params: idParams },
      responses: { 204: { description: 'Deleted' }, ...errorResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      await withAdminAudit(makeDeps(c.env), currentUser(c), { action: 'tax_rate.deleted', targetType: 'tax_rate', targetId: id }, (q) => deleteTaxRate(q, id));
      return c.body(null, 204);
    },
  );
