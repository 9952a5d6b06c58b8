import { createRoute, z } from '@hono/zod-openapi';
import { sql } from 'drizzle-orm';

import { createRouter } from '@/platform/router';
import { getConfig, type AppEnv } from '@/env';
import type { Db, Queryable } from '@/platform/db';
import { describeError } from '@/platform/logger';
import { rateLimit } from '@/platform/middleware';
import { withTimeout } from '@/platform/timeout';
import { jsonContent } from '@/platform/responses';

const CHECK_TIMEOUT_MS = 2_000;
/** Outbox rows unpublished for longer than this mean events are not reaching the queue. */
const OUTBOX_STALE_SECONDS = 300;

const statusSchema = z.enum(['UP', 'DOWN']);
const liveSchema = z.object({ status: z.literal('UP') }).openapi('Liveness');
const readySchema = z
  .object({
    status: statusSchema,
    checks: z.object({
      postgres: statusSchema,
      queue: statusSchema,
      kafka: statusSchema.openapi({ description: 'Alias of `queue`, kept for the seed\'s scripts' }),
    }),
  })
  .openapi('Readiness');
const dbPingSchema = z.object({ status: statusSchema, latencyMs: z.number() }).openapi('DatabasePing');

/**
 * Readiness and the database ping are public and unauthenticated: their answers are reused for this long (per
 * isolate), so a flood of probes costs one database round trip per interval, not one per request.
 */
export const HEALTH_CACHE_MS = 2_000;
const HEALTH_RETRY_AFTER_SECONDS = 10;

type ReadyAnswer = { status: 'UP' | 'DOWN'; checks: { postgres: 'UP' | 'DOWN'; queue: 'UP' | 'DOWN'; kafka: 'UP' | 'DOWN' } };
type DbAnswer = { status: 'UP'; latencyMs: number };

type Cached<T> = { at: number; answer: T };
/**
 * Settled answers only (never a pending promise: a Worker must not await I/O started by another request),
 * per database. Two cold requests at once may both check; after that, one check per interval.
 */
const cache = { ready: new Map<string, Cached<ReadyAnswer>>(), db: new Map<string, Cached<DbAnswer>>() };

/** Forgets cached health answers (tests). */
export function clearHealthCache(): void {
  cache.ready.clear();
  cache.db.clear();
}

const fresh = <T>(entry: Cached<T> | undefined, now: number) => (entry && now - entry.at < HEALTH_CACHE_MS ? entry.answer : undefined);
const databaseKey = (env: { DATABASE_URL?: string }) => env.DATABASE_URL ?? '';

const healthLimit = rateLimit((env) => env.HEALTH_RATE_LIMITER, HEALTH_RETRY_AFTER_SECONDS, 'health');

/**
 * What the health routes need, handed in by the composition root (`healthDepsFromEnv`) so that platform imports no
 * domain: the request's database and how many saga events have waited unpublished for longer than
 * `olderThanSeconds` (the orders outbox).
 */
export interface HealthDeps {
  db: Db;
  countStaleEvents(db: Queryable, olderThanSeconds: number): Promise<number>;
}

export const createHealthRouter = (makeDeps: (env: AppEnv) => HealthDeps) =>
  createRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/health/live',
      tags: ['Health'],
      summary: 'The Worker is running',
      responses: { 200: jsonContent(liveSchema, 'Alive') },
    }),
    (c) => c.json({ status: 'UP' as const }, 200),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/health/ready',
      tags: ['Health'],
      summary: 'Dependencies are reachable',
      description:
        '`postgres` runs `SELECT 1`; `queue` needs the order-events binding and no outbox rows stuck unpublished for 5 minutes. The answer is reused for 2 s and the route is rate-limited per client address.',
      middleware: [healthLimit] as const,
      responses: { 200: jsonContent(readySchema, 'Ready'), 503: jsonContent(readySchema, 'A dependency is down'), 429: { description: 'Too many probes from this address' } },
    }),
    async (c) => {
      const cached = fresh(cache.ready.get(databaseKey(c.env)), Date.now());
      if (cached) return c.json(cached, cached.status === 'UP' ? 200 : 503);
      const { db, countStaleEvents } = makeDeps(c.env);
      let postgres: 'UP' | 'DOWN' = 'DOWN';
      let queue: 'UP' | 'DOWN' = 'DOWN';
      try {
        const stale = await withTimeout(countStaleEvents(db, OUTBOX_STALE_SECONDS), CHECK_TIMEOUT_MS);
        postgres = 'UP';
        queue = c.env.ORDER_EVENTS && stale === 0 ? 'UP' : 'DOWN';
      } catch (err) {
        c.get('logger').warn('readiness check failed', describeError(err));
      }
      const status: 'UP' | 'DOWN' = postgres === 'UP' && queue === 'UP' ? 'UP' : 'DOWN';
      const answer: ReadyAnswer = { status, checks: { postgres, queue, kafka: queue } };
      cache.ready.set(databaseKey(c.env), { at: Date.now(), answer });
      return c.json(answer, status === 'UP' ? 200 : 503);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/health/db',
      tags: ['Health'],
      summary: 'Round trip to the database (`SELECT 1`)',
      description:
        'The baseline that database-backed latencies are reported against in docs/BENCHMARKS.md. Rate-limited per client address; outside local development the answer is reused for 2 s.',
      middleware: [healthLimit] as const,
      responses: { 200: jsonContent(dbPingSchema, 'Database reachable'), 429: { description: 'Too many probes from this address' } },
    }),
    async (c) => {
      // Local development measures every call (the benchmarks use this route as their unit of latency).
      const reuse = getConfig(c.env).APP_ENV !== 'development';
      const cached = reuse ? fresh(cache.db.get(databaseKey(c.env)), Date.now()) : undefined;
      if (cached) return c.json(cached, 200);
      const started = performance.now();
      await makeDeps(c.env).db.execute(sql`select 1`);
      const answer: DbAnswer = { status: 'UP', latencyMs: Math.round((performance.now() - started) * 100) / 100 };
      if (reuse) cache.db.set(databaseKey(c.env), { at: Date.now(), answer });
      return c.json(answer, 200);
    },
  );
