import { createRoute, z } from '@hono/zod-openapi';

import { withAdminAudit } from '@/platform/audit';
import { createCategory, getCategoryBySlug, listCategories } from '@/catalog/category-service';
import { enqueueEmbedding } from '@/catalog/embedding-jobs';
import {
  assertProductVisible,
  createProduct,
  deleteProduct,
  getProductDetail,
  listProducts,
  listRelatedProducts,
  updateProduct,
  type MakeCatalogDeps,
} from '@/catalog/product-service';
import {
  categoryListQuerySchema,
  categorySchema,
  categorySlugParamSchema,
  createCategorySchema,
  createProductSchema,
  inventoryParamSchema,
  inventorySchema,
  productDetailSchema,
  productIdParamSchema,
  productListQuerySchema,
  relatedQuerySchema,
  updateProductSchema,
} from '@/catalog/schema';
import { stockSnapshot } from '@/catalog/stock';
import { cachedCatalogRead, queryKey } from '@/catalog/read-cache';
import { productSummarySchema } from '@/catalog/summary';
import { currentUser, optionalAuth, requireAuth } from '@/identity';
import type { MakeDbDeps } from '@/platform/db';
import { errorResponses } from '@/platform/errors';
import { limitedProducer } from '@/platform/middleware';
import { envelope, jsonContent, pagedEnvelope } from '@/platform/responses';
import { runAfterResponse } from '@/platform/background';
import { createRouter } from '@/platform/router';

const bearer = [{ bearerAuth: [] }];

/** Categories: public reads, seller/admin creation. */
export const createCategoriesRouter = (makeDeps: MakeDbDeps) =>
  createRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/categories',
      tags: ['Categories'],
      summary: 'List categories (optionally by name)',
      request: { query: categoryListQuerySchema },
      responses: { 200: jsonContent(envelope(z.array(categorySchema)), 'Categories by sort order'), ...errorResponses(400) },
    }),
    async (c) => c.json({ success: true as const, data: await listCategories(makeDeps(c.env).db, c.req.valid('query').q) }, 200),
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
    async (c) => c.json({ success: true as const, data: await getCategoryBySlug(makeDeps(c.env).db, c.req.valid('param').slug) }, 200),
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
    async (c) => {
      const user = currentUser(c);
      const input = c.req.valid('json');
      // An admin's creation commits with its audit record; a seller's is a plain insert.
      const category = await withAdminAudit(makeDeps(c.env), user, { action: 'category.created', targetType: 'category', targetId: (created: { id: number }) => String(created.id) }, (q) => createCategory(q, input));
      return c.json({ success: true as const, data: category }, 201);
    },
  );

/**
 * Products (public reads). `{id}` must be a positive integer; the literal `/products/search`, `/suggest` and
 * `/ai-search` of the search router win over it whatever the mounting order (`mountRouters`).
 */
