import { createRoute, z } from '@hono/zod-openapi';

import type { MakePaymentDeps } from '@/payments/routes';
import { handleWebhookDelivery, WEBHOOK_PROVIDERS, webhookSettingsFromEnv } from '@/payments/webhooks';
import { AppError, errorResponses } from '@/platform/errors';
import { jsonContent } from '@/platform/responses';
import { createRouter } from '@/platform/router';

const webhookResultSchema = z
  .object({
    received: z.literal(true),
    eventId: z.string(),
    /** `applied`: the payment moved; `stale`: it had already moved on; `duplicate`: this event id was applied before. */
    outcome: z.enum(['applied', 'stale', 'duplicate']),
  })
  .openapi('PaymentWebhookResult');

/**
 * `POST /api/v1/payments/webhooks/{provider}`: the provider's signed events (no bearer token: the signature over the
 * raw body is the authentication). The body is read as text and verified before it is parsed, so it is not declared
 * as a validated JSON body here.
 */
export function createPaymentWebhooksRouter(makeDeps: MakePaymentDeps) {
  return createRouter().openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/payments/webhooks/{provider}',
      tags: ['Payments'],
      summary: "The payment provider's signed events (payment_intent.succeeded / payment_failed / canceled)",
      description: 'Signature header `Stripe-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`, 5 minutes tolerance.',
      request: {
        params: z.object({ provider: z.enum(WEBHOOK_PROVIDERS).openapi({ param: { name: 'provider', in: 'path' } }) }),
        headers: z.object({ 'stripe-signature': z.string().max(4096).optional() }),
      },
      responses: { 200: jsonContent(webhookResultSchema, 'Event received'), ...errorResponses(400, 404, 422) },
    }),
    async (c) => {
      const { provider } = c.req.valid('param');
      const deps = makeDeps(c.env, c.get('logger').child({ provider }));
      const logger = deps.logger;
      const settings = webhookSettingsFromEnv(c.env, provider);
      if (!settings) {
        logger.warn('webhook refused', { code: 'WEBHOOK_PROVIDER_NOT_CONFIGURED' });
        throw new AppError(404, 'WEBHOOK_PROVIDER_NOT_CONFIGURED', `This shop does not take payments through ${provider}`);
      }
      try {
        const result = await handleWebhookDelivery(deps, settings, { rawBody: await c.req.text(), signature: c.req.valid('header')['stripe-signature'], correlationId: c.get('correlationId') });
        logger.info('webhook received', result);
        return c.json({ received: true as const, ...result }, 200);
      } catch (err) {
        if (err instanceof AppError) logger.warn('webhook refused', { code: err.code, reason: err.message });
        throw err;
      }
    },
  );
}
