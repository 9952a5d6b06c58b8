import { createRoute, z } from '@hono/zod-openapi';
import { sql } from 'drizzle-orm';

import { createRouter } from '@/platform/router';
import { countStaleOutboxRows } from '@/orders/outbox';
import { createDb } from '@/platform/db';
import { describeError } from '@/platform/logger';
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

const withTimeout = <T>(promise: Promise<T>, ms: number) =>
  Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms))]);

export const healthRouter = createRouter()
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
      description: '`postgres` runs `SELECT 1`; `queue` needs the order-events binding and no outbox rows stuck unpublished for 5 minutes.',
      responses: { 200: jsonContent(readySchema, 'Ready'), 503: jsonContent(readySchema, 'A dependency is down') },
    }),
    async (c) => {
      const db = createDb(c.env);
      let postgres: 'UP' | 'DOWN' = 'DOWN';
      let queue: 'UP' | 'DOWN' = 'DOWN';
      try {
        const stale = await withTimeout(countStaleOutboxRows(db, OUTBOX_STALE_SECONDS), CHECK_TIMEOUT_MS);
        postgres = 'UP';
        queue = c.env.ORDER_EVENTS && stale === 0 ? 'UP' : 'DOWN';
      } catch (err) {
        c.get('logger').warn('readiness check failed', describeError(err));
      }
      const status: 'UP' | 'DOWN' = postgres === 'UP' && queue === 'UP' ? 'UP' : 'DOWN';
      return c.json({ status, checks: { postgres, queue, kafka: queue } }, status === 'UP' ? 200 : 503);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/health/db',
      tags: ['Health'],
      summary: 'Round trip to the database (`SELECT 1`)',
      description: 'The baseline that database-backed latencies are reported against in docs/BENCHMARKS.md.',
      responses: { 200: jsonContent(dbPingSchema, 'Database reachable') },
    }),
    async (c) => {
      const started = performance.now();
      await createDb(c.env).execute(sql`select 1`);
      return c.json({ status: 'UP' as const, latencyMs: Math.round((performance.now() - started) * 100) / 100 }, 200);
    },
  );
