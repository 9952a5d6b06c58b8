import { env } from 'cloudflare:test';
import { sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';

import { createDb } from '@/platform/db';
import { clearHealthCache, HEALTH_CACHE_MS } from '@/platform/health-routes';
import { countWork, send } from '@test/security/support/harness';

/** A limiter that allows `allowed` calls per key, then refuses (what the production binding does at its limit). */
function limiter(allowed: number): RateLimit {
  const seen = new Map<string, number>();
  return {
    limit: async ({ key }) => {
      seen.set(key, (seen.get(key) ?? 0) + 1);
      return { success: seen.get(key)! <= allowed };
    },
  };
}

describe('health probes are not a free database query (hardening item 9)', () => {
  beforeEach(() => clearHealthCache());

  it('counts only the queries of the work it runs, not of work running beside it (files share one runtime)', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const beside = held.then(() => createDb(env).execute(sql`select 1`));
    const counted = await countWork(async () => {
      release();
      await beside;
      return send('GET', '/health/live');
    });
    expect(counted.result.status).toBe(200);
    expect(counted.queries).toBe(0);
  });

  it('answers /health/ready from one check per interval, however many probes arrive', async () => {
    const first = await countWork(() => send('GET', '/health/ready'));
    expect(first.result.status).toBe(200);
    expect(first.queries).toBeGreaterThan(0);
    const repeated = await countWork(async () => {
      for (let i = 0; i < 20; i++) expect((await send('GET', '/health/ready')).json).toEqual(first.result.json);
    });
    expect(repeated.queries).toBe(0);
    expect(HEALTH_CACHE_MS).toBeLessThanOrEqual(2_000);
  });

  it('answers /health/db from one query per interval outside local development', async () => {
    // `test` here, `production` in the security-production project: both cache (only `development` asks the database each time).
    expect(env.APP_ENV).not.toBe('development');
    const first = await countWork(() => send('GET', '/health/db'));
    expect(first.result.status).toBe(200);
    expect(first.queries).toBeGreaterThan(0);
    const repeated = await countWork(async () => {
      for (let i = 0; i < 20; i++) expect((await send('GET', '/health/db')).status).toBe(200);
    });
    expect(repeated.queries).toBe(0);
  });

  it('rate-limits both per client address with the error envelope and Retry-After', async () => {
    const limited = { ...env, HEALTH_RATE_LIMITER: limiter(3) } as Env;
    for (const path of ['/health/ready', '/health/db']) {
      const ip = `198.51.100.${path.length}`;
      for (let i = 0; i < 3; i++) expect((await send('GET', path, { ip, env: limited })).status).toBe(200);
      const refused = await send('GET', path, { ip, env: limited });
      expect(refused.status).toBe(429);
      expect(refused.json).toMatchObject({ success: false, error: { code: 'TOO_MANY_REQUESTS' } });
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      // Another address is not affected; liveness is never limited (it touches nothing).
      expect((await send('GET', path, { ip: '198.51.100.200', env: limited })).status).toBe(200);
    }
    for (let i = 0; i < 10; i++) expect((await send('GET', '/health/live', { ip: '198.51.100.5', env: limited })).status).toBe(200);
  });
});
