import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';

import { currentUser, requireAuth } from '@/identity';
import { TransientGatewayError } from '@/payments/gateway';
import { listSavedMethods, removeMethod, setDefaultMethod, startCardSetup, toSavedMethodResponse, type MethodDeps } from '@/payments/methods';
import type { MakePaymentDeps } from '@/payments/routes';
import { cardSetupSchema, paymentMethodIdParamsSchema, paymentProviderSchema, savedPaymentMethodSchema } from '@/payments/schema';
import type { AppBindings, AppEnv } from '@/env';
import { AppError, errorResponses } from '@/platform/errors';
import { envelope, jsonContent } from '@/platform/responses';
import { createRouter } from '@/platform/router';

type AppContext = Context<AppBindings>;

const tags = ['Payments'];
const security = [{ bearerAuth: [] }];

/** The provider whose form the SPA mounts: the real one's publishable key, or the simulated provider (no key). */
function paymentProviderOf(env: Pick<AppEnv, 'PAYMENT_GATEWAY_MODE' | 'STRIPE_PUBLISHABLE_KEY'>) {
  const stripe = env.PAYMENT_GATEWAY_MODE.trim().toLowerCase() === 'stripe';
  return stripe ? { provider: 'stripe' as const, publishableKey: env.STRIPE_PUBLISHABLE_KEY || null } : { provider: 'simulated' as const, publishableKey: null };
}

/**
 * `/api/v1/payments/provider` (public) and `/api/v1/payments/methods`: the caller's saved cards (never another buyer's: those are 404). Mounted before the
 * payments router, whose `/payments/{id}` would otherwise take `/payments/methods`.
 */
export function createPaymentMethodsRouter(makeDeps: MakePaymentDeps) {
  const methodDeps = (c: AppContext): MethodDeps => {
    const deps = makeDeps(c.env, c.get('logger'));
    if (!deps.vault) throw new Error('saved payment methods are not configured');
    return { db: deps.db, vault: deps.vault, transaction: deps.transaction };
  };
  /** A provider that does not answer: 504, nothing changed on our side (the buyer may simply try again). */
  const atProvider = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (err) {
      if (err instanceof TransientGatewayError) throw new AppError(504, 'GATEWAY_TIMEOUT', 'The payment provider did not answer; nothing was changed, try again');
      throw err;
    }
  };
  const list = async (c: AppContext) => {
    const deps = methodDeps(c);
    return (await listSavedMethods(deps.db, deps.vault.provider, currentUser(c).id)).map(toSavedMethodResponse);
  };
  return createRouter()
    .openapi(
      createRoute({
        method: 'get',
        path: '/api/v1/payments/provider',
        tags,
        summary: "Which provider takes payments, and its publishable key for the browser's payment form (never a secret)",
        responses: { 200: jsonContent(envelope(paymentProviderSchema), 'The payment provider') },
      }),
      (c) => c.json({ success: true as const, data: paymentProviderOf(c.env) }, 200),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/api/v1/payments/methods',
        tags,
        security,
        summary: "The caller's saved cards, the default first",
        middleware: [requireAuth()] as const,
        responses: { 200: jsonContent(envelope(z.array(savedPaymentMethodSchema)), 'Saved cards'), ...errorResponses(401) },
      }),
      async (c) => c.json({ success: true as const, data: await list(c) }, 200),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/api/v1/payments/methods/setup',
        tags,
        security,
        summary: "Start saving a card: the provider's setup intent and where the buyer confirms it; the provider's webhook records the card",
        middleware: [requireAuth()] as const,
        responses: { 201: jsonContent(envelope(cardSetupSchema), 'Setup started'), ...errorResponses(401, 504) },
      }),
      async (c) => c.json({ success: true as const, data: await atProvider(() => startCardSetup(methodDeps(c), currentUser(c).id)) }, 201),
    )
    .openapi(
      createRoute({
        method: 'put',
        path: '/api/v1/payments/methods/{id}/default',
        tags,
        security,
        summary: 'Make one of your saved cards the default',
        middleware: [requireAuth()] as const,
        request: { params: paymentMethodIdParamsSchema },
        responses: { 200: jsonContent(envelope(savedPaymentMethodSchema), 'The new default'), ...errorResponses(400, 401, 404) },
      }),
      async (c) => c.json({ success: true as const, data: toSavedMethodResponse(await setDefaultMethod(methodDeps(c), currentUser(c).id, c.req.valid('param').id)) }, 200),
    )
    .openapi(
      createRoute({
        method: 'delete',
        path: '/api/v1/payments/methods/{id}',
        tags,
        security,
        summary: 'Remove a saved card (detached at the provider); removing the default makes the newest remaining card the default',
        middleware: [requireAuth()] as const,
        request: { params: paymentMethodIdParamsSchema },
        responses: { 204: { description: 'Removed' }, ...errorResponses(400, 401, 404, 504) },
      }),
      async (c) => {
        await atProvider(() => removeMethod(methodDeps(c), currentUser(c).id, c.req.valid('param').id));
        return c.body(null, 204);
      },
    );
}
