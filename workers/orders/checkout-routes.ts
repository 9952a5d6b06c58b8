import { createRoute } from '@hono/zod-openapi';

import { currentUser, requireAuth } from '@/identity';
import { getCheckout, placeCheckout, previewCheckout } from '@/orders/checkout';
import { checkoutIdParamsSchema, checkoutPreviewRequestSchema, checkoutPreviewSchema, checkoutSchema, createCheckoutSchema } from '@/orders/checkout-schema';
import { admissionGate } from '@/launches';
import { type MakeOrderDeps, orderHeadersSchema, relay } from '@/orders/routes';
import { errorResponses } from '@/platform/errors';
import { idFromSeed, parseIdempotencyKey, withIdempotencyKey } from '@/platform/idempotency';
import { envelope, jsonContent } from '@/platform/responses';
import { createRouter } from '@/platform/router';

const tags = ['Checkouts'];
const security = [{ bearerAuth: [] }];
const checkoutEnvelope = envelope(checkoutSchema);

/** `/api/v1/checkouts`: one checkout for a cart of several sellers (docs/decisions/marketplace.md). */
export function createCheckoutsRouter(makeDeps: MakeOrderDeps) {
  return createRouter()
    .openapi(
      createRoute({
        method: 'post',
        path: '/api/v1/checkouts/preview',
        tags,
        security,
        summary: 'The totals a checkout would have now (discount, tax, shipping per seller), without reserving or redeeming anything',
        description:
          'Same body as `POST /api/v1/checkouts` without `expectedTotal`. A refused `promoCode` is not an error here: `promoCode.refusal` says why (the checkout itself would answer that error); the totals are then without it.',
        middleware: [requireAuth('customer', 'seller')] as const,
        request: { body: { content: { 'application/json': { schema: checkoutPreviewRequestSchema } }, required: true } },
        responses: { 200: jsonContent(envelope(checkoutPreviewSchema), 'What the checkout would cost'), ...errorResponses(400, 401, 403, 404, 503) },
      }),
      async (c) => c.json({ success: true as const, data: await previewCheckout(makeDeps(c.env, c.get('logger')), currentUser(c), c.req.valid('json')) }, 200),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/api/v1/checkouts',
        tags,
        security,
        summary: 'Check out a whole cart: one order per seller, one payment for the total (stock reserved for 15 minutes)',
        description:
          "Lines default to the caller's cart. A launched product needs its `Admission-Token`, as for `POST /api/v1/orders`. Every seller that has shipping options needs one chosen in `shipping`. Every line of every seller is reserved or none is. Payment follows asynchronously; `GET /api/v1/checkouts/{id}` shows its progress.",
        middleware: [requireAuth('customer', 'seller')] as const,
        request: { headers: orderHeadersSchema, body: { content: { 'application/json': { schema: createCheckoutSchema } }, required: true } },
        responses: {
          201: jsonContent(checkoutEnvelope, 'Checkout placed: its orders PENDING, its payment on the way'),
          ...errorResponses(400, 401, 403, 404, 409, 422, 503),
        },
      }),
      async (c) => {
        const user = currentUser(c);
        const input = c.req.valid('json');
        const key = parseIdempotencyKey(c.req.header('idempotency-key'));
        const deps = makeDeps(c.env, c.get('logger'));
        // The lines are read once (the cart's when left out), so the admissions are checked for what is bought.
        const lines = input.items ?? (await deps.cart.lines(user.id));
        const admission = await admissionGate(deps.admissions, deps.db, user.id, lines, c.req.valid('header')['admission-token']);
        const result = await withIdempotencyKey(deps.db, { userId: user.id, scope: 'checkouts.create', key, body: input }, async ({ seed }) => {
          // A retry that takes over an abandoned key gets the same checkout id (and so the same order ids).
          const change = await placeCheckout(deps, user, { ...input, items: lines }, c.get('correlationId'), { admission, ...(seed === null ? {} : { checkoutId: await idFromSeed(seed) }) });
          await relay(c, deps, change);
          return { status: 201, body: { success: true as const, data: change.checkout } };
        });
        if (result.replayed) c.header('Idempotent-Replayed', 'true');
        return c.json(result.body, 201);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/api/v1/checkouts/{id}',
        tags,
        security,
        summary: 'One checkout with its orders and payment, for its buyer or an admin',
        middleware: [requireAuth()] as const,
        request: { params: checkoutIdParamsSchema },
        responses: { 200: jsonContent(checkoutEnvelope, 'Checkout'), ...errorResponses(400, 401, 403, 404) },
      }),
      async (c) => c.json({ success: true as const, data: await getCheckout(makeDeps(c.env, c.get('logger')), currentUser(c), c.req.valid('param').id) }, 200),
    );
}
