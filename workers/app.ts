import { Scalar } from '@scalar/hono-api-reference';
import type { Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { HTTPException } from 'hono/http-exception';
import { methodNotAllowed } from 'hono/method-not-allowed';
import { NONCE, secureHeaders } from 'hono/secure-headers';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

import { createAdminRouter } from '@/admin/routes';
import { createCartRouter } from '@/cart/routes';
import {
  adminDepsFromEnv,
  cartDepsFromEnv,
  catalogDepsFromEnv,
  dbDepsFromEnv,
  deadLetterDepsFromEnv,
  healthDepsFromEnv,
  identityDepsFromEnv,
  imageBucketFromEnv,
  launchDepsFromEnv,
  orderDepsFromEnv,
  paymentDepsFromEnv,
  payoutDepsFromEnv,
  returnDepsFromEnv,
  reviewDepsFromEnv,
  searchDepsFromEnv,
  stockDepsFromEnv,
  usersDepsFromEnv,
} from '@/composition';
import { createCategoriesRouter, createInventoryRouter, createProductsRouter } from '@/catalog/routes';
import { createImagesRouter, IMAGE_UPLOAD_PATH } from '@/catalog/images';
import { createReviewsRouter } from '@/catalog/review-routes';
import { createStockFeedRouter } from '@/catalog/stock-feed-routes';
import { ConfigurationError, getConfig, type AppBindings } from '@/env';
import { createIdentityRouter, shedPasswordWorkWhenFull } from '@/identity/routes';
import { createLaunchesRouter } from '@/launches/routes';
import { liveRouter } from '@/live/routes';
import { createEarningsRouter, createShippingRouter } from '@/marketplace/routes';
import { createNotificationsRouter } from '@/notifications/routes';
import { createCheckoutsRouter } from '@/orders/checkout-routes';
import { createOrdersRouter } from '@/orders/routes';
import { createSagaAdminRouter } from '@/orders/admin-routes';
import { createPaymentMethodsRouter } from '@/payments/methods-routes';
import { createPaymentsRouter } from '@/payments/routes';
import { createPaymentWebhooksRouter } from '@/payments/webhook-routes';
import { createSimulatorRouter } from '@/payments/simulator-routes';
import { isDatabaseUnavailable } from '@/platform/db';
import { AppError, type ErrorCode, type ErrorEnvelope } from '@/platform/errors';
import { createHealthRouter } from '@/platform/health-routes';
import { createLogger, describeError } from '@/platform/logger';
import { rateLimit, rejectNulCharacters, requestContext } from '@/platform/middleware';
import { createRouter, mountRouters, type AppRouter } from '@/platform/router';
import { createPromotionsRouter } from '@/promotions/routes';
import { createReturnsRouter } from '@/returns/routes';
import { createSearchRouter } from '@/search/routes';
import { createTaxRouter } from '@/tax/routes';

const API_PREFIX = '/api/v1';
export const MAX_BODY_BYTES = 1024 * 1024;
const API_RATE_LIMIT_PERIOD_SECONDS = 10;

const STATUS_CODES: Partial<Record<number, ErrorCode>> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'TOO_MANY_REQUESTS',
  503: 'SERVICE_UNAVAILABLE',
};


function errorResponse(c: Context<AppBindings>, status: ContentfulStatusCode, code: ErrorCode, message: string, details?: Record<string, string>) {
  const body: ErrorEnvelope = { success: false, error: { code, message, ...(details ? { details } : {}), requestId: c.get('requestId') ?? 'unknown' } };
  return c.json(body, status);
}

function renderError(err: Error, c: Context<AppBindings>) {
  if (err instanceof AppError) {
    for (const [name, value] of Object.entries(err.headers ?? {})) c.header(name, value);
    return errorResponse(c, err.status, err.code, err.message, err.details);
  }
  if (err instanceof HTTPException) {
    const status = err.status as ContentfulStatusCode;
    if (status === 400 && /json/i.test(err.message)) return errorResponse(c, 400, 'INVALID_BODY', 'The request body is not valid JSON');
    if (status < 500) return errorResponse(c, status, STATUS_CODES[status] ?? 'BAD_REQUEST', err.message || 'Bad request');
  }
  if (err instanceof ConfigurationError) {
    // Thrown before the request's logger exists (it needs the settings): say why on the error channel.
    createLogger('error').error('refusing to serve: the Worker is misconfigured', { reason: err.message });
    return errorResponse(c, 503, 'MISCONFIGURED', `The shop is not configured to run: ${err.message}`);
  }
  const logger = c.get('logger');
  if (isDatabaseUnavailable(err)) {
    logger?.error('database unavailable', describeError(err));
    c.header('Retry-After', '5');
    return errorResponse(c, 503, 'SERVICE_UNAVAILABLE', 'The service is temporarily unavailable, please retry shortly');
  }
  logger?.error('unhandled error', describeError(err));
  return errorResponse(c, 500, 'INTERNAL_ERROR', 'An unexpected error occurred');
}

/**
 * The API reference page's CSP (hardening item 6). Scalar's page is one inline start-up script (allowed by a
 * per-response nonce, never 'unsafe-inline') and its bundle from /vendor; it injects its stylesheet and style
 * attributes at run time, so styles need 'unsafe-inline' (a nonce cannot cover style attributes). It reads
 * /api/openapi.json and sends "try it" requests to the shop itself only.
 */
const API_DOCS_CSP = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'", NONCE],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

/** Public reads served from the edge cache (product list and detail, suggestions). docs/decisions/catalog.md */
const CACHE_FIRST_READS = /^\/api\/v1\/products(?:\/suggest|\/\d+)?$/;

