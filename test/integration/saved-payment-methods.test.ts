import { env, SELF } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';

import { setupIntentObject, findSimulatedSetupIntent } from '@/payments/simulator-vault';
import { paymentWebhookEvents, simulatedPaymentMethods } from '@/payments/tables';
import { signWebhookPayload } from '@/payments/webhook-signature';
import { createDb } from '@/platform/db';
import { createTestUser, jsonHeaders, type TestUser } from '@test/support/shop-fixtures';
import { ORIGIN, saveTestCard as saveCard, startCardSetup, submitSetupCard as submitCard } from '@test/support/simulated-payments';

/**
 * Saved cards end to end on the real Worker: the buyer starts a setup, confirms a test card on the simulated
 * provider's setup page, whose signed `setup_intent.succeeded` webhook records the card; then lists, chooses a
 * default and removes cards — each only their own.
 */
type Card = { id: string; brand: string; last4: string; expMonth: number; expYear: number; isDefault: boolean };

const db = createDb(env);
let buyer: TestUser;
let stranger: TestUser;

beforeAll(async () => {
  [buyer, stranger] = await Promise.all([createTestUser('customer'), createTestUser('customer')]);
});

async function api<T>(user: TestUser | null, method: string, path: string) {
  const res = await SELF.fetch(`${ORIGIN}/api/v1/payments/methods${path}`, { method, headers: user ? jsonHeaders(user) : {} });
  return { status: res.status, body: (res.status === 204 ? null : await res.json()) as { data: T; error?: { code: string } } };
}

async function page(path: string, form?: Record<string, string>) {
  const res = await SELF.fetch(`${ORIGIN}${path}`, form ? { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() } : {});
  return { status: res.status, text: await res.text() };
}

const startSetup = startCardSetup;
const cardsOf = async (user: TestUser) => (await api<Card[]>(user, 'GET', '')).body.data;

