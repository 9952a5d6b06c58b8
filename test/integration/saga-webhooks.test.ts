import { env, SELF } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';

import { products } from '@/catalog/tables';
import { orderDepsFromEnv } from '@/composition';
import { placeOrder } from '@/orders/placing';
import { orders } from '@/orders/tables';
import { payments } from '@/payments/tables';
import { createDb } from '@/platform/db';
import { createTestProduct, createTestUser, jsonHeaders, type TestUser } from '@test/support/shop-fixtures';
import { intentEvent, signed } from '@test/support/webhooks';
import { poll } from '@test/support/poll';

/**
 * The saga driven by the provider's webhooks (issue 19) on the real Worker: real StockDOs, queues and both consumers.
 * The order is placed without relaying its `order.created` (no consumer charges it), and its payment is left PENDING,
 * as it is while the provider decides; the signed webhook then moves payment and order.
 */
const db = createDb(env);
const ADDRESS = { street: '1 Nguyen Hue', city: 'Ho Chi Minh City', state: 'HCM', country: 'Vietnam', zipCode: '700000' };
let buyer: TestUser;
let productId: number;

beforeAll(async () => {
  buyer = await createTestUser('customer');
  productId = (await createTestProduct((await createTestUser('seller')).id, { priceCents: 4200, stock: 10 })).id;
});

async function pendingOrderAndPayment() {
  const { order } = await placeOrder(orderDepsFromEnv(env), { id: buyer.id, role: 'customer' }, { items: [{ productId, quantity: 2 }], shippingAddress: ADDRESS }, 'saga-webhooks');
  const [row] = await db.select({ totalCents: orders.totalCents, currency: orders.currency }).from(orders).where(eq(orders.id, order.id));
  const [payment] = await db.insert(payments).values({ orderId: order.id, userId: buyer.id, amountCents: row!.totalCents, currency: row!.currency, idempotencyKey: order.id }).returning();
  return { orderId: order.id, paymentId: payment!.id, amountCents: row!.totalCents };
}

async function webhook(event: unknown) {
  const delivery = await signed(event, env.SIMULATED_WEBHOOK_SECRET!);
  const res = await SELF.fetch('http://shop.test/api/v1/payments/webhooks/simulated', { method: 'POST', headers: delivery.headers, body: delivery.body });
  return { status: res.status, body: (await res.json()) as { outcome?: string } };
}

const orderStatus = async (orderId: string) => (await SELF.fetch(`http://shop.test/api/v1/orders/${orderId}`, { headers: jsonHeaders(buyer) }).then((r) => r.json() as Promise<{ data: { status: string; paymentId: string | null } }>)).data;
const stockOf = async () => (await db.select({ reserved: products.stockReserved, sold: products.soldCount }).from(products).where(eq(products.id, productId)))[0]!;

describe('webhooks drive the saga', () => {
  it('payment_intent.succeeded → payment COMPLETED and the order CONFIRMED with its units sold; the repeat changes nothing', async () => {
    const before = await stockOf();
    const { orderId, paymentId, amountCents } = await pendingOrderAndPayment();
    const event = intentEvent({ paymentId, amountCents });
    expect(await webhook(event)).toMatchObject({ status: 200, body: { outcome: 'applied' } });
    const order = await poll(async () => {
      const current = await orderStatus(orderId);
      return current.status === 'CONFIRMED' ? current : undefined;
    });
    expect(order.paymentId).toBe(paymentId);
    expect((await stockOf()).sold).toBe(before.sold + 2);
    expect((await webhook(event)).body.outcome).toBe('duplicate');
    expect((await stockOf()).sold).toBe(before.sold + 2);
  });

  it('payment_intent.payment_failed (a decline) → payment FAILED, the order cancelled and its held units released', async () => {
    const before = await stockOf();
    const { orderId, paymentId, amountCents } = await pendingOrderAndPayment();
    expect((await stockOf()).reserved).toBe(before.reserved + 2);
    expect((await webhook(intentEvent({ paymentId, amountCents, type: 'payment_intent.payment_failed', declineCode: 'card_declined' }))).body.outcome).toBe('applied');
    await poll(async () => ((await orderStatus(orderId)).status === 'CANCELLED' ? true : undefined));
    await poll(async () => ((await stockOf()).reserved === before.reserved ? true : undefined));
    expect((await db.select().from(payments).where(eq(payments.id, paymentId)))[0]).toMatchObject({ status: 'FAILED' });
  });

  it('3-D Secure abandoned (payment_intent.canceled) → the order is cancelled and nothing is sold', async () => {
    const before = await stockOf();
    const { orderId, paymentId, amountCents } = await pendingOrderAndPayment();
    expect((await webhook(intentEvent({ paymentId, amountCents, type: 'payment_intent.canceled' }))).body.outcome).toBe('applied');
    await poll(async () => ((await orderStatus(orderId)).status === 'CANCELLED' ? true : undefined));
    expect((await stockOf()).sold).toBe(before.sold);
  });

  it('an amount that differs from the order moves nothing', async () => {
    const { orderId, paymentId, amountCents } = await pendingOrderAndPayment();
    expect((await webhook(intentEvent({ paymentId, amountCents: amountCents - 1 }))).status).toBe(422);
    expect((await orderStatus(orderId)).status).toBe('PENDING');
  });
});
