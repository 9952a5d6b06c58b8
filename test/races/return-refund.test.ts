import { env } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';

import { sellerLedgerEntries } from '@/marketplace/tables';
import { paymentRefunds, payments } from '@/payments/tables';
import { createDb } from '@/platform/db';
import { returnStatusHistory } from '@/returns/tables';
import { expectMoneyInvariants } from '@test/support/invariants';
import { deliveredOrder, returnsHttpHarness } from '@test/support/returns-http';
import { createTestProduct, createTestUser } from '@test/support/shop-fixtures';

/**
 * Two "received" calls for one return at once (a double click, a retried request). The first call's gateway refund
 * is held at a gate after it committed RECEIVED; the second runs to the end meanwhile, then the first is released.
 * The payment is refunded once (one refund row, `refunded_cents` once, one idempotency key at the gateway), the
 * return is REFUNDED once and the seller's ledger reverses it once.
 */
describe('race: two concurrent "received" calls for one return', () => {
  it('refund once', async () => {
    const [buyer, seller] = await Promise.all([createTestUser('customer'), createTestUser('seller')]);
    const product = await createTestProduct(seller.id, { priceCents: 1500 });
    const { order, paymentId } = await deliveredOrder(buyer, seller, [{ productId: product.id, quantity: 2 }]);
    const t = returnsHttpHarness();
    const requested = await t.call('POST', `/api/v1/orders/${order.id}/returns`, buyer, { lines: [{ orderItemId: order.items[0]!.id, quantity: 2 }], reason: 'Broken' });
    const id = requested.body.data.id;
    await t.call('POST', `/api/v1/returns/${id}/approve`, seller, {});
    await t.call('POST', `/api/v1/returns/${id}/sent`, buyer);

    t.gate.arm('gateway.refund');
    const first = t.call('POST', `/api/v1/returns/${id}/received`, seller, { restock: true });
    await t.gate.reached('gateway.refund');
    const second = await t.call('POST', `/api/v1/returns/${id}/received`, seller, { restock: true });
    expect(second.body.data).toMatchObject({ status: 'REFUNDED', refundAmount: 30 });
    t.gate.release('gateway.refund');
    const firstDone = await first;
    expect([firstDone.status, firstDone.body.data.status]).toEqual([200, 'REFUNDED']);

    const db = createDb(env);
    expect((await db.select().from(payments).where(eq(payments.id, paymentId)))[0]).toMatchObject({ refundedCents: 3000, status: 'REFUNDED' });
    expect(await db.select({ amount: paymentRefunds.amountCents }).from(paymentRefunds).where(eq(paymentRefunds.returnId, id))).toEqual([{ amount: 3000 }]);
    expect(t.gateway.refunds).toHaveLength(2);
    expect(new Set(t.gateway.refunds.map((r) => r.idempotencyKey)).size).toBe(1);
    expect((await db.select().from(returnStatusHistory).where(eq(returnStatusHistory.returnId, id))).filter((h) => h.newStatus === 'REFUNDED' || h.newStatus === 'RECEIVED')).toHaveLength(2);
    expect(await db.select({ gross: sellerLedgerEntries.grossCents }).from(sellerLedgerEntries).where(eq(sellerLedgerEntries.returnId, id))).toEqual([{ gross: -3000 }]);
    expect(t.stock.returned.get(product.id)).toBe(2);
    await expectMoneyInvariants(order.id);
  });
});