describe('saved payment methods', () => {
  it('needs a login; a new buyer has none', async () => {
    expect((await api(null, 'GET', '')).status).toBe(401);
    expect((await api(null, 'POST', '/setup')).status).toBe(401);
    expect(await cardsOf(stranger)).toEqual([]);
  });

  it('a setup opens the provider page (client secret required); a saved 4242 card becomes the default, recorded by its signed webhook', async () => {
    const setup = await startSetup(buyer);
    expect(setup.nextAction).toMatchObject({ type: 'redirect', url: expect.stringMatching(/^\/pay\/sim\/setup\/seti_sim_\w+\?client_secret=.+&return_url=%2Fprofile$/) });
    expect((await page(`/pay/sim/setup/${setup.setupIntentId}?client_secret=wrong`)).status).toBe(404);
    expect((await page(setup.nextAction.url!)).text).toContain('Save a card');
    expect((await submitCard({ ...setup, nextAction: { ...setup.nextAction, clientSecret: 'wrong' } }, '4242424242424242')).status).toBe(404);

    expect((await submitCard(setup, '4242 4242 4242 4242')).text).toContain('Card saved');
    const cards = await cardsOf(buyer);
    expect(cards).toEqual([expect.objectContaining({ brand: 'visa', last4: '4242', isDefault: true })]);
    expect(JSON.stringify(cards)).not.toContain('4242424242424242');
    const events = await db.select().from(paymentWebhookEvents).where(eq(paymentWebhookEvents.type, 'setup_intent.succeeded'));
    expect(events.length).toBeGreaterThan(0);
    // The provider refuses a second confirmation of the same setup: one card per setup.
    expect((await submitCard(setup, '4242424242424242')).status).toBe(409);
    expect(await cardsOf(buyer)).toHaveLength(1);
  });

  it('a declined card is not saved; a 3-D Secure card is saved once the challenge is completed, not when it fails', async () => {
    const user = await createTestUser('customer');
    const declined = await submitCard(await startSetup(user), '4000000000000002');
    expect(declined.text).toContain('Your card was declined');
    expect(await cardsOf(user)).toEqual([]);

    const setup = await startSetup(user);
    expect((await submitCard(setup, '4000002500003220')).text).toContain('3-D Secure authentication');
    const failed = await page(`/pay/sim/setup/${setup.setupIntentId}/challenge`, { client_secret: setup.nextAction.clientSecret, action: 'fail' });
    expect(failed.text).toContain('authentication failed');
    expect(await cardsOf(user)).toEqual([]);
    await submitCard(setup, '4000002500003220');
    const done = await page(`/pay/sim/setup/${setup.setupIntentId}/challenge`, { client_secret: setup.nextAction.clientSecret, action: 'complete' });
    expect(done.text).toContain('Card saved');
    expect(await cardsOf(user)).toEqual([expect.objectContaining({ last4: '3220', isDefault: true })]);
  });

  it('the buyer chooses the default and removes cards; removing the default promotes the newest; other buyers get 404', async () => {
    const user = await createTestUser('customer');
    await saveCard(user, '4242424242424242');
    await saveCard(user, '4000000000009995');
    const [first, second] = await cardsOf(user);
    expect(first).toMatchObject({ last4: '4242', isDefault: true });
    expect(second).toMatchObject({ last4: '9995', isDefault: false });

    expect((await api(stranger, 'PUT', `/${second!.id}/default`)).status).toBe(404);
    expect((await api(stranger, 'DELETE', `/${second!.id}`)).status).toBe(404);
    expect((await api(user, 'PUT', '/not-an-id/default')).status).toBe(400);
    const chosen = await api<Card>(user, 'PUT', `/${second!.id}/default`);
    expect(chosen).toMatchObject({ status: 200, body: { data: { id: second!.id, isDefault: true } } });
    expect((await cardsOf(user)).map((card) => [card.last4, card.isDefault])).toEqual([['9995', true], ['4242', false]]);

    await saveCard(user, '4242424242424242');
    expect((await api(user, 'DELETE', `/${second!.id}`)).status).toBe(204);
    expect((await api(user, 'DELETE', `/${second!.id}`)).status).toBe(404);
    const left = await cardsOf(user);
    expect(left).toHaveLength(2);
    expect(left.filter((card) => card.isDefault)).toHaveLength(1);
    expect(left[0]!.isDefault).toBe(true);
    // The newest remaining card (the third one saved) took the default.
    expect(left[0]!.id > left[1]!.id).toBe(true);
  });

  it('a setup webhook naming another buyer than its customer is refused; a repeated one is a duplicate', async () => {
    const user = await createTestUser('customer');
    const setup = await startSetup(user);
    await submitCard(setup, '4242424242424242');
    const intent = (await findSimulatedSetupIntent(db, setup.setupIntentId))!;
    const deliver = async (object: ReturnType<typeof setupIntentObject>, id: string) => {
      const body = JSON.stringify({ id, object: 'event', created: 1, type: 'setup_intent.succeeded', livemode: false, data: { object } });
      const res = await SELF.fetch(`${ORIGIN}/api/v1/payments/webhooks/simulated`, { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': await signWebhookPayload(body, env.SIMULATED_WEBHOOK_SECRET ?? '') }, body });
      return { status: res.status, body: (await res.json()) as { outcome?: string; error?: { code: string } } };
    };
    const forged = await deliver({ ...setupIntentObject(intent), metadata: { ...intent.metadata, user_id: stranger.id } }, `evt_forged_${intent.id}`);
    expect(forged).toMatchObject({ status: 422, body: { error: { code: 'WEBHOOK_REFUSED' } } });
    expect(await cardsOf(stranger)).toEqual([]);

    const replay = await deliver(setupIntentObject(intent), `evt_replay_${intent.id}`);
    expect(replay).toMatchObject({ status: 200, body: { outcome: 'stale' } });
    expect((await deliver(setupIntentObject(intent), `evt_replay_${intent.id}`)).body.outcome).toBe('duplicate');
    expect(await cardsOf(user)).toHaveLength(1);

    // A removed card is detached at the provider: a late webhook for it records nothing.
    const [card] = await cardsOf(user);
    expect((await api(user, 'DELETE', `/${card!.id}`)).status).toBe(204);
    const [method] = await db.select().from(simulatedPaymentMethods).where(eq(simulatedPaymentMethods.id, intent.paymentMethodId!));
    expect(method!.customerId).toBeNull();
    expect((await deliver(setupIntentObject(intent), `evt_late_${intent.id}`)).body.outcome).toBe('stale');
    expect(await cardsOf(user)).toEqual([]);
  });
});
