import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';

import { paymentFacts } from '@/payments/order-facts';
import { payments, type PaymentStatus } from '@/payments/tables';
import { newId } from '@/platform/columns';
import { createDb } from '@/platform/db';

/** A checkout's payment in `status`, straight into the table (no order rows needed: the facts read payments only). */
async function checkoutPayment(status: PaymentStatus) {
  const checkoutId = newId();
  const [row] = await createDb(env)
    .insert(payments)
    .values({ checkoutId, userId: newId(), amountCents: 4200, refundedCents: status === 'REFUNDED' ? 4200 : 0, currency: 'USD', idempotencyKey: checkoutId, status })
    .returning();
  return { checkoutId, paymentId: row!.id };
}

describe("payments' facts for orders", () => {
  it('settles a checkout PAID once its payment completed, refunded or not; PAYMENT_FAILED once declined; not while pending', async () => {
    const db = createDb(env);
    for (const [status, settled] of [
      ['COMPLETED', 'PAID'],
      ['REFUNDED', 'PAID'],
      ['FAILED', 'PAYMENT_FAILED'],
      ['PENDING', null],
    ] as const) {
      const { checkoutId, paymentId } = await checkoutPayment(status);
      expect(await paymentFacts.checkoutSettlement(db, checkoutId)).toEqual({ paymentId, status: settled });
    }
  });

  it('has nothing to say of a checkout the saga has not charged yet', async () => {
    const db = createDb(env);
    const checkoutId = newId();
    expect(await paymentFacts.checkoutSettlement(db, checkoutId)).toEqual({ paymentId: null, status: null });
    expect(await paymentFacts.checkoutPayment(db, checkoutId)).toBeNull();
  });

  it("answers a checkout's payment as the API shows it, without the buyer-only next action", async () => {
    const { checkoutId, paymentId } = await checkoutPayment('COMPLETED');
    expect(await paymentFacts.checkoutPayment(createDb(env), checkoutId)).toMatchObject({ id: paymentId, checkoutId, orderId: null, amount: 42, refundedAmount: 0, status: 'COMPLETED', nextAction: null });
  });
});
