import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';

import { balanceCents } from '@/marketplace/ledger';
import { createPayout, createSimulatedPayoutProvider, type PayoutProvider } from '@/marketplace/payouts';
import { placeCheckout } from '@/orders/checkout';
import { applyPaymentCompleted } from '@/orders/payment-events';
import { deliverOrder, shipOrder } from '@/orders/transitions';
import { createDb, withTransaction } from '@/platform/db';
import { Gate } from '@test/support/gate';
import { fakeOrderDeps, quietLogger } from '@test/support/saga-fakes';
import { createTestProduct, createTestUser } from '@test/support/shop-fixtures';

import { ADDRESS } from '@test/reliability/harness';

/**
 * Two admins pay the same seller at once (runs on PGlite and on a real PostgreSQL 15, where the two transactions
 * really overlap): the per-seller lock makes the second see the first's PAYOUT row, so the available balance is
 * never spent twice. The first payout's provider call is held at a gate while the second runs.
 */
describe('race: two payouts against one available balance', () => {
  it('one is paid, the other is refused with 409 INSUFFICIENT_BALANCE, and the balance never goes negative', async () => {
    const [buyer, seller, admin] = await Promise.all([createTestUser('customer'), createTestUser('seller'), createTestUser('admin')]);
    const product = await createTestProduct(seller.id, { priceCents: 5_000 });
    const t = fakeOrderDeps();
    const customer = { id: buyer.id, role: 'customer' as const };
    const { checkout } = await placeCheckout(t.deps, customer, { items: [{ productId: product.id, quantity: 1 }], shippingAddress: ADDRESS }, 'payout-race');
    const orderId = checkout.orders[0]!.id;
    await applyPaymentCompleted(t.deps, { type: 'payment.completed', version: 1, correlationId: 'x', eventId: crypto.randomUUID(), orderId, paymentId: crypto.randomUUID(), amount: 50, occurredAt: new Date().toISOString() });
    await shipOrder(t.deps, { id: seller.id, role: 'seller' }, orderId);
    await deliverOrder(t.deps, customer, orderId);
    expect((await balanceCents(createDb(env), seller.id)).available).toBe(4500);

    const gate = new Gate().arm('provider.transfer');
    const provider: PayoutProvider = gate.port('provider', createSimulatedPayoutProvider());
    const deps = { db: createDb(env), transaction: <T,>(fn: Parameters<typeof withTransaction<T>>[1]) => withTransaction(env, fn), provider, logger: quietLogger() };
    const actor = { id: admin.id, email: admin.email };
    const first = createPayout(deps, actor, { sellerId: seller.id, amountCents: 3000 });
    await gate.reached('provider.transfer');
    // The first payout's money is already set aside (committed) while its transfer is in flight.
    await expect(createPayout(deps, actor, { sellerId: seller.id, amountCents: 3000 })).rejects.toMatchObject({ status: 409, code: 'INSUFFICIENT_BALANCE' });
    gate.release('provider.transfer');
    expect(await first).toMatchObject({ status: 'PAID', amount: 30 });
    const both = await Promise.allSettled([createPayout(deps, actor, { sellerId: seller.id, amountCents: 1000 }), createPayout(deps, actor, { sellerId: seller.id, amountCents: 1000 })]);
    expect(both.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const balance = await balanceCents(createDb(env), seller.id);
    expect(balance).toMatchObject({ available: 500, paidOut: 4000 });
  });
});
