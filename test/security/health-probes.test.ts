import { env } from 'cloudflare:test';
import { neonConfig } from '@neondatabase/serverless';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { clearHealthCache, HEALTH_CACHE_MS } from '@/platform/health-routes';
import { send } from '@test/security/support/harness';

/** Counts the SQL requests the app sends over Neon's HTTP transport while installed. */
function countQueries(): { count: () => number; restore: () => void } {
  const original = neonConfig.fetchFunction as typeof fetch | undefined;
  let queries = 0;
  neonConfig.fetchFunction = (input: RequestInfo | URL, init?: RequestInit) => {
    queries += 1;
    return (original ?? fetch)(input, init);
  };
  return { count: () => queries, restore: () => void (neonConfig.fetchFunction = original) };
}

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
  let counter: ReturnType<typeof countQueries>;
  beforeEach(() => {
    clearHealthCache();
    counter = countQueries();
  });
  afterEach(() => counter.restore());

  it('answers /health/ready from one check per interval, however many probes arrive', async () => {
    const first = await send('GET', '/health/ready');
    expect(first.status).toBe(200);
    const afterFirst = counter.count();
    expect(afterFirst).toBeGreaterThan(0);
    for (let i = 0; i < 20; i++) expect((await send('GET', '/health/ready')).json).toEqual(first.json);
    expect(counter.count()).toBe(afterFirst);
    expect(HEALTH_CACHE_MS).toBeLessThanOrEqual(2_000);
  });

  it('answers /health/db from one query per interval outside local development', async () => {
    // `test` here, `production` in the security-production project: both cache (only `development` asks the database each time).
    expect(env.APP_ENV).not.toBe('development');
    expect((await send('GET', '/health/db')).status).toBe(200);
    const afterFirst = counter.count();
    for (let i = 0; i < 20; i++) expect((await send('GET', '/health/db')).status).toBe(200);
    expect(counter.count()).toBe(afterFirst);
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
