import { describe, expect, it } from 'vitest';

import { TransientGatewayError } from '@/payments/gateway';
import { createStripeVault } from '@/payments/vault';
import { setupIntentSchema } from '@/payments/webhooks';
import customerCreated from '@test/support/stripe/customer-created.json';
import setupSucceededEvent from '@test/support/stripe/event-setup-intent-succeeded.json';
import invalidKey from '@test/support/stripe/invalid-api-key-401.json';
import paymentMethodCard from '@test/support/stripe/payment-method-card.json';
import paymentMethodDetached from '@test/support/stripe/payment-method-detached.json';
import { recordedProvider as provider } from '@test/support/stripe/provider';
import rateLimited from '@test/support/stripe/rate-limited-429.json';
import setupIntentCreated from '@test/support/stripe/setup-intent-created.json';

/** Contract of the real provider's customers, SetupIntents and PaymentMethods against recorded answers. */
const BASE = 'https://provider.test';
const USER_ID = '01939f3c-5a1d-7000-8000-00000000000a';
const vault = (status: number, body: unknown) => {
  const recorded = provider(status, body);
  return { ...recorded, vault: createStripeVault({ secretKey: 'sk_test_51abc', fetch: recorded.fetch, baseUrl: BASE, appEnv: 'production' }) };
};

describe('provider contract: customers and setup intents', () => {
  it('creates the buyer’s customer once per user (idempotency key from the user id), tagged with user and environment', async () => {
    const { requests, vault: v } = vault(200, customerCreated);
    expect(await v.createCustomer({ userId: USER_ID })).toEqual({ id: 'cus_RUa7kLm2NpQ4sT' });
    expect(requests[0]).toMatchObject({ url: `${BASE}/v1/customers`, method: 'POST', headers: { authorization: 'Bearer sk_test_51abc', 'idempotency-key': `customer-${USER_ID}` } });
    expect(Object.fromEntries(requests[0]!.form)).toEqual({ 'metadata[user_id]': USER_ID, 'metadata[app_env]': 'production' });
  });

  it('opens an off-session setup intent for the customer and returns its client secret', async () => {
    const { requests, vault: v } = vault(200, setupIntentCreated);
    const setup = await v.createSetupIntent({ customerId: 'cus_RUa7kLm2NpQ4sT', userId: USER_ID, requestId: 'r1' });
    expect(setup).toEqual({ id: 'seti_1QbH5k2eZvKYlo2CxYzAbCdE', clientSecret: 'seti_1QbH5k2eZvKYlo2CxYzAbCdE_secret_RUa9PqRsTuVwXyZ0aBcDeFgHiJkLmNo' });
    expect(requests[0]).toMatchObject({ url: `${BASE}/v1/setup_intents`, headers: { 'idempotency-key': 'setup-r1' } });
    expect(Object.fromEntries(requests[0]!.form)).toEqual({ customer: 'cus_RUa7kLm2NpQ4sT', usage: 'off_session', 'automatic_payment_methods[enabled]': 'true', 'metadata[user_id]': USER_ID, 'metadata[app_env]': 'production' });
  });

  it('a rate limit is transient; a rejected key is not', async () => {
    await expect(vault(429, rateLimited).vault.createCustomer({ userId: USER_ID })).rejects.toBeInstanceOf(TransientGatewayError);
    const rejected = vault(401, invalidKey).vault.createSetupIntent({ customerId: 'cus_x', userId: USER_ID, requestId: 'r' });
    await expect(rejected).rejects.toThrow(/setup intent rejected: 401 Invalid API Key/);
  });

  it("the recorded setup_intent.succeeded event carries what the webhook handler reads (customer, payment method, buyer)", () => {
    expect(setupSucceededEvent).toMatchObject({ object: 'event', type: 'setup_intent.succeeded', livemode: false });
    expect(setupIntentSchema.parse(setupSucceededEvent.data.object)).toMatchObject({ customer: 'cus_RUa7kLm2NpQ4sT', payment_method: 'pm_1QbH6m2eZvKYlo2CfGhIjKlM', metadata: { user_id: USER_ID, app_env: 'production' } });
  });
});

describe('provider contract: payment methods', () => {
  it('reads a saved card: only brand, last four digits, expiry and its customer', async () => {
    const { requests, vault: v } = vault(200, paymentMethodCard);
    expect(await v.retrievePaymentMethod('pm_1QbH6m2eZvKYlo2CfGhIjKlM')).toEqual({ id: 'pm_1QbH6m2eZvKYlo2CfGhIjKlM', customerId: 'cus_RUa7kLm2NpQ4sT', brand: 'visa', last4: '4242', expMonth: 12, expYear: 2029 });
    expect(requests[0]).toMatchObject({ url: `${BASE}/v1/payment_methods/pm_1QbH6m2eZvKYlo2CfGhIjKlM`, method: 'GET' });
    expect(requests[0]!.headers['idempotency-key']).toBeUndefined();
  });

  it('a method the provider does not know is null', async () => {
    expect(await vault(404, { error: { code: 'resource_missing', type: 'invalid_request_error' } }).vault.retrievePaymentMethod('pm_gone')).toBeNull();
  });

  it('detaches a removed card (idempotent key per method); the answer shows it has no customer any more', async () => {
    const { requests, vault: v } = vault(200, paymentMethodDetached);
    await v.detachPaymentMethod('pm_1QbH6m2eZvKYlo2CfGhIjKlM');
    expect(requests[0]).toMatchObject({ url: `${BASE}/v1/payment_methods/pm_1QbH6m2eZvKYlo2CfGhIjKlM/detach`, method: 'POST', headers: { 'idempotency-key': 'detach-pm_1QbH6m2eZvKYlo2CfGhIjKlM' } });
    await expect(vault(429, rateLimited).vault.detachPaymentMethod('pm_x')).rejects.toBeInstanceOf(TransientGatewayError);
  });
});
