import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';

describe('health', () => {
  it('reports liveness without touching dependencies', async () => {
    const res = await SELF.fetch('http://shop.test/health/live');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'UP' });
  });

  it('reports postgres and queue UP with the kafka alias', async () => {
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
