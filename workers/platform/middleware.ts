import type { Context, MiddlewareHandler } from 'hono';

import { getConfig, type AppBindings } from '@/env';
import { addressKey } from '@/platform/client-address';
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
 * An IPv6 client is keyed by its /64 ({@link addressKey}), so rotating through one network's addresses
 * buys nothing. For the requests `deferFor` picks (cache-first reads) the check is left to the handler, which makes it
 * only when the answer must be produced ({@link limitedProducer}).
 */
export function rateLimit(
  pick: (env: AppBindings['Bindings']) => RateLimit,
  retryAfterSeconds: number,
  scope: string,
  { deferFor }: { deferFor?: (c: Context<AppBindings>) => boolean } = {},
): MiddlewareHandler<AppBindings> {
  const check = async (c: Context<AppBindings>) => {
    const { success } = await pick(c.env).limit({ key: `${scope}:${addressKey(clientIp((name) => c.req.header(name)))}` });
    if (!success) {
      throw new AppError(429, 'TOO_MANY_REQUESTS', 'Too many requests, slow down', undefined, { 'Retry-After': String(retryAfterSeconds) });
    }
  };
  return async (c, next) => {
    if (deferFor?.(c)) c.set('limitBeforeProducing', () => check(c));
    else await check(c);
    await next();
  };
}

/** `produce`, behind the rate limit the middleware deferred for this request (if it deferred one). */
export function limitedProducer<T>(c: Context<AppBindings>, produce: () => Promise<T>): () => Promise<T> {
  return async () => {
    await c.get('limitBeforeProducing')?.();
    return produce();
  };
}

const NUL_ESCAPE = /\\u0000/i;

/** The path of the first string (or object key) holding U+0000 in a parsed JSON value, if any. */
function findNul(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path || '_' : undefined;
  if (!value || typeof value !== 'object') return undefined;
  for (const [key, child] of Object.entries(value)) {
    const childPath = path ? `${path}.${key}` : key;
    if (key.includes('\u0000')) return childPath;
    const found = findNul(child, childPath);
    if (found) return found;
  }
  return undefined;
}

/**
 * Postgres `text` cannot store U+0000, so a NUL in any JSON string or query value used to reach the
 * database and come back as a 500 (found by the security fuzz). Rejected here once, for every route,
 * as 400 `VALIDATION_ERROR` naming the field. It reads a clone of the body, so the route's validator
 * (or a handler reading the raw request) still parses it and reports malformed JSON itself.
 */
export function rejectNulCharacters(): MiddlewareHandler<AppBindings> {
  return async (c, next) => {
    const queryField = Object.entries(c.req.queries()).find(([key, values]) => key.includes('\u0000') || values.some((v) => v.includes('\u0000')))?.[0];
    if (queryField !== undefined) throw nulError(queryField);
    if (/json/i.test(c.req.header('content-type') ?? '') && !['GET', 'HEAD'].includes(c.req.method)) {
      // A clone: handlers that read `c.req.raw` themselves (readOptionalJson) still find the body unread.
      const text = await c.req.raw.clone().text();
      if (NUL_ESCAPE.test(text)) {
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch {
          parsed = undefined;
        }
        const field = findNul(parsed, '');
        if (field) throw nulError(field);
      }
    }
    await next();
  };
}

const nulError = (field: string) => new AppError(400, 'VALIDATION_ERROR', 'Request validation failed', { [field]: 'Must not contain NUL (U+0000) characters' });
