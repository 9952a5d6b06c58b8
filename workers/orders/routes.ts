import { createRoute, z } from '@hono/zod-openapi';

import type { Context } from 'hono';

import type { AppBindings, AppEnv } from '@/env';
import { currentUser, requireAuth } from '@/identity';
import { admissionGate, admissionHeaderSchema } from '@/launches';
import { publishOutboxPayloads, publishOutboxRows } from '@/orders/outbox';
import { checkoutPreviewSchema } from '@/orders/checkout-schema';
import { shipOrderSchema } from '@/orders/shipment';
import {
  cancelOrderSchema,
  createOrderSchema,
  idempotencyHeaderSchema,
  orderHistoryEntrySchema,
  orderIdParamsSchema,
  orderListQuerySchema,
  orderPreviewRequestSchema,
  orderSchema,
  orderSummarySchema,
  purchaseVerificationQuerySchema,
  sellerOrderSummarySchema,
} from '@/orders/schema';
import { type OrderChange, type OrderDeps } from '@/orders/model';
import { placeOrder, previewOrder } from '@/orders/placing';
import { getOrder, getOrderHistory, getSellerOrder, listBuyerOrders, listSellerOrders, verifyPurchase } from '@/orders/reading';
import { cancelOrder, deliverOrder, shipOrder } from '@/orders/transitions';
import { runAfterResponse } from '@/platform/background';
import { emptyJsonBodyIsEmpty } from '@/platform/optional-body';
import { errorResponses } from '@/platform/errors';
import { idFromSeed, parseIdempotencyKey, withIdempotencyKey } from '@/platform/idempotency';
import type { Logger } from '@/platform/logger';
import { envelope, jsonContent, pagedEnvelope } from '@/platform/responses';
import { createRouter } from '@/platform/router';
import { sagaQueue } from '@/platform/saga-queues';

const tags = ['Orders'];
const security = [{ bearerAuth: [] }];
const orderEnvelope = envelope(orderSchema);

/** Headers of the routes that place orders: `Idempotency-Key` and the admissions of launched products. */
export const orderHeadersSchema = idempotencyHeaderSchema.extend(admissionHeaderSchema.shape);

export type MakeOrderDeps = (env: AppEnv, logger: Logger) => OrderDeps;

/**
 * Publishes the outbox rows a request just committed, after the response (the cron sweep covers a failure): from the
 * payloads the change still holds, or read back by id.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const relay = (c: Context<AppBindings, any, any>, deps: OrderDeps, change: Pick<OrderChange, 'outboxIds'> & { outboxRows?: Parameters<typeof publishOutboxPayloads>[2] }) =>
  runAfterResponse(
    c,
    (change.outboxRows
      ? publishOutboxPayloads(deps.db, sagaQueue(c.env, 'order-events'), change.outboxRows, c.get('logger'))
      : publishOutboxRows(deps.db, sagaQueue(c.env, 'order-events'), change.outboxIds, c.get('logger'))
    ).catch(() => 0),
  );

/**
 * `/api/v1/orders`. Literal paths (`/seller`, `/purchase-verification`) are declared
 * before `/{id}`; the notifications router, mounted earlier, owns `/notifications`. `makeDeps` gives
 * the service its collaborators (real StockDO/CartDO in the app, fakes in tests).
 */