/**
 * Builds the whole application: shared middleware, the error envelope, every domain router and
 * the OpenAPI document. Tests mount single routers with {@link createTestApp}.
 */
export function createApp(mount: (app: AppRouter) => void = mountRoutes) {
  const app = createRouter();

  app.use('*', requestContext());
  app.use('*', secureHeaders({ crossOriginResourcePolicy: 'same-origin' }));
  app.use(`${API_PREFIX}/*`, async (c, next) => {
    const allowed = getConfig(c.env).CORS_ORIGINS;
    return cors({
      origin: (origin) => (allowed.includes(origin) ? origin : null),
      allowHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'X-Request-Id', 'X-Correlation-ID'],
      exposeHeaders: ['X-Request-Id', 'X-Correlation-ID', 'Retry-After'],
      allowMethods: ['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS'],
      credentials: true,
      maxAge: 600,
    })(c, next);
  });
  app.use(`${API_PREFIX}/auth/*`, shedPasswordWorkWhenFull());
  // A public read answered from the edge cache costs no database work: its limit is checked only on a miss.
  const apiRateLimit = rateLimit((env) => env.API_RATE_LIMITER, API_RATE_LIMIT_PERIOD_SECONDS, 'api', { deferFor: (c) => c.req.method === 'GET' && CACHE_FIRST_READS.test(c.req.path) });
  // The payment provider delivers every shop's webhooks from a few addresses; they are authenticated by signature
  // (an HMAC, refused before any database work), so the per-address shopper limit would only drop genuine events.
  app.use(`${API_PREFIX}/*`, (c, next) => (c.req.path.startsWith(`${API_PREFIX}/payments/webhooks/`) ? next() : apiRateLimit(c, next)));
  const apiBodyLimit = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: () => {
      throw new AppError(413, 'PAYLOAD_TOO_LARGE', `The request body exceeds ${MAX_BODY_BYTES} bytes`);
    },
  });
  // An image upload has its own, larger limit on its route.
  app.use(`${API_PREFIX}/*`, (c, next) => (c.req.path === IMAGE_UPLOAD_PATH ? next() : apiBodyLimit(c, next)));
  app.use(`${API_PREFIX}/*`, rejectNulCharacters());
  app.use('*', methodNotAllowed({ app, onMethodNotAllowed: (c, methods) => {
    c.header('Allow', methods.join(', '));
    return errorResponse(c, 405, 'METHOD_NOT_ALLOWED', `Method ${c.req.method} is not allowed here`);
  } }));

  mount(app);

  app.notFound((c) => errorResponse(c, 404, 'NOT_FOUND', `No route for ${c.req.method} ${c.req.path}`));
  app.onError(renderError);
  return app;
}

function mountRoutes(app: AppRouter) {
  // Every router under the API, in any order (mountRouters puts literal paths before parameters).
  mountRouters(app, [
    createHealthRouter(healthDepsFromEnv),
    createIdentityRouter(identityDepsFromEnv, usersDepsFromEnv),
    createCategoriesRouter(dbDepsFromEnv),
    createProductsRouter(catalogDepsFromEnv),
    createInventoryRouter(catalogDepsFromEnv),
    createImagesRouter(imageBucketFromEnv),
    createReviewsRouter(reviewDepsFromEnv),
    createSearchRouter(searchDepsFromEnv),
    createLaunchesRouter(launchDepsFromEnv),
    createCartRouter(cartDepsFromEnv),
    createOrdersRouter(orderDepsFromEnv),
    createCheckoutsRouter(orderDepsFromEnv),
    createNotificationsRouter(dbDepsFromEnv),
    createReturnsRouter(returnDepsFromEnv),
    createShippingRouter(dbDepsFromEnv),
    createPromotionsRouter(dbDepsFromEnv),
    createTaxRouter(dbDepsFromEnv),
    createEarningsRouter(payoutDepsFromEnv, dbDepsFromEnv),
    createPaymentsRouter(paymentDepsFromEnv),
    createPaymentMethodsRouter(paymentDepsFromEnv),
    createPaymentWebhooksRouter(paymentDepsFromEnv),
    // The simulated provider's page delivers its signed webhooks to this same app, in process (no network).
    createSimulatorRouter({ makeDeps: dbDepsFromEnv, dispatch: (request, env) => app.fetch(request, env) }),
    createSagaAdminRouter(deadLetterDepsFromEnv, stockDepsFromEnv),
    createAdminRouter(adminDepsFromEnv),
    liveRouter,
    createStockFeedRouter(dbDepsFromEnv),
  ]);

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  app.doc31('/api/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Edge Shop API',
      version: '1.0.0',
      description: 'Multi-vendor shop on Cloudflare Workers. Every error uses the envelope `{success:false,error:{code,message,details?,requestId}}`.',
    },
    servers: [{ url: '/' }],
  });
  // The reference UI's script is served by the shop itself (see scripts/build-web.ts), so docs work offline. The page
  // is a Worker response, so web/public/_headers does not apply: it gets its own CSP (API_DOCS_CSP).
  app.get(
    '/api/docs',
    secureHeaders({ contentSecurityPolicy: API_DOCS_CSP }),
    Scalar<AppBindings>((c) => ({
      url: '/api/openapi.json',
      pageTitle: 'Edge Shop API',
      cdn: '/vendor/scalar/standalone.js',
      // Scalar's default fonts come from its own CDN; the page uses the system fonts instead (font-src 'self').
      withDefaultFonts: false,
      nonce: c.get('secureHeadersNonce'),
    })),
  );
}

/** Mounts one domain router behind the full middleware stack, for route tests. */
export const createTestApp = (router: Hono<AppBindings>) => createApp((app) => app.route('/', router));
