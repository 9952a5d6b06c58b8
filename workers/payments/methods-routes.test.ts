import { env } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';

import { createTestApp } from '@/app';
import { createSimulatedGateway, TransientGatewayError } from '@/payments/gateway';
import { createPaymentMethodsRouter } from '@/payments/methods-routes';
import type { PaymentDeps } from '@/payments/service';
import { paymentCustomers, savedPaymentMethods } from '@/payments/tables';
import type { VaultPort } from '@/payments/vault';
import { createDb, withTransaction } from '@/platform/db';
import { createTestUser, jsonHeaders, type TestUser } from '@test/support/shop-fixtures';
import { quietLogger } from '@test/support/saga-fakes';

/** A provider that does not answer: the buyer gets 504 and nothing changes on our side. */
const db = createDb(env);
const unreachable = async (): Promise<never> => {
  throw new TransientGatewayError('payment provider unreachable');
};
const vault: VaultPort = { provider: 'simulated', createCustomer: unreachable, createSetupIntent: unreachable, retrievePaymentMethod: unreachable, detachPaymentMethod: unreachable };
const deps: PaymentDeps = { db, gateway: createSimulatedGateway({ kind: 'success' }), vault, publish: async () => undefined, transaction: (fn) => withTransaction(env, fn), logger: quietLogger() };
const app = createTestApp(createPaymentMethodsRouter(() => deps));
let buyer: TestUser;

beforeAll(async () => {
  buyer = await createTestUser('customer');
});

describe('saved payment methods when the provider does not answer', () => {
  it('a setup is 504 and creates no customer', async () => {
    const res = await app.request('/api/v1/payments/methods/setup', { method: 'POST', headers: jsonHeaders(buyer) }, env);
    expect(res.status).toBe(504);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('GATEWAY_TIMEOUT');
    expect(await db.select().from(paymentCustomers).where(eq(paymentCustomers.userId, buyer.id))).toEqual([]);
  });

  it('a removal is 504 and the card stays saved (and the default)', async () => {
    const [card] = await db.insert(savedPaymentMethods).values({ userId: buyer.id, provider: 'simulated', customerId: 'cus_sim_x', providerMethodId: `pm_sim_${crypto.randomUUID()}`, brand: 'visa', last4: '4242', expMonth: 12, expYear: 2030, isDefault: true }).returning();
    const res = await app.request(`/api/v1/payments/methods/${card!.id}`, { method: 'DELETE', headers: jsonHeaders(buyer) }, env);
    expect(res.status).toBe(504);
    const listed = await app.request('/api/v1/payments/methods', { headers: jsonHeaders(buyer) }, env);
    expect(((await listed.json()) as { data: { id: string; isDefault: boolean }[] }).data).toEqual([expect.objectContaining({ id: card!.id, isDefault: true })]);
  });
});

describe('GET /api/v1/payments/provider', () => {
  const provider = async (vars: Record<string, string>) => {
    const res = await app.request('/api/v1/payments/provider', {}, { ...env, ...vars });
    expect(res.status).toBe(200);
    return ((await res.json()) as { data: unknown }).data;
  };

  it('names the simulated provider, with no key, to anyone (no sign-in needed)', async () => {
    expect(await provider({ PAYMENT_GATEWAY_MODE: 'success' })).toEqual({ provider: 'simulated', publishableKey: null });
  });

  it("hands the real provider's publishable key to the browser, never its secret key", async () => {
    const stripe = { PAYMENT_GATEWAY_MODE: 'stripe', STRIPE_SECRET_KEY: 'sk_test_secret', STRIPE_WEBHOOK_SECRET: 'whsec_x' };
    expect(await provider({ ...stripe, STRIPE_PUBLISHABLE_KEY: 'pk_test_123' })).toEqual({ provider: 'stripe', publishableKey: 'pk_test_123' });
    expect(await provider({ ...stripe, STRIPE_PUBLISHABLE_KEY: '' })).toEqual({ provider: 'stripe', publishableKey: null });
  });
});
