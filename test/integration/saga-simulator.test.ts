import { env, SELF } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it, vi } from 'vitest';

import { createSimulatedIntent, SimulatedProviderError } from '@/payments/simulator';
import { paymentWebhookEvents } from '@/payments/tables';
import { createDb } from '@/platform/db';
import { connectUser, framesOf } from '@test/support/live';
import { createTestUser, jsonHeaders, type TestUser } from '@test/support/shop-fixtures';
import { ADDRESS, buyerAndProduct, orderAsBuyer, orderWithIntent, ORIGIN, paymentRow } from '@test/support/simulated-payments';
import { poll } from '@test/support/poll';

/**
 * The simulated provider end to end on the real Worker: its payment page (`/pay/sim/{intent}`) confirms a
 * client-confirmed payment with test cards and delivers signed webhooks to the shop's webhook route, in process,
 * which move the payment and the order through the saga.
 */
const db = createDb(env);
let buyer: TestUser;
let productId: number;

beforeAll(async () => {
  ({ buyer, productId } = await buyerAndProduct());
});

/** A PENDING order whose client-confirmed payment has its intent at the provider. */
const intentForNewOrder = () => orderWithIntent(buyer, productId, { quantity: 2, confirmation: 'client' });

async function page(path: string, form?: Record<string, string>) {
  const res = await SELF.fetch(`${ORIGIN}${path}`, form ? { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() } : {});
  return { status: res.status, text: await res.text(), csp: res.headers.get('content-security-policy') };
}

const confirm = (intent: { id: string; clientSecret: string }, card: string) => page(`/pay/sim/${intent.id}/confirm`, { client_secret: intent.clientSecret, card_number: card, return_url: '/orders' });
const orderOf = (orderId: string) => orderAsBuyer(buyer, orderId);
const paymentOf = paymentRow;

