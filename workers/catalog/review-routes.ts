import { createRoute } from '@hono/zod-openapi';

import { createReview, findReviewByOrderItem, listReviews, updateReview, type MakeReviewDeps } from '@/catalog/review-service';
import {
  createReviewSchema,
  orderItemReviewParamSchema,
  productReviewsParamSchema,
  publicReviewSchema,
  reviewListQuerySchema,
  reviewParamSchema,
  reviewSchema,
  updateReviewSchema,
} from '@/catalog/schema';
import { currentUser, requireAuth } from '@/identity';
import { errorResponses } from '@/platform/errors';
import { envelope, jsonContent, pagedEnvelope } from '@/platform/responses';
import { createRouter } from '@/platform/router';

const bearer = [{ bearerAuth: [] }];

/** Product reviews: public list, verified-purchase writes by the author, with what `makeDeps` builds (the composition root's `reviewDepsFromEnv`). */
export const createReviewsRouter = (makeDeps: MakeReviewDeps) =>
  createRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/products/{productId}/reviews',
      tags: ['Reviews'],
      summary: 'Reviews of a product (newest first)',
      request: { params: productReviewsParamSchema, query: reviewListQuerySchema },
      responses: { 200: jsonContent(pagedEnvelope(publicReviewSchema), 'A page of reviews (authors by display name)'), ...errorResponses(400) },
    }),
    async (c) => {
      const { items, meta } = await listReviews(makeDeps(c.env).db, c.req.valid('param').productId, c.req.valid('query'));
      return c.json({ success: true as const, data: items, meta }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/products/{productId}/reviews',
      tags: ['Reviews'],
      summary: 'Review a delivered purchase',
      security: bearer,
      middleware: [requireAuth()] as const,
      request: { params: productReviewsParamSchema, body: { content: { 'application/json': { schema: createReviewSchema } }, required: true } },
      responses: { 201: jsonContent(envelope(reviewSchema), 'Created'), ...errorResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => c.json({ success: true as const, data: await createReview(makeDeps(c.env), currentUser(c), c.req.valid('param').productId, c.req.valid('json')) }, 201),
  )
  .openapi(
    createRoute({
      method: 'put',
      path: '/api/v1/products/{productId}/reviews/{reviewId}',
      tags: ['Reviews'],
      summary: 'Edit your review',
      security: bearer,
      middleware: [requireAuth()] as const,
      request: { params: reviewParamSchema, body: { content: { 'application/json': { schema: updateReviewSchema } }, required: true } },
      responses: { 200: jsonContent(envelope(reviewSchema), 'Updated'), ...errorResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      const { productId, reviewId } = c.req.valid('param');
      return c.json({ success: true as const, data: await updateReview(makeDeps(c.env), currentUser(c), productId, reviewId, c.req.valid('json')) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/products/{productId}/reviews/by-order-item/{orderItemId}',
      tags: ['Reviews'],
      summary: 'Your review of one purchased line (or null)',
      security: bearer,
      middleware: [requireAuth()] as const,
      request: { params: orderItemReviewParamSchema },
      responses: { 200: jsonContent(envelope(reviewSchema.nullable()), 'The review, or null'), ...errorResponses(400, 401) },
    }),
    async (c) => {
      const { productId, orderItemId } = c.req.valid('param');
      return c.json({ success: true as const, data: await findReviewByOrderItem(makeDeps(c.env).db, currentUser(c), productId, orderItemId) }, 200);
    },
  );
