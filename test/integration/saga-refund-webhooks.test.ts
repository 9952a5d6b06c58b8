import { env, SELF } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';

import { createSimulatedGateway } from '@/payments/gateway';
import { refundOrderPart } from '@/payments/refunds';
import { paymentRefunds, paymentWebhookEvents } from '@/payments/tables';
import { signWebhookPayload } from '@/payments/webhook-signature';
import { newId } from '@/platform/columns';
import { createDb, withTransaction } from '@/platform/db';
import { jsonHeaders, type TestUser } from '@test/support/shop-fixtures';
import { buyerAndProduct, orderAsBuyer, orderWithIntent, ORIGIN, paymentRow } from '@test/support/simulated-payments';
import { poll } from '@test/support/poll';

/**
 * Refunds confirmed by the provider's signed webhook: a refund the provider answers `pending` changes no money until
 * its `refund.updated` (succeeded) arrives; repeated and out-of-order events never count a refund twice. The
 * simulated provider confirms its refunds that way, so a cancellation's refund in the saga arrives by webhook too.
 */
const db = createDb(env);
let buyer: TestUser;
let productId: number;

beforeAll(async () => {
  ({ buyer, productId } = await buyerAndProduct());
});

/** A CONFIRMED order paid on the provider page (84.00 USD, intent `pi_sim_…`). */
async function paidOrder() {
  const { orderId, paymentId, intent } = await orderWithIntent(buyer, productId, { quantity: 2, confirmation: 'client' });
  const body = new URLSearchParams({ client_secret: intent.clientSecret, card_number: '4242424242424242' }).toString();
  await SELF.fetch(`${ORIGIN}/pay/sim/${intent.id}/confirm`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
  await poll(async () => ((await orderAsBuyer(buyer, orderId)).status === 'CONFIRMED' ? true : undefined));
  return { orderId, paymentId, intentId: intent.id };
}

async function deliver(id: string, type: string, refund: Record<string, unknown>) {
  const body = JSON.stringify({ id, object: 'event', created: 1, type, livemode: false, data: { object: refund } });
  const res = await SELF.fetch(`${ORIGIN}/api/v1/payments/webhooks/simulated`, { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': await signWebhookPayload(body, env.SIMULATED_WEBHOOK_SECRET ?? '') }, body });
  return { status: res.status, body: (await res.json()) as { outcome?: string; error?: { code: string } } };
}

describe('refunds confirmed by webhook', () => {
  it('a pending partial refund moves no money until its signed refund.updated; repeats and late events change nothing', async () => {
    const { orderId, paymentId, intentId } = await paidOrder();
    const pendingGateway = { ...createSimulatedGateway({ kind: 'success' }), refund: async () => ({ refundReference: 're_pending_1', status: 'pending' as const }) };
    const returnId = newId();
    await refundOrderPart({ db, gateway: pendingGateway, transaction: (fn) => withTransaction(env, fn) }, { orderId, returnId, amountCents: 2000, reason: 'a partial refund' });
    const [pending] = await db.select().from(paymentRefunds).where(eq(paymentRefunds.returnId, returnId));
    expect(pending).toMatchObject({ status: 'PENDING', gatewayReference: 're_pending_1', amountCents: 2000 });
    expect(await paymentRow(paymentId)).toMatchObject({ status: 'COMPLETED', refundedCents: 0 });

    const refund = (status: string, overrides: Record<string, unknown> = {}) => ({ id: 're_pending_1', object: 'refund', amount: 2000, currency: 'usd', status, payment_intent: intentId, metadata: { refund_id: pending!.id, payment_id: paymentId, app_env: 'test' }, ...overrides });
    expect((await deliver(`evt_a_${returnId}`, 'refund.created', refund('pending'))).body.outcome).toBe('stale');
    expect(await deliver(`evt_x_${returnId}`, 'refund.updated', refund('succeeded', { amount: 2001 }))).toMatchObject({ status: 422, body: { error: { code: 'WEBHOOK_REFUSED' } } });
    expect(await deliver(`evt_y_${returnId}`, 'refund.updated', refund('succeeded', { id: 're_other' }))).toMatchObject({ status: 422 });
    expect(await deliver(`evt_z_${returnId}`, 'refund.updated', refund('succeeded', { metadata: { refund_id: newId(), payment_id: paymentId, app_env: 'test' } }))).toMatchObject({ status: 422 });
    expect((await paymentRow(paymentId)).refundedCents).toBe(0);

    expect((await deliver(`evt_b_${returnId}`, 'refund.updated', refund('succeeded'))).body.outcome).toBe('applied');
    expect(await paymentRow(paymentId)).toMatchObject({ status: 'COMPLETED', refundedCents: 2000 });
    expect((await db.select().from(paymentRefunds).where(eq(paymentRefunds.id, pending!.id)))[0]!.status).toBe('COMPLETED');
    // The same event again, another event for the same refund, and a late "pending": the refund counts once.
    expect((await deliver(`evt_b_${returnId}`, 'refund.updated', refund('succeeded'))).body.outcome).toBe('duplicate');
    expect((await deliver(`evt_c_${returnId}`, 'refund.updated', refund('succeeded'))).body.outcome).toBe('stale');
    expect((await deliver(`evt_d_${returnId}`, 'refund.created', refund('pending'))).body.outcome).toBe('stale');
    expect(await paymentRow(paymentId)).toMatchObject({ status: 'COMPLETED', refundedCents: 2000 });
  });

  it('a failed refund stays pending: no money moves', async () => {
    const { orderId, paymentId, intentId } = await paidOrder();
    const returnId = newId();
    const pendingGateway = { ...createSimulatedGateway({ kind: 'success' }), refund: async () => ({ refundReference: 're_fails', status: 'pending' as const }) };
    await refundOrderPart({ db, gateway: pendingGateway, transaction: (fn) => withTransaction(env, fn) }, { orderId, returnId, amountCents: 1000, reason: 'fails' });
    const [row] = await db.select().from(paymentRefunds).where(eq(paymentRefunds.returnId, returnId));
    const failed = await deliver(`evt_f_${returnId}`, 'refund.failed', { id: 're_fails', object: 'refund', amount: 1000, currency: 'usd', status: 'failed', payment_intent: intentId, metadata: { refund_id: row!.id, payment_id: paymentId, app_env: 'test' } });
    expect(failed).toMatchObject({ status: 200, body: { outcome: 'stale' } });
    expect((await db.select().from(paymentRefunds).where(eq(paymentRefunds.id, row!.id)))[0]!.status).toBe('PENDING');
    expect((await paymentRow(paymentId)).refundedCents).toBe(0);
  });

  it("cancelling a paid order refunds it whole through the simulated provider, recorded from the provider's signed webhook", async () => {
    const { orderId, paymentId } = await paidOrder();
    const cancelled = await SELF.fetch(`${ORIGIN}/api/v1/orders/${orderId}/cancel`, { method: 'PUT', headers: jsonHeaders(buyer), body: JSON.stringify({ reason: 'changed my mind' }) });
    expect(cancelled.status).toBe(200);
    const refunded = await poll(async () => {
      const payment = await paymentRow(paymentId);
      return payment.status === 'REFUNDED' ? payment : undefined;
    });
    expect(refunded.refundedCents).toBe(refunded.amountCents);
    const [row] = await db.select().from(paymentRefunds).where(eq(paymentRefunds.paymentId, paymentId));
    expect(row).toMatchObject({ status: 'COMPLETED', amountCents: refunded.amountCents, gatewayReference: expect.stringMatching(/^re_sim_/) });
    const events = await db.select().from(paymentWebhookEvents).where(eq(paymentWebhookEvents.paymentId, paymentId));
    expect(events.map((event) => [event.type, event.outcome])).toContainEqual(['refund.updated', 'applied']);
  });
});
