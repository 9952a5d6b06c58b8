import type { MiddlewareHandler } from 'hono';

import { getConfig, type AppBindings } from '@/env';
import { AppError } from '@/platform/errors';
import { createLogger } from '@/platform/logger';

const SAFE_ID = /^[\w.:-]{1,128}$/;

/**
 * Accepts a well-formed `X-Request-Id` / `X-Correlation-ID` from the caller or makes new ones,
 * echoes both, binds them to the request's logger and writes one access-log line per request.
 */
export function requestContext(): MiddlewareHandler<AppBindings> {
  return async (c, next) => {
    const incoming = c.req.header('x-request-id');
    const requestId = incoming && SAFE_ID.test(incoming) ? incoming : crypto.randomUUID();
    const incomingCorrelation = c.req.header('x-correlation-id');
    const correlationId = incomingCorrelation && SAFE_ID.test(incomingCorrelation) ? incomingCorrelation : requestId;
    const logger = createLogger(getConfig(c.env).LOG_LEVEL, { requestId, correlationId });
    c.set('requestId', requestId);
    c.set('correlationId', correlationId);
    c.set('logger', logger);
    const started = Date.now();
    await next();
    c.header('X-Request-Id', requestId);
    c.header('X-Correlation-ID', correlationId);
    logger.info('request', { method: c.req.method, path: c.req.path, status: c.res.status, durationMs: Date.now() - started });
  };
}

/** The caller's address as Cloudflare reports it; only meaningful behind Cloudflare or wrangler dev. */
export const clientIp = (header: (name: string) => string | undefined) => header('cf-connecting-ip') ?? 'unknown';

/**
 * Per-IP throttle backed by a Workers Rate Limiting binding. Limits live in wrangler.toml
 * (production vs local values), never in code; the check runs before any database or hashing work.
 */
export function rateLimit(pick: (env: AppBindings['Bindings']) => RateLimit, retryAfterSeconds: number, scope: string): MiddlewareHandler<AppBindings> {
  return async (c, next) => {
    const { success } = await pick(c.env).limit({ key: `${scope}:${clientIp((name) => c.req.header(name))}` });
    if (!success) {
      throw new AppError(429, 'TOO_MANY_REQUESTS', 'Too many requests, slow down', undefined, { 'Retry-After': String(retryAfterSeconds) });
    }
    await next();
  };
}
