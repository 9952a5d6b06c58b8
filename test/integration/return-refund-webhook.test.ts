import { env } from 'cloudflare:test';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';

import { createApp } from '@/app';
import { paymentRefunds, paymentWebhookEvents } from '@/payments/tables';
import { createDb } from '@/platform/db';
import type { ReturnResponse } from '@/returns/schema';
import type { Envelope } from '@test/support/orders-http';
import { deliveredOrder } from '@test/support/returns-http';
import { createTestProduct, createTestUser, jsonHeaders, type TestUser } from '@test/support/shop-fixtures';

/**
 * A return's refund through the real composition (the Worker's own app, not a test harness): it is asked of the
 * simulated provider like any other refund and counted when the provider's signed `refund.updated` arrives, which
 * the simulated provider delivers to the shop's webhook handler while answering `pending`.
 */
describe('a return refunded through the payment provider', () => {
  it('is confirmed by the provider’s signed webhook, then the return is REFUNDED', async () => {
    const [buyer, seller] = await Promise.all([createTestUser('customer'), createTestUser('seller')]);
    const product = await createTestProduct(seller.id, { priceCents: 1250 });
    const { order, paymentId } = await deliveredOrder(buyer, seller, [{ productId: product.id, quantity: 2 }]);
    const app = createApp();
    const call = async (path: string, user: TestUser, body: unknown = {}) => {
      const res = await app.request(path, { method: 'POST', headers: jsonHeaders(user), body: JSON.stringify(body) }, env);
      return { status: res.status, body: (await res.json()) as Envelope<ReturnResponse> };
    };

    const requested = await call(`/api/v1/orders/${order.id}/returns`, buyer, { lines: [{ orderItemId: order.items[0]!.id, quantity: 1 }], reason: 'Changed my mind' });
    expect(requested.status).toBe(201);
    const id = requested.body.data.id;
    expect((await call(`/api/v1/returns/${id}/approve`, seller)).status).toBe(200);
    expect((await call(`/api/v1/returns/${id}/sent`, buyer)).status).toBe(200);
    const received = await call(`/api/v1/returns/${id}/received`, seller, { restock: false });
    expect(received.status).toBe(200);
    expect(received.body.data).toMatchObject({ status: 'REFUNDED', refundAmount: 12.5 });

    const db = createDb(env);
    const [refund] = await db.select().from(paymentRefunds).where(eq(paymentRefunds.returnId, id));
    expect(refund).toMatchObject({ paymentId, amountCents: 1250, status: 'COMPLETED', gatewayReference: expect.stringMatching(/^re_sim_/) });
    const events = await db
      .select({ type: paymentWebhookEvents.type, outcome: paymentWebhookEvents.outcome })
      .from(paymentWebhookEvents)
      .where(and(eq(paymentWebhookEvents.provider, 'simulated'), eq(paymentWebhookEvents.paymentId, paymentId)));
    expect(events).toEqual([{ type: 'refund.updated', outcome: 'applied' }]);
  });
});
