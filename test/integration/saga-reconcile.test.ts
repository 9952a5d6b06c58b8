import { env, SELF } from 'cloudflare:test';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';

import { reconcilePaymentsFromEnv } from '@/composition';
import { confirmSimulatedIntent, simulatedEvent } from '@/payments/simulator';
import type { PaymentConfirmation } from '@/payments/tables';
import { createDb } from '@/platform/db';
import type { TestUser } from '@test/support/shop-fixtures';
import { buyerAndProduct, orderAsBuyer, orderWithIntent, ORIGIN, paymentRow } from '@test/support/simulated-payments';
import { signed } from '@test/support/webhooks';
import { poll } from '@test/support/poll';

/**
 * A lost webhook (issue 19): the provider decided the intent but its event never reached the shop. The cron's
 * reconciliation asks the provider about payments stuck PENDING and applies what it answers, as the webhook would.
 */
const db = createDb(env);
let buyer: TestUser;
let productId: number;

beforeAll(async () => {
  ({ buyer, productId } = await buyerAndProduct());
});

async function paymentAtProvider(confirmation: PaymentConfirmation, card: string | null, minutesAgo: number) {
  const { orderId, paymentId, intent } = await orderWithIntent(buyer, productId, { quantity: 1, confirmation });
  // The buyer paid on the provider's form; the provider's webhook is lost (never delivered).
  const confirmed = card ? await confirmSimulatedIntent(db, intent, card) : null;
  await db.execute(sql`update payments set updated_at = now() - make_interval(mins => ${minutesAgo}) where id = ${paymentId}`);
  return { orderId, paymentId, intent: confirmed && 'intent' in confirmed ? confirmed.intent : intent };
}

const paymentStatus = async (paymentId: string) => (await paymentRow(paymentId)).status;
const orderStatus = async (orderId: string) => (await orderAsBuyer(buyer, orderId)).status;

describe('payment reconciliation repairs lost webhooks', () => {
  it('a paid intent whose webhook was lost: the job completes the payment and confirms the order; the late webhook then changes nothing', async () => {
    const lost = await paymentAtProvider('client', '4242424242424242', 5);
    const fresh = await paymentAtProvider('client', '4242424242424242', 0);
    const open = await paymentAtProvider('client', null, 5);
    expect(await paymentStatus(lost.paymentId)).toBe('PENDING');

    expect(await reconcilePaymentsFromEnv(env)).toBeGreaterThanOrEqual(1);
    expect(await paymentStatus(lost.paymentId)).toBe('COMPLETED');
    await poll(async () => ((await orderStatus(lost.orderId)) === 'CONFIRMED' ? true : undefined));
    // Not stuck yet (its webhook may still come) and not decided at the provider: both left alone.
    expect(await paymentStatus(fresh.paymentId)).toBe('PENDING');
    expect(await paymentStatus(open.paymentId)).toBe('PENDING');

    const late = await signed(simulatedEvent(lost.intent, 'payment_intent.succeeded'), env.SIMULATED_WEBHOOK_SECRET!);
    const res = await SELF.fetch(`${ORIGIN}/api/v1/payments/webhooks/simulated`, { method: 'POST', headers: late.headers, body: late.body });
    expect(await res.json()).toMatchObject({ outcome: 'stale' });
  });

  it("a buyer's declined attempt is not final: reconciliation leaves it to another card (or the reaper)", async () => {
    const declined = await paymentAtProvider('client', '4000000000000002', 5);
    await reconcilePaymentsFromEnv(env);
    expect(await paymentStatus(declined.paymentId)).toBe('PENDING');
    expect(await orderStatus(declined.orderId)).toBe('PENDING');
  });

  it('an off-session decline whose webhook was lost fails the payment and cancels the order', async () => {
    const declined = await paymentAtProvider('off_session', '4000000000009995', 5);
    await reconcilePaymentsFromEnv(env);
    expect(await paymentStatus(declined.paymentId)).toBe('FAILED');
    await poll(async () => ((await orderStatus(declined.orderId)) === 'CANCELLED' ? true : undefined));
  });
});
