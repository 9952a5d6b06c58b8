import { env, SELF } from 'cloudflare:test';
import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it, vi } from 'vitest';

import { notifications } from '@/notifications/tables';
import { savedPaymentMethods } from '@/payments/tables';
import { createDb } from '@/platform/db';
import { jsonHeaders, createTestUser, type TestUser } from '@test/support/shop-fixtures';
import { ADDRESS, buyerAndProduct, orderAsBuyer, ORIGIN, saveTestCard, startCardSetup, submitSetupCard } from '@test/support/simulated-payments';
import { connectUser, framesOf } from '@test/support/live';
import { poll } from '@test/support/poll';
import { SAMPLE_SAVED_CARDS } from '../../scripts/db/seed-data';

/**
 * Off-session orders on the real Worker: `POST /orders` without a payment step is charged against the buyer's default
 * saved card at the simulated provider; a card that needs 3-D Secure makes the order wait for its buyer, who finishes
 * on the provider's page; a buyer without a saved card keeps the configured gateway's charge.
 */
type PaymentView = { id: string; status: string; confirmation: string; gatewayReference: string | null; failureReason: string | null; nextAction: { type: string; url: string } | null };

const db = createDb(env);
let productId: number;

beforeAll(async () => {
  ({ productId } = await buyerAndProduct());
});

async function placeOrder(buyer: TestUser): Promise<string> {
  const res = await SELF.fetch(`${ORIGIN}/api/v1/orders`, { method: 'POST', headers: jsonHeaders(buyer), body: JSON.stringify({ items: [{ productId, quantity: 1 }], shippingAddress: ADDRESS }) });
  expect(res.status).toBe(201);
  return ((await res.json()) as { data: { id: string } }).data.id;
}

const paymentView = async (buyer: TestUser, orderId: string) =>
  SELF.fetch(`${ORIGIN}/api/v1/payments/order/${orderId}`, { headers: jsonHeaders(buyer) }).then(async (r) => (r.status === 200 ? ((await r.json()) as { data: PaymentView }).data : undefined));

/** The payment once `done` says it has reached the state the test waits for. */
const paymentWhen = (buyer: TestUser, orderId: string, done: (payment: PaymentView) => boolean) =>
  poll(async () => {
    const payment = await paymentView(buyer, orderId);
    return payment && done(payment) ? payment : undefined;
  });

const orderStatus = (buyer: TestUser, orderId: string, status: string) => poll(async () => ((await orderAsBuyer(buyer, orderId)).status === status ? true : undefined));

describe('off-session orders against saved cards', () => {
  it('the seeded sample customers have a default saved test card', async () => {
    for (const card of SAMPLE_SAVED_CARDS) {
      const [row] = await db.select().from(savedPaymentMethods).where(and(eq(savedPaymentMethods.userId, card.userId), eq(savedPaymentMethods.isDefault, true)));
      expect(row).toMatchObject({ provider: 'simulated', providerMethodId: card.paymentMethodId, last4: '4242' });
    }
  });

  it("POST /orders is charged against the buyer's default saved card and completes by itself", async () => {
    const buyer = await createTestUser('customer');
    await saveTestCard(buyer, '4242424242424242');
    const orderId = await placeOrder(buyer);
    const payment = await paymentWhen(buyer, orderId, (p) => p.status !== 'PENDING');
    expect(payment).toMatchObject({ status: 'COMPLETED', confirmation: 'off_session', gatewayReference: expect.stringMatching(/^pi_sim_/) });
    await orderStatus(buyer, orderId, 'CONFIRMED');
  });

  it("a buyer without a saved card keeps the configured gateway's charge", async () => {
    const buyer = await createTestUser('customer');
    const orderId = await placeOrder(buyer);
    expect(await paymentWhen(buyer, orderId, (p) => p.status !== 'PENDING')).toMatchObject({ status: 'COMPLETED', gatewayReference: expect.stringMatching(/^MOCK-/) });
  });

  it('a saved card without funds declines the off-session charge: the order is cancelled with the reason', async () => {
    const buyer = await createTestUser('customer');
    await saveTestCard(buyer, '4000000000009995');
    const orderId = await placeOrder(buyer);
    expect(await paymentWhen(buyer, orderId, (p) => p.status !== 'PENDING')).toMatchObject({ status: 'FAILED', failureReason: expect.stringContaining('insufficient_funds') });
    await orderStatus(buyer, orderId, 'CANCELLED');
  });

  it('a saved 3-D Secure card makes the order wait: the buyer is told, finishes on the provider page and the order is confirmed', async () => {
    const buyer = await createTestUser('customer');
    const setup = await startCardSetup(buyer);
    await submitSetupCard(setup, '4000002500003220');
    const challenge = await SELF.fetch(`${ORIGIN}/pay/sim/setup/${setup.setupIntentId}/challenge`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ client_secret: setup.nextAction.clientSecret, action: 'complete' }).toString() });
    expect(await challenge.text()).toContain('Card saved');

    const live = await connectUser(buyer);
    const orderId = await placeOrder(buyer);
    const waiting = await paymentWhen(buyer, orderId, (p) => p.nextAction !== null);
    expect(waiting).toMatchObject({ status: 'PENDING', confirmation: 'client', nextAction: { type: 'redirect', url: expect.stringMatching(/^\/pay\/sim\/pi_sim_\w+\?client_secret=.+&return_url=%2Forders%2F/) } });
    // A page that stopped polling while its socket is up hears of the next action too.
    await vi.waitFor(() => expect(framesOf(live, 'payment.updated').map((f) => f.data)).toContainEqual(expect.objectContaining({ id: waiting.id, orderId, status: 'PENDING', nextAction: waiting.nextAction })));
    live.ws.close(1000, 'test over');
    expect((await orderAsBuyer(buyer, orderId)).status).toBe('PENDING');
    const told = await db.select().from(notifications).where(and(eq(notifications.userId, buyer.id), eq(notifications.type, 'PAYMENT_ACTION_REQUIRED')));
    expect(told).toEqual([expect.objectContaining({ orderId, title: expect.stringContaining('Finish your payment') })]);

    const url = new URL(waiting.nextAction!.url, ORIGIN);
    const form = { client_secret: url.searchParams.get('client_secret')!, return_url: url.searchParams.get('return_url')! };
    expect(await (await SELF.fetch(url)).text()).toContain('3-D Secure authentication');
    const done = await SELF.fetch(`${ORIGIN}${url.pathname}/challenge`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ ...form, action: 'complete' }).toString() });
    expect(await done.text()).toContain('Payment succeeded');
    expect(await paymentWhen(buyer, orderId, (p) => p.status !== 'PENDING')).toMatchObject({ status: 'COMPLETED', nextAction: null });
    await orderStatus(buyer, orderId, 'CONFIRMED');
  });
});
