import { env, SELF } from 'cloudflare:test';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';

import { createDb } from '@/platform/db';

describe('health', () => {
  it('reports liveness without touching dependencies', async () => {
    const res = await SELF.fetch('http://shop.test/health/live');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'UP' });
  });

  it('reports postgres and queue UP with the kafka alias', async () => {
    // The database is shared by the whole suite, and tests that stub the queue leave outbox rows unpublished; on a
    // slow run some are past the 5-minute threshold by now. Stamp those as the cron sweep would, so the check
    // reports on a healthy queue path rather than on the suite's leftovers.
    await createDb(env).execute(sql`update outbox set published_at = now() where published_at is null and created_at < now() - interval '300 seconds'`);
    const res = await SELF.fetch('http://shop.test/health/ready');
    expect(await res.json()).toEqual({ status: 'UP', checks: { postgres: 'UP', queue: 'UP', kafka: 'UP' } });
    expect(res.status).toBe(200);
  });

  it('round-trips SELECT 1 through the Neon HTTP path', async () => {
    const res = await SELF.fetch('http://shop.test/health/db');
    expect(res.status).toBe(200);
    const body = await res.json<{ status: string; latencyMs: number }>();
    expect(body.status).toBe('UP');
    expect(body.latencyMs).toBeGreaterThanOrEqual(0);
  });
});
