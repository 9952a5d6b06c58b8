import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';

import worker from '@/index';
import { ConfigurationError } from '@/env';
import { fakeBatch } from '@test/support/saga-fakes';

/**
 * Production fails closed (issue 19): the Worker started with `APP_ENV=production` and a simulated payment provider
 * refuses every request, queue batch and cron run until the provider is real or the simulation is allowed. Runs in
 * the `workers` lane and in `security-production` (whose settings are a staging deploy that allows it).
 */
const production = (overrides: Record<string, string | undefined>) => ({ ...env, APP_ENV: 'production', PAYMENT_GATEWAY_MODE: 'success', ...overrides }) as typeof env;

async function get(path: string, settings: typeof env) {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`http://shop.test${path}`), settings, ctx);
  await waitOnExecutionContext(ctx);
  return { status: res.status, body: (await res.json()) as { error?: { code: string; message: string } } };
}

describe('production refuses the simulated payment provider at start-up', () => {
  it('answers 503 MISCONFIGURED with the reason on the first request, API and health alike', async () => {
    const refused = production({ ALLOW_SIMULATED_PAYMENTS: undefined });
    for (const path of ['/health/live', '/api/v1/products']) {
      const res = await get(path, refused);
      expect(res.status).toBe(503);
      expect(res.body.error?.code).toBe('MISCONFIGURED');
      expect(res.body.error?.message).toMatch(/APP_ENV=production refuses the simulated payment provider.*ALLOW_SIMULATED_PAYMENTS=true/);
    }
  });

  it('serves once ALLOW_SIMULATED_PAYMENTS=true (a staging deploy) with its webhook secret', async () => {
    expect((await get('/health/live', production({ ALLOW_SIMULATED_PAYMENTS: 'true', SIMULATED_WEBHOOK_SECRET: 'whsec_staging' }))).status).toBe(200);
    expect((await get('/health/live', production({ ALLOW_SIMULATED_PAYMENTS: 'false' }))).status).toBe(503);
  });

  it('refuses the real provider without its secrets', async () => {
    const res = await get('/health/live', production({ PAYMENT_GATEWAY_MODE: 'stripe', STRIPE_SECRET_KEY: undefined, STRIPE_WEBHOOK_SECRET: undefined }));
    expect(res.status).toBe(503);
    expect(res.body.error?.message).toMatch(/STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET/);
  });

  it('charges nothing: a saga batch is refused before any consumer runs, and the cron does not run', async () => {
    const refused = production({ ALLOW_SIMULATED_PAYMENTS: undefined });
    const batch = fakeBatch('order-events', [{ type: 'order.created' }]);
    await expect(worker.queue(batch as unknown as MessageBatch, refused, createExecutionContext())).rejects.toThrow(ConfigurationError);
    await expect(worker.scheduled({ scheduledTime: Date.now(), cron: '* * * * *', noRetry: () => undefined }, refused, createExecutionContext())).rejects.toThrow(ConfigurationError);
  });
});
