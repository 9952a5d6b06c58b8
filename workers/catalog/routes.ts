import { createRoute, z } from '@hono/zod-openapi';

import { createCategory, getCategoryBySlug, listCategories } from '@/catalog/category-service';
import { categoryListQuerySchema, categorySchema, categorySlugParamSchema, createCategorySchema } from '@/catalog/schema';
import { requireAuth } from '@/identity/auth';
import { createDb } from '@/platform/db';
import { errorResponses } from '@/platform/errors';
import { envelope, jsonContent } from '@/platform/responses';
import { createRouter } from '@/platform/router';

const bearer = [{ bearerAuth: [] }];

/** Categories: public reads, seller/admin creation. */
export const categoriesRouter = createRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/categories',
      tags: ['Categories'],
      summary: 'List categories (optionally by name)',
      request: { query: categoryListQuerySchema },
      responses: { 200: jsonContent(envelope(z.array(categorySchema)), 'Categories by sort order'), ...errorResponses(400) },
    }),
    async (c) => c.json({ success: true as const, data: await listCategories(createDb(c.env), c.req.valid('query').q) }, 200),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/categories/{slug}',
      tags: ['Categories'],
      summary: 'One category by slug',
      request: { params: categorySlugParamSchema },
      responses: { 200: jsonContent(envelope(categorySchema), 'The category'), ...errorResponses(400, 404) },
    }),
    async (c) => c.json({ success: true as const, data: await getCategoryBySlug(createDb(c.env), c.req.valid('param').slug) }, 200),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/categories',
      tags: ['Categories'],
      summary: 'Create a category (seller or admin)',
      security: bearer,
      middleware: [requireAuth('seller', 'admin')] as const,
      request: { body: { content: { 'application/json': { schema: createCategorySchema } }, required: true } },
      responses: { 201: jsonContent(envelope(categorySchema), 'Created'), ...errorResponses(400, 401, 403) },
    }),
    async (c) => c.json({ success: true as const, data: await createCategory(createDb(c.env), c.req.valid('json')) }, 201),
  );
