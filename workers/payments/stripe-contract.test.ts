import { describe, expect, it } from 'vitest';

import { createStripeGateway, createStripeIntent, TransientGatewayError } from '@/payments/gateway';
import { retrieveStripeIntent } from '@/payments/reconcile';
import { intentSchema, refundObjectSchema } from '@/payments/webhooks';
import authenticationRequired from '@test/support/stripe/authentication-required-402.json';
import cardDeclined from '@test/support/stripe/card-declined-402.json';
import succeededEvent from '@test/support/stripe/event-payment-intent-succeeded.json';
import invalidKey from '@test/support/stripe/invalid-api-key-401.json';
import intentCreated from '@test/support/stripe/payment-intent-created.json';
import intentSucceeded from '@test/support/stripe/payment-intent-succeeded.json';
import rateLimited from '@test/support/stripe/rate-limited-429.json';
import refundPending from '@test/support/stripe/refund-pending.json';
import refundSucceeded from '@test/support/stripe/refund-succeeded.json';
import refundUpdatedEvent from '@test/support/stripe/event-refund-updated.json';
import searchResult from '@test/support/stripe/search-result.json';
import { recordedProvider } from '@test/support/stripe/provider';

/**
 * Contract of the real provider's adapter against recorded responses (test/support/stripe/*.json, shaped as the
 * provider answers): fetch is stubbed at the adapter boundary only, and every request is checked as the provider
 * would read it — path, method, bearer key, idempotency key, form fields.
 */
const provider = recordedProvider;

const BASE = 'https://provider.test';
const PAYMENT_ID = '01939f3c-5a1f-7000-8000-000000000001';
const ORDER_ID = '01939f3c-5a1e-7c2b-9d4e-2f6a8b0c1d3e';
const charge = { paymentId: PAYMENT_ID, orderId: ORDER_ID, amountCents: 8400, currency: 'USD' };

describe('provider contract: off-session charge (POST /v1/payment_intents, confirm=true)', () => {
  it('sends the exact amount, lower-case currency, metadata and the payment id as idempotency key; a succeeded intent is approved', async () => {
    const { requests, fetch } = provider(200, intentSucceeded);
    const gateway = createStripeGateway({ secretKey: 'sk_test_51abc', fetch, baseUrl: BASE, appEnv: 'production', paymentMethod: 'pm_card_visa' });
    expect(await gateway.charge(charge)).toEqual({ outcome: 'approved', gatewayReference: 'pi_3QbH1e2eZvKYlo2C0s7LxJ4b' });
    const [sent] = requests;
    expect(sent).toMatchObject({ url: `${BASE}/v1/payment_intents`, method: 'POST', headers: { authorization: 'Bearer sk_test_51abc', 'idempotency-key': PAYMENT_ID, 'content-type': 'application/x-www-form-urlencoded' } });
    expect(Object.fromEntries(sent!.form)).toMatchObject({ amount: '8400', currency: 'usd', confirm: 'true', payment_method: 'pm_card_visa', 'metadata[payment_id]': PAYMENT_ID, 'metadata[order_id]': ORDER_ID, 'metadata[app_env]': 'production' });
  });

  it('a 402 card error is a decline naming the decline code', async () => {
    const gateway = createStripeGateway({ secretKey: 'sk', fetch: provider(402, cardDeclined).fetch, baseUrl: BASE });
    expect(await gateway.charge(charge)).toEqual({ outcome: 'declined', reason: `gateway declined: insufficient_funds (paymentId=${PAYMENT_ID})` });
  });

  it('429 is transient (retried); 401 is our configuration, never retried', async () => {
    await expect(createStripeGateway({ secretKey: 'sk', fetch: provider(429, rateLimited).fetch, baseUrl: BASE }).charge(charge)).rejects.toBeInstanceOf(TransientGatewayError);
    const misconfigured = createStripeGateway({ secretKey: 'sk', fetch: provider(401, invalidKey).fetch, baseUrl: BASE }).charge(charge);
    await expect(misconfigured).rejects.toThrow(/rejected the request: 401 Invalid API Key/);
    await expect(misconfigured).rejects.not.toBeInstanceOf(TransientGatewayError);
  });
});

describe('provider contract: off-session charge of a saved card', () => {
  const savedMethod = { customerId: 'cus_RUa7kLm2NpQ4sT', paymentMethodId: 'pm_1QbH6m2eZvKYlo2CfGhIjKlM' };

  it("names the buyer's customer and saved payment method, off_session=true; a succeeded intent is approved", async () => {
    const { requests, fetch } = provider(200, intentSucceeded);
    const gateway = createStripeGateway({ secretKey: 'sk', fetch, baseUrl: BASE, appEnv: 'production' });
    expect(await gateway.charge({ ...charge, savedMethod })).toMatchObject({ outcome: 'approved' });
    expect(requests[0]!.headers['idempotency-key']).toBe(PAYMENT_ID);
    expect(Object.fromEntries(requests[0]!.form)).toMatchObject({ customer: savedMethod.customerId, payment_method: savedMethod.paymentMethodId, off_session: 'true', confirm: 'true', amount: '8400' });
  });

  it('402 authentication_required is not a decline: the buyer must confirm the returned intent with its client secret', async () => {
    const gateway = createStripeGateway({ secretKey: 'sk', fetch: provider(402, authenticationRequired).fetch, baseUrl: BASE });
    expect(await gateway.charge({ ...charge, savedMethod })).toEqual({ outcome: 'requires_action', gatewayReference: 'pi_3QbH7p2eZvKYlo2C1hIjKlMn', clientSecret: 'pi_3QbH7p2eZvKYlo2C1hIjKlMn_secret_Zz9Yy8Xx7Ww6Vv5Uu4Tt3Ss2R' });
  });
});