export function createOrdersRouter(makeDeps: MakeOrderDeps) {
  return createRouter()
    .openapi(
      createRoute({
        method: 'post',
        path: '/api/v1/orders/preview',
        tags,
        security,
        summary: 'What a single-seller order would cost now (discount, tax; no shipping line), without reserving or redeeming anything',
        description: 'Same body as `POST /api/v1/orders` without `expectedTotal`; a refused `promoCode` is reported in `promoCode.refusal`, not as an error.',
        middleware: [requireAuth('customer', 'seller')] as const,
        request: { body: { content: { 'application/json': { schema: orderPreviewRequestSchema } }, required: true } },
        responses: { 200: jsonContent(envelope(checkoutPreviewSchema), 'What the order would cost'), ...errorResponses(400, 401, 403, 404, 503) },
      }),
      async (c) => c.json({ success: true as const, data: await previewOrder(makeDeps(c.env, c.get('logger')), currentUser(c), c.req.valid('json')) }, 200),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/api/v1/orders',
        tags,
        security,
        summary: 'Place an order (one seller; prices from the catalog; stock reserved for 15 minutes)',
        middleware: [requireAuth('customer', 'seller')] as const,
        description:
          'A product under a launch (`GET /api/v1/products/{id}/launch`) needs an `Admission-Token` from its waiting room: without one 403 `ADMISSION_REQUIRED`, another account\'s 403 `ADMISSION_WRONG_ACCOUNT`, an expired one 403 `ADMISSION_EXPIRED`, one already used by another order 409 `ADMISSION_USED`.',
        request: { headers: orderHeadersSchema, body: { content: { 'application/json': { schema: createOrderSchema } }, required: true } },
        responses: {
          201: jsonContent(orderEnvelope, 'Order placed (PENDING); payment follows asynchronously'),
          ...errorResponses(400, 401, 403, 404, 409, 422, 503),
        },
      }),
      async (c) => {
        const user = currentUser(c);
        const input = c.req.valid('json');
        const key = parseIdempotencyKey(c.req.header('idempotency-key'));
        const deps = makeDeps(c.env, c.get('logger'));
        const admission = await admissionGate(deps.admissions, deps.db, user.id, input.items, c.req.valid('header')['admission-token']);
        const result = await withIdempotencyKey(deps.db, { userId: user.id, scope: 'orders.create', key, body: input }, async ({ seed }) => {
          // A retry that takes over an abandoned key gets the same order id, so it finds a committed order instead of placing a second.
          const change = await placeOrder(deps, user, input, c.get('correlationId'), { admission, ...(seed === null ? {} : { orderId: await idFromSeed(seed) }) });
          await relay(c, deps, change);
          return { status: 201, body: { success: true as const, data: change.order } };
        });
        if (result.replayed) c.header('Idempotent-Replayed', 'true');
        return c.json(result.body, 201);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/api/v1/orders',
        tags,
        security,
        summary: "The caller's orders, newest first",
        middleware: [requireAuth()] as const,
        request: { query: orderListQuerySchema },
        responses: { 200: jsonContent(pagedEnvelope(orderSummarySchema), 'Orders'), ...errorResponses(400, 401) },
      }),
      async (c) => c.json({ success: true as const, ...(await listBuyerOrders(makeDeps(c.env, c.get('logger')).db, currentUser(c), c.req.valid('query'))) }, 200),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/api/v1/orders/seller',
        tags,
        security,
        summary: 'Orders placed with the calling seller',
        middleware: [requireAuth('seller', 'admin')] as const,
        request: { query: orderListQuerySchema },
        responses: { 200: jsonContent(pagedEnvelope(sellerOrderSummarySchema), 'Orders'), ...errorResponses(400, 401, 403) },
      }),
      async (c) => c.json({ success: true as const, ...(await listSellerOrders(makeDeps(c.env, c.get('logger')).db, currentUser(c), c.req.valid('query'))) }, 200),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/api/v1/orders/seller/{id}',
        tags,
        security,
        summary: "One order, for the order's seller or an admin",
        middleware: [requireAuth('seller', 'admin')] as const,
        request: { params: orderIdParamsSchema },
        responses: { 200: jsonContent(orderEnvelope, 'Order'), ...errorResponses(400, 401, 403, 404) },
      }),
      async (c) => c.json({ success: true as const, data: await getSellerOrder(makeDeps(c.env, c.get('logger')), currentUser(c), c.req.valid('param').id) }, 200),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/api/v1/orders/purchase-verification',
        tags,
        security,
        summary: 'Did the caller buy this product in this (delivered) order line?',
        middleware: [requireAuth()] as const,
        request: { query: purchaseVerificationQuerySchema },
        responses: { 200: jsonContent(envelope(z.object({ verified: z.boolean() })), 'Answer for the caller only'), ...errorResponses(400, 401) },
      }),
      async (c) => {
        const { productId, orderItemId } = c.req.valid('query');
        const verified = await verifyPurchase(makeDeps(c.env, c.get('logger')).db, currentUser(c), productId, orderItemId);
        return c.json({ success: true as const, data: { verified } }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/api/v1/orders/{id}',
        tags,
        security,
        summary: 'One order, for its buyer or an admin',
        middleware: [requireAuth()] as const,
        request: { params: orderIdParamsSchema },
        responses: { 200: jsonContent(orderEnvelope, 'Order'), ...errorResponses(400, 401, 403, 404) },
      }),
      async (c) => c.json({ success: true as const, data: await getOrder(makeDeps(c.env, c.get('logger')), currentUser(c), c.req.valid('param').id) }, 200),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/api/v1/orders/{id}/history',
        tags,
        security,
        summary: "Status history (oldest first) for the buyer, the order's seller or an admin",
        middleware: [requireAuth()] as const,
        request: { params: orderIdParamsSchema },
        responses: { 200: jsonContent(envelope(z.array(orderHistoryEntrySchema)), 'History'), ...errorResponses(400, 401, 403, 404) },
      }),
      async (c) => c.json({ success: true as const, data: await getOrderHistory(makeDeps(c.env, c.get('logger')).db, currentUser(c), c.req.valid('param').id) }, 200),
    )
    .openapi(
      createRoute({
        method: 'put',
        path: '/api/v1/orders/{id}/cancel',
        tags,
        security,
        summary: 'Cancel a PENDING or CONFIRMED order (buyer or admin); a paid order is refunded',
        middleware: [requireAuth(), emptyJsonBodyIsEmpty()] as const,
        description: 'Optional JSON body `{"reason": "…"}` (≤255 characters); no body, or an empty one, cancels without a reason.',
        request: {
          params: orderIdParamsSchema,
          body: { content: { 'application/json': { schema: cancelOrderSchema } }, required: false, description: 'Optional reason' },
        },
        responses: { 200: jsonContent(orderEnvelope, 'Cancelled'), ...errorResponses(400, 401, 403, 404, 409, 415) },
      }),
      async (c) => {
        const deps = makeDeps(c.env, c.get('logger'));
        const { reason } = c.req.valid('json');
        const change = await cancelOrder(deps, currentUser(c), c.req.valid('param').id, reason, c.get('correlationId'));
        await relay(c, deps, change);
        return c.json({ success: true as const, data: change.order }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'put',
        path: '/api/v1/orders/{id}/ship',
        tags,
        security,
        summary: "Ship a CONFIRMED order (the order's seller or an admin)",
        middleware: [requireAuth(), emptyJsonBodyIsEmpty()] as const,
        description: 'Optional JSON body `{"carrier": "UPS", "trackingNumber": "1Z…"}` (both or neither); the buyer sees them, with a tracking link for known carriers.',
        request: {
          params: orderIdParamsSchema,
          body: { content: { 'application/json': { schema: shipOrderSchema } }, required: false, description: 'Optional carrier and tracking number' },
        },
        responses: { 200: jsonContent(orderEnvelope, 'Shipped'), ...errorResponses(400, 401, 403, 404, 409, 415) },
      }),
      async (c) =>
        c.json({ success: true as const, data: (await shipOrder(makeDeps(c.env, c.get('logger')), currentUser(c), c.req.valid('param').id, c.req.valid('json'))).order }, 200),
    )
    .openapi(
      createRoute({
        method: 'put',
        path: '/api/v1/orders/{id}/deliver',
        tags,
        security,
        summary: 'Confirm delivery of a SHIPPED order (buyer or admin)',
        middleware: [requireAuth()] as const,
        request: { params: orderIdParamsSchema },
        responses: { 200: jsonContent(orderEnvelope, 'Delivered'), ...errorResponses(400, 401, 403, 404, 409) },
      }),
      async (c) => c.json({ success: true as const, data: (await deliverOrder(makeDeps(c.env, c.get('logger')), currentUser(c), c.req.valid('param').id)).order }, 200),
    );
}