describe('simulated provider: payment page, test cards, signed webhooks', () => {
  it('creates one intent per payment for the exact amount (idempotency key = payment id) and refuses another amount', async () => {
    const { paymentId, orderId, intent } = await intentForNewOrder();
    const again = await createSimulatedIntent(db, { paymentId, orderId, amountCents: intent.amountCents, currency: 'usd', appEnv: 'test' });
    expect(again.id).toBe(intent.id);
    await expect(createSimulatedIntent(db, { paymentId, orderId, amountCents: intent.amountCents + 1, currency: 'USD', appEnv: 'test' })).rejects.toThrow(SimulatedProviderError);
  });

  it('serves the page only with the client secret, under a strict CSP', async () => {
    const { intent } = await intentForNewOrder();
    const shown = await page(`/pay/sim/${intent.id}?client_secret=${intent.clientSecret}`);
    expect(shown.status).toBe(200);
    expect(shown.text).toContain('Pay 84.00 USD');
    expect(shown.csp).toContain("default-src 'none'");
    expect((await page(`/pay/sim/${intent.id}?client_secret=wrong`)).status).toBe(404);
    expect((await page(`/pay/sim/${intent.id}`)).status).toBe(404);
    expect((await page(`/pay/sim/${intent.id}/confirm`, { client_secret: 'wrong', card_number: '4242424242424242' })).status).toBe(404);
    expect((await paymentOf(intent.paymentId)).status).toBe('PENDING');
  });

  it('4242… succeeds: the signed webhook completes the payment and confirms the order', async () => {
    const { orderId, paymentId, intent } = await intentForNewOrder();
    const paid = await confirm(intent, '4242 4242 4242 4242');
    expect(paid.status).toBe(200);
    expect(paid.text).toContain('Payment succeeded');
    expect(await paymentOf(paymentId)).toMatchObject({ status: 'COMPLETED', gatewayReference: intent.id });
    await poll(async () => ((await orderOf(orderId)).status === 'CONFIRMED' ? true : undefined));
    expect(await db.select().from(paymentWebhookEvents).where(eq(paymentWebhookEvents.paymentId, paymentId))).toHaveLength(1);
    // A second confirmation of a paid intent is refused by the provider: nothing is charged twice.
    expect((await confirm(intent, '4242424242424242')).status).toBe(409);
  });

  it('a decline, then insufficient funds, keep the order waiting with the reason; another card then pays', async () => {
    const { orderId, paymentId, intent } = await intentForNewOrder();
    const live = await connectUser(buyer);
    const declined = await confirm(intent, '4000000000000002');
    expect(declined.text).toContain('Your card was declined. Try another card.');
    expect(await paymentOf(paymentId)).toMatchObject({ status: 'PENDING', failureReason: expect.stringContaining('card_declined') });
    const poor = await confirm(intent, '4000000000009995');
    expect(poor.text).toContain('insufficient funds');
    expect((await orderOf(orderId)).status).toBe('PENDING');
    // An order page that stopped polling while its socket is up hears of each refused card.
    const reasons = () => framesOf(live, 'payment.updated').filter((f) => f.data?.id === paymentId).map((f) => [f.data?.status, f.data?.failureReason]);
    await vi.waitFor(() => expect(reasons()).toEqual([['PENDING', expect.stringContaining('card_declined')], ['PENDING', expect.stringContaining('insufficient_funds')]]));
    live.ws.close(1000, 'test over');
    expect((await confirm(intent, '1234')).status).toBe(400);
    expect((await confirm(intent, '4242424242424242')).text).toContain('Payment succeeded');
    await poll(async () => ((await orderOf(orderId)).status === 'CONFIRMED' ? true : undefined));
  });

  it('4000 0025 0000 3220 asks for 3-D Secure: a failed challenge is a declined attempt, a completed one pays', async () => {
    const { orderId, paymentId, intent } = await intentForNewOrder();
    const challenged = await confirm(intent, '4000002500003220');
    expect(challenged.text).toContain('3-D Secure authentication');
    expect((await paymentOf(paymentId)).status).toBe('PENDING');
    const failed = await page(`/pay/sim/${intent.id}/challenge`, { client_secret: intent.clientSecret, action: 'fail' });
    expect(failed.text).toContain('authentication failed');
    expect(await paymentOf(paymentId)).toMatchObject({ status: 'PENDING', failureReason: expect.stringContaining('authentication_failed') });
    await confirm(intent, '4000002500003220');
    const done = await page(`/pay/sim/${intent.id}/challenge`, { client_secret: intent.clientSecret, action: 'complete' });
    expect(done.text).toContain('Payment succeeded');
    await poll(async () => ((await orderOf(orderId)).status === 'CONFIRMED' ? true : undefined));
  });

  it('never redirects off the shop: a foreign return_url becomes "/"', async () => {
    const { intent } = await intentForNewOrder();
    const shown = await page(`/pay/sim/${intent.id}?client_secret=${intent.clientSecret}&return_url=//evil.example/x`);
    expect(shown.text).toContain('href="/"');
    expect(shown.text).not.toContain('evil.example');
  });

  it('through the API: POST /orders with paymentConfirmation=client waits for the buyer, whose payment carries the page to pay on', async () => {
    const admin = await createTestUser('admin');
    const live = await connectUser(buyer);
    const placed = await SELF.fetch(`${ORIGIN}/api/v1/orders`, { method: 'POST', headers: jsonHeaders(buyer), body: JSON.stringify({ items: [{ productId, quantity: 1 }], shippingAddress: ADDRESS, paymentConfirmation: 'client' }) });
    expect(placed.status).toBe(201);
    const orderId = ((await placed.json()) as { data: { id: string } }).data.id;
    type PaymentView = { id: string; status: string; confirmation: string; nextAction: { type: string; url: string; clientSecret: string } | null };
    const view = async (user: TestUser) => SELF.fetch(`${ORIGIN}/api/v1/payments/order/${orderId}`, { headers: jsonHeaders(user) }).then(async (r) => (r.status === 200 ? ((await r.json()) as { data: PaymentView }).data : undefined));
    const payment = await poll(async () => {
      const current = await view(buyer);
      return current?.nextAction ? current : undefined;
    });
    expect(payment).toMatchObject({ status: 'PENDING', confirmation: 'client', nextAction: { type: 'redirect', url: expect.stringMatching(/^\/pay\/sim\/pi_sim_\w+\?client_secret=.+&return_url=%2Forders%2F/) } });
    // Only the buyer is given the secret: an admin reads the payment without it.
    expect((await view(admin))?.nextAction).toBeNull();
    // Nothing was charged by itself.
    expect((await orderOf(orderId)).status).toBe('PENDING');

    const url = new URL(payment.nextAction!.url, ORIGIN);
    const intent = { id: url.pathname.split('/').pop()!, clientSecret: url.searchParams.get('client_secret')! };
    expect((await page(`${url.pathname}${url.search}`)).text).toContain('Pay 42.00 USD');
    expect((await confirm(intent, '4000000000000002')).text).toContain('declined');
    expect((await view(buyer))?.nextAction).not.toBeNull();
    expect((await confirm(intent, '4242424242424242')).text).toContain('Payment succeeded');
    await poll(async () => ((await orderOf(orderId)).status === 'CONFIRMED' ? true : undefined));
    expect(await view(buyer)).toMatchObject({ status: 'COMPLETED', nextAction: null });
    // A page whose socket is up hears of every step: the new payment, its intent (the page to pay on), the declined
    // card, the outcome — it never has to poll.
    const steps = () =>
      framesOf(live, 'payment.updated')
        .filter((f) => f.data?.orderId === orderId)
        .map((f) => [f.version, f.data?.status, f.data?.nextAction ? 'pay on the page' : null, f.data?.failureReason ? 'declined' : null])
        .sort((a, b) => Number(a[0]) - Number(b[0]));
    await vi.waitFor(() => expect(steps()).toHaveLength(4));
    expect(steps()).toEqual([
      [1, 'PENDING', null, null],
      [2, 'PENDING', 'pay on the page', null],
      [3, 'PENDING', 'pay on the page', 'declined'],
      [4, 'COMPLETED', null, null],
    ]);
    live.ws.close(1000, 'test over');
  });
});