describe('provider contract: client-confirmed intent (no confirm)', () => {
  it('creates the intent for the exact total with the payment id as idempotency key and returns its client secret', async () => {
    const { requests, fetch } = provider(200, intentCreated);
    const intent = await createStripeIntent({ secretKey: 'sk', fetch, baseUrl: BASE, appEnv: 'production' }, { ...charge, amountCents: 4200 });
    expect(intent).toEqual({ id: 'pi_3QbH3g2eZvKYlo2C2mNoPqRs', clientSecret: 'pi_3QbH3g2eZvKYlo2C2mNoPqRs_secret_9sT8uV7wX6yZ5aB4cD3eF2gH1' });
    expect(requests[0]!.headers['idempotency-key']).toBe(PAYMENT_ID);
    expect(requests[0]!.form.get('confirm')).toBeNull();
    expect(Object.fromEntries(requests[0]!.form)).toMatchObject({ amount: '4200', currency: 'usd', 'automatic_payment_methods[enabled]': 'true', 'metadata[app_env]': 'production' });
  });

  it('a rate limit is transient; a rejected request is not', async () => {
    await expect(createStripeIntent({ secretKey: 'sk', fetch: provider(429, rateLimited).fetch, baseUrl: BASE }, charge)).rejects.toBeInstanceOf(TransientGatewayError);
    await expect(createStripeIntent({ secretKey: 'sk', fetch: provider(401, invalidKey).fetch, baseUrl: BASE }, charge)).rejects.toThrow(/401/);
  });
});

describe('provider contract: refunds and lookups', () => {
  it('refunds an amount of the intent with the refund idempotency key and our refund id in its metadata; succeeded is recorded now', async () => {
    const { requests, fetch } = provider(200, refundSucceeded);
    const gateway = createStripeGateway({ secretKey: 'sk', fetch, baseUrl: BASE, appEnv: 'production' });
    const refund = { paymentId: PAYMENT_ID, gatewayReference: 'pi_3QbH1e2eZvKYlo2C0s7LxJ4b', amountCents: 2000, idempotencyKey: 'refund-r1', refundId: 'r1' };
    expect(await gateway.refund(refund)).toEqual({ refundReference: 're_3QbH1e2eZvKYlo2C0bCdEfGh', status: 'succeeded' });
    expect(requests[0]).toMatchObject({ url: `${BASE}/v1/refunds`, headers: { 'idempotency-key': 'refund-r1' } });
    expect(Object.fromEntries(requests[0]!.form)).toEqual({ payment_intent: 'pi_3QbH1e2eZvKYlo2C0s7LxJ4b', amount: '2000', 'metadata[payment_id]': PAYMENT_ID, 'metadata[refund_id]': 'r1', 'metadata[app_env]': 'production' });
  });

  it('a pending refund is left for its webhook; the recorded refund.updated event carries what the handler reads', async () => {
    const gateway = createStripeGateway({ secretKey: 'sk', fetch: provider(200, refundPending).fetch, baseUrl: BASE });
    expect(await gateway.refund({ paymentId: PAYMENT_ID, gatewayReference: 'pi_3QbH1e2eZvKYlo2C0s7LxJ4b', amountCents: 2000 })).toEqual({ refundReference: 're_3QbH8q2eZvKYlo2C0pEnDiNg', status: 'pending' });
    expect(refundUpdatedEvent).toMatchObject({ object: 'event', type: 'refund.updated' });
    expect(refundObjectSchema.parse(refundUpdatedEvent.data.object)).toMatchObject({ id: 're_3QbH8q2eZvKYlo2C0pEnDiNg', status: 'succeeded', amount: 2000, currency: 'usd', metadata: { payment_id: PAYMENT_ID } });
  });

  it('the reconciliation lookup reads a recorded intent and a search result, both parseable as our intent', async () => {
    const byId = await retrieveStripeIntent({ secretKey: 'sk', fetch: provider(200, intentSucceeded).fetch, baseUrl: BASE }, { id: PAYMENT_ID, gatewayReference: 'pi_3QbH1e2eZvKYlo2C0s7LxJ4b' });
    expect(intentSchema.parse(byId)).toMatchObject({ id: 'pi_3QbH1e2eZvKYlo2C0s7LxJ4b', status: 'succeeded', amount: 8400, metadata: { payment_id: PAYMENT_ID } });
    const searched = await retrieveStripeIntent({ secretKey: 'sk', fetch: provider(200, searchResult).fetch, baseUrl: BASE }, { id: PAYMENT_ID, gatewayReference: null });
    expect(intentSchema.parse(searched)).toMatchObject({ id: 'pi_3QbH1e2eZvKYlo2C0s7LxJ4b', status: 'succeeded' });
  });

  it("the provider's recorded webhook event carries the intent our webhook handler reads", () => {
    expect(succeededEvent).toMatchObject({ object: 'event', type: 'payment_intent.succeeded', livemode: false });
    expect(intentSchema.parse(succeededEvent.data.object)).toMatchObject({ amount: 8400, currency: 'usd', metadata: { payment_id: PAYMENT_ID, app_env: 'production' } });
  });
});