export const createProductsRouter = (makeDeps: MakeCatalogDeps) =>
  createRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/products',
      tags: ['Products'],
      summary: 'List products',
      description: 'Filters combine with AND. `categoryId` includes child categories. Non-ACTIVE `status` (or `ALL`) needs `sellerId` = the caller, or an admin.',
      middleware: [optionalAuth()] as const,
      request: { query: productListQuerySchema },
      responses: { 200: jsonContent(pagedEnvelope(productSummarySchema), 'A page of product summaries'), ...errorResponses(400, 403) },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const { value, cache } = await cachedCatalogRead(c.get('user'), `/products?${queryKey(query)}`, limitedProducer(c, () => listProducts(makeDeps(c.env).db, c.get('user'), query)));
      c.header('x-cache', cache.toUpperCase());
      return c.json({ success: true as const, data: value.items, meta: value.meta }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/products/{id}',
      tags: ['Products'],
      summary: 'Product detail',
      description: 'ACTIVE products for everyone; the owning seller and admins also see INACTIVE and DELETED ones.',
      middleware: [optionalAuth()] as const,
      request: { params: productIdParamSchema },
      responses: { 200: jsonContent(envelope(productDetailSchema), 'The product'), ...errorResponses(400, 404) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const { value, cache } = await cachedCatalogRead(c.get('user'), `/products/${id}`, limitedProducer(c, () => getProductDetail(makeDeps(c.env).db, c.get('user'), id)));
      c.header('x-cache', cache.toUpperCase());
      return c.json({ success: true as const, data: value }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/products/{id}/related',
      tags: ['Products'],
      summary: 'Other ACTIVE products of the same category',
      middleware: [optionalAuth()] as const,
      request: { params: productIdParamSchema, query: relatedQuerySchema },
      responses: { 200: jsonContent(pagedEnvelope(productSummarySchema), 'A page of related products'), ...errorResponses(400, 404) },
    }),
    async (c) => {
      const { items, meta } = await listRelatedProducts(makeDeps(c.env).db, c.get('user'), c.req.valid('param').id, c.req.valid('query'));
      return c.json({ success: true as const, data: items, meta }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/products',
      tags: ['Products'],
      summary: 'List a new product (seller)',
      security: bearer,
      middleware: [requireAuth('seller')] as const,
      request: { body: { content: { 'application/json': { schema: createProductSchema } }, required: true } },
      responses: { 201: jsonContent(envelope(productDetailSchema), 'Created, ACTIVE'), ...errorResponses(400, 401, 403) },
    }),
    async (c) => {
      const deps = makeDeps(c.env);
      const product = await createProduct(deps, currentUser(c), c.req.valid('json'));
      void runAfterResponse(c, enqueueEmbedding(deps.embeddingJobs, product.id));
      return c.json({ success: true as const, data: product }, 201);
    },
  )
  .openapi(
    createRoute({
      method: 'put',
      path: '/api/v1/products/{id}',
      tags: ['Products'],
      summary: 'Edit a product (owner or admin)',
      description: 'Partial update. Send `version` for an optimistic check. Restock with `stockDelta`; an absolute `stockQuantity` may not go below the reserved units.',
      security: bearer,
      middleware: [requireAuth('seller', 'admin')] as const,
      request: { params: productIdParamSchema, body: { content: { 'application/json': { schema: updateProductSchema } }, required: true } },
      responses: { 200: jsonContent(envelope(productDetailSchema), 'Updated'), ...errorResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const deps = makeDeps(c.env);
      const { product, textChanged } = await updateProduct(deps, currentUser(c), id, c.req.valid('json'));
      if (textChanged) void runAfterResponse(c, enqueueEmbedding(deps.embeddingJobs, id));
      return c.json({ success: true as const, data: product }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/api/v1/products/{id}',
      tags: ['Products'],
      summary: 'Soft-delete a product (owner or admin)',
      security: bearer,
      middleware: [requireAuth('seller', 'admin')] as const,
      request: { params: productIdParamSchema },
      responses: { 204: { description: 'Deleted (status DELETED)' }, ...errorResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      await deleteProduct(makeDeps(c.env), currentUser(c), c.req.valid('param').id);
      return c.body(null, 204);
    },
  );

/**
 * Stock counts, answered by the product's StockDO, with the visibility rule of the product detail: ACTIVE
 * products for everyone, hidden ones for their seller and admins. The row is checked first, so an unknown or
 * hidden id never reaches (or creates) a StockDO.
 */
export const createInventoryRouter = (makeDeps: MakeCatalogDeps) =>
  createRouter().openapi(
  createRoute({
    method: 'get',
    path: '/api/v1/inventory/{productId}',
    tags: ['Inventory'],
    summary: 'Stock of one product',
    description: 'ACTIVE products for everyone; the owning seller and admins also see INACTIVE and DELETED ones (others get 404).',
    middleware: [optionalAuth()] as const,
    request: { params: inventoryParamSchema },
    responses: { 200: jsonContent(envelope(inventorySchema), 'Current stock'), ...errorResponses(400, 404) },
  }),
  async (c) => {
    const productId = c.req.valid('param').productId;
    const { db, stock } = makeDeps(c.env);
    await assertProductVisible(db, c.get('user'), productId);
    const snapshot = await stockSnapshot(stock, productId);
    const data = { productId: snapshot.productId, stockQuantity: snapshot.onHand, stockReserved: snapshot.reserved, availableStock: snapshot.available };
    return c.json({ success: true as const, data }, 200);
  },
);
