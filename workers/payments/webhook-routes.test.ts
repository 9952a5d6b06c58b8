import { env } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { createTestApp } from '@/app';
import { placeOrder } from '@/orders/placing';
import type { PaymentEvent } from '@/orders/messages';
import type { PaymentDeps } from '@/payments/service';
import { paymentHistory, payments, paymentWebhookEvents } from '@/payments/tables';
import { createPaymentWebhooksRouter } from '@/payments/webhook-routes';
import { signWebhookPayload } from '@/payments/webhook-signature';
import { createSimulatedGateway } from '@/payments/gateway';
import { createDb, withTransaction } from '@/platform/db';
import type { Logger } from '@/platform/logger';
import { createTestProduct, createTestUser, type TestUser } from '@test/support/shop-fixtures';
import { fakeOrderDeps, quietLogger } from '@test/support/saga-fakes';
import { intentEvent, signed } from '@test/support/webhooks';

const SECRET = env.SIMULATED_WEBHOOK_SECRET!;
const db = createDb(env);
const published: PaymentEvent[] = [];
const warnings: string[] = [];
const logger: Logger = { ...quietLogger(), warn: (msg: string, fields?: Record<string, unknown>) => void warnings.push(`${msg} ${JSON.stringify(fields ?? {})}`) };
logger.child = () => logger;
const deps: PaymentDeps = {
  db,
  gateway: createSimulatedGateway({ kind: 'success' }),
  publish: async (event) => void published.push(event),
  transaction: (fn) => withTransaction(env, fn),
  logger,
};
const app = createTestApp(createPaymentWebhooksRouter(() => deps));
let buyer: TestUser;
let productId: number;

async function deliver(delivery: { body: string; headers: Record<string, string> }, provider = 'simulated', settings: Partial<typeof env> = {}) {
  const res = await app.request(`/api/v1/payments/webhooks/${provider}`, { method: 'POST', headers: delivery.headers, body: delivery.body }, { ...env, ...settings });
  return { status: res.status, body: (await res.json()) as { outcome?: string; error?: { code: string } } };
}

/** A PENDING order with its PENDING payment of 50.00 USD, as the saga leaves it while the provider decides. */
async function pendingPayment() {
  const { order } = await placeOrder(fakeOrderDeps().deps, { id: buyer.id, role: 'customer' }, { items: [{ productId, quantity: 2 }], shippingAddress: { street: 's', city: 'c', state: 'st', country: 'VN', zipCode: '7' } }, 'corr');
  const [payment] = await db.insert(payments).values({ orderId: order.id, userId: buyer.id, amountCents: 5000, currency: 'USD', idempotencyKey: order.id }).returning();
  return { orderId: order.id, paymentId: payment!.id };
}

const statusOf = async (paymentId: string) => (await db.select().from(payments).where(eq(payments.id, paymentId)))[0]!;

beforeAll(async () => {
  buyer = await createTestUser('customer');
  productId = (await createTestProduct((await createTestUser('seller')).id, { priceCents: 2500 })).id;
});
beforeEach(() => {
  published.length = 0;
  warnings.length = 0;
});

describe('POST /api/v1/payments/webhooks/{provider}: signed events move the payment', () => {
  it('a signed payment_intent.succeeded completes the PENDING payment and publishes payment.completed; its repeat is a duplicate', async () => {
    const { orderId, paymentId } = await pendingPayment();
    const event = intentEvent({ paymentId, amountCents: 5000, intentId: 'pi_success_1' });
    const delivery = await signed(event, SECRET);
    expect(await deliver(delivery)).toEqual({ status: 200, body: { received: true, eventId: event.id, outcome: 'applied' } });
    expect(await statusOf(paymentId)).toMatchObject({ status: 'COMPLETED', gatewayReference: 'pi_success_1' });
    expect(published).toEqual([expect.objectContaining({ type: 'payment.completed', orderId, paymentId, amount: 50, eventId: `${paymentId}:COMPLETED` })]);

    // The provider retries (same event id, same or a fresh signature): answered 200, nothing moves or is published.
    published.length = 0;
    expect((await deliver(delivery)).body.outcome).toBe('duplicate');
    expect((await deliver(await signed(event, SECRET))).body.outcome).toBe('duplicate');
    expect(published).toEqual([]);
    expect(await db.select().from(paymentWebhookEvents).where(eq(paymentWebhookEvents.eventId, event.id))).toEqual([expect.objectContaining({ provider: 'simulated', paymentId, outcome: 'applied' })]);
    expect((await db.select().from(paymentHistory).where(eq(paymentHistory.paymentId, paymentId))).map((h) => h.newStatus)).toEqual(['COMPLETED']);
  });

  it('a decline fails the payment; a late success of the same payment (out of order) records the money so the order side refunds it', async () => {
    const { paymentId } = await pendingPayment();
    const failed = await deliver(await signed(intentEvent({ paymentId, amountCents: 5000, type: 'payment_intent.payment_failed', declineCode: 'insufficient_funds' }), SECRET));
    expect(failed).toMatchObject({ status: 200, body: { outcome: 'applied' } });
    expect(await statusOf(paymentId)).toMatchObject({ status: 'FAILED', failureReason: expect.stringContaining('insufficient_funds') });
    expect(published.map((e) => e.type)).toEqual(['payment.failed']);

    // A second, different failure event for the decided payment is stale: nothing moves.
    expect((await deliver(await signed(intentEvent({ paymentId, amountCents: 5000, type: 'payment_intent.canceled' }), SECRET))).body.outcome).toBe('stale');
    expect((await statusOf(paymentId)).status).toBe('FAILED');

    expect((await deliver(await signed(intentEvent({ paymentId, amountCents: 5000 }), SECRET))).body.outcome).toBe('applied');
    expect((await statusOf(paymentId)).status).toBe('COMPLETED');
    expect(published.map((e) => e.type)).toEqual(['payment.failed', 'payment.failed', 'payment.completed']);
  });

  it('a failure arriving after the success is stale: the payment stays COMPLETED', async () => {
    const { paymentId } = await pendingPayment();
    await deliver(await signed(intentEvent({ paymentId, amountCents: 5000 }), SECRET));
    const late = await deliver(await signed(intentEvent({ paymentId, amountCents: 5000, type: 'payment_intent.payment_failed', declineCode: 'generic_decline' }), SECRET));
    expect(late).toMatchObject({ status: 200, body: { outcome: 'stale' } });
    expect((await statusOf(paymentId)).status).toBe('COMPLETED');
  });
});

describe('webhook signature and replay suite: refused, logged, nothing moves', () => {
  const refusedUnchanged = async (paymentId: string, res: { status: number; body: { error?: { code: string } } }, status: number, code: string) => {
    expect(res).toMatchObject({ status, body: { error: { code } } });
    expect((await statusOf(paymentId)).status).toBe('PENDING');
    expect(published).toEqual([]);
    expect(warnings.some((w) => w.startsWith('webhook refused') && w.includes(code))).toBe(true);
  };

  it('forged (another secret), tampered body, missing or malformed signature → 400 WEBHOOK_SIGNATURE_INVALID', async () => {
    const { paymentId } = await pendingPayment();
    const event = intentEvent({ paymentId, amountCents: 5000 });
    await refusedUnchanged(paymentId, await deliver(await signed(event, 'whsec_attacker')), 400, 'WEBHOOK_SIGNATURE_INVALID');
    const genuine = await signed(event, SECRET);
    const tampered = { ...genuine, body: genuine.body.replace('"amount":5000', '"amount":5001') };
    await refusedUnchanged(paymentId, await deliver(tampered), 400, 'WEBHOOK_SIGNATURE_INVALID');
    await refusedUnchanged(paymentId, await deliver({ body: genuine.body, headers: { 'content-type': 'application/json' } }), 400, 'WEBHOOK_SIGNATURE_INVALID');
    await refusedUnchanged(paymentId, await deliver({ body: genuine.body, headers: { 'stripe-signature': 't=1,v1=nothex' } }), 400, 'WEBHOOK_SIGNATURE_INVALID');
  });

  it('a captured delivery replayed after the tolerance (or dated in the future) is stale → 400, even with the right secret', async () => {
    const { paymentId } = await pendingPayment();
    const event = intentEvent({ paymentId, amountCents: 5000 });
    const now = Math.floor(Date.now() / 1000);
    await refusedUnchanged(paymentId, await deliver(await signed(event, SECRET, now - 360)), 400, 'WEBHOOK_SIGNATURE_INVALID');
    await refusedUnchanged(paymentId, await deliver(await signed(event, SECRET, now + 360)), 400, 'WEBHOOK_SIGNATURE_INVALID');
  });

  it('unknown event types, bodies that are not events and unknown payments are refused', async () => {
    const { paymentId } = await pendingPayment();
    await refusedUnchanged(paymentId, await deliver(await signed({ ...intentEvent({ paymentId, amountCents: 5000 }), type: 'customer.deleted' }, SECRET)), 400, 'WEBHOOK_EVENT_UNSUPPORTED');
    const notJson = '{"id":';
    await refusedUnchanged(paymentId, await deliver({ body: notJson, headers: { 'stripe-signature': await signWebhookPayload(notJson, SECRET) } }), 400, 'WEBHOOK_EVENT_INVALID');
    await refusedUnchanged(paymentId, await deliver(await signed({ id: 'evt_x', object: 'event', type: 'payment_intent.succeeded', livemode: false, data: { object: { id: 'cus_1', object: 'customer' } } }, SECRET)), 400, 'WEBHOOK_EVENT_INVALID');
    await refusedUnchanged(paymentId, await deliver(await signed(intentEvent({ paymentId: crypto.randomUUID(), amountCents: 5000 }), SECRET)), 422, 'WEBHOOK_REFUSED');
  });

  it('an amount or currency that differs from the payment, another intent, account or environment → 422 WEBHOOK_REFUSED', async () => {
    const { paymentId } = await pendingPayment();
    for (const options of [{ amountCents: 4999 }, { amountCents: 5000, currency: 'eur' }, { amountCents: 5000, account: 'acct_someone_else' }, { amountCents: 5000, appEnv: 'production' }, { amountCents: 5000, livemode: true }]) {
      await refusedUnchanged(paymentId, await deliver(await signed(intentEvent({ paymentId, ...options }), SECRET)), 422, 'WEBHOOK_REFUSED');
    }
    await deliver(await signed(intentEvent({ paymentId, amountCents: 5000, intentId: 'pi_first' }), SECRET));
    published.length = 0;
    const other = await deliver(await signed(intentEvent({ paymentId, amountCents: 5000, intentId: 'pi_other', type: 'payment_intent.payment_failed' }), SECRET));
    expect(other).toMatchObject({ status: 422, body: { error: { code: 'WEBHOOK_REFUSED' } } });
    expect((await statusOf(paymentId)).gatewayReference).toBe('pi_first');
  });

  it('refused event ids are not remembered: the genuine event with the same id is applied later', async () => {
    const { paymentId } = await pendingPayment();
    const event = intentEvent({ paymentId, amountCents: 5000 });
    expect((await deliver(await signed(event, 'whsec_attacker'))).status).toBe(400);
    expect((await deliver(await signed(event, SECRET))).body.outcome).toBe('applied');
  });

  it('the provider that is not configured answers 404; an unknown provider 400', async () => {
    const { paymentId } = await pendingPayment();
    await refusedUnchanged(paymentId, await deliver(await signed(intentEvent({ paymentId, amountCents: 5000 }), SECRET), 'stripe'), 404, 'WEBHOOK_PROVIDER_NOT_CONFIGURED');
    expect((await deliver(await signed(intentEvent({ paymentId, amountCents: 5000 }), SECRET), 'paypal')).status).toBe(400);
  });

  it('rotating secrets: the real provider accepts the current and the previous secret, not a retired one', async () => {
    const stripe = { PAYMENT_GATEWAY_MODE: 'stripe', STRIPE_SECRET_KEY: 'sk_test_x', STRIPE_WEBHOOK_SECRET: 'whsec_new', STRIPE_WEBHOOK_SECRET_PREVIOUS: 'whsec_old' } as Partial<typeof env>;
    const first = await pendingPayment();
    expect((await deliver(await signed(intentEvent({ paymentId: first.paymentId, amountCents: 5000 }), 'whsec_new'), 'stripe', stripe)).body.outcome).toBe('applied');
    const second = await pendingPayment();
    expect((await deliver(await signed(intentEvent({ paymentId: second.paymentId, amountCents: 5000 }), 'whsec_old'), 'stripe', stripe)).body.outcome).toBe('applied');
    published.length = 0;
    const third = await pendingPayment();
    await refusedUnchanged(third.paymentId, await deliver(await signed(intentEvent({ paymentId: third.paymentId, amountCents: 5000 }), 'whsec_retired'), 'stripe', stripe), 400, 'WEBHOOK_SIGNATURE_INVALID');
    // A live-mode event is accepted only with a live key.
    await refusedUnchanged(third.paymentId, await deliver(await signed(intentEvent({ paymentId: third.paymentId, amountCents: 5000, livemode: true }), 'whsec_new'), 'stripe', stripe), 422, 'WEBHOOK_REFUSED');
  });

  it('is not throttled by the per-address shopper limit (the provider delivers from few addresses); signatures still apply', async () => {
    const { paymentId } = await pendingPayment();
    const exhausted = { API_RATE_LIMITER: { limit: async () => ({ success: false }) } } as unknown as Partial<typeof env>;
    expect((await deliver(await signed(intentEvent({ paymentId, amountCents: 5000 }), 'whsec_attacker'), 'simulated', exhausted)).status).toBe(400);
    expect((await deliver(await signed(intentEvent({ paymentId, amountCents: 5000 }), SECRET), 'simulated', exhausted)).body.outcome).toBe('applied');
    const other = await app.request('/api/v1/payments/nope', { method: 'POST' }, { ...env, ...exhausted });
    expect(other.status).toBe(429);
  });
});
