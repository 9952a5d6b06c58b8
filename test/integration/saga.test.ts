import { env, SELF } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';

import { products } from '@/catalog/tables';
import { orderItems } from '@/orders/tables';
import { createDb } from '@/platform/db';
import { createTestProduct, createTestUser, jsonHeaders, type TestUser } from '@test/support/shop-fixtures';
import { poll } from '@test/support/poll';

const BASE = 'http://shop.test/api/v1';
const ADDRESS = { street: '1 Nguyen Hue', city: 'Ho Chi Minh City', state: 'HCM', country: 'Vietnam', zipCode: '700000' };
type Json = { data: Record<string, unknown> & { status?: string; id?: string }; error?: { code: string } };

let buyer: TestUser;
let seller: TestUser;
let productId: number;

beforeAll(async () => {
  [buyer, seller] = await Promise.all([createTestUser('customer'), createTestUser('seller')]);
  productId = (await createTestProduct(seller.id, { priceCents: 4200, stock: 10 })).id;
});

async function call(method: string, path: string, user: TestUser, body?: unknown) {
  const res = await SELF.fetch(`${BASE}${path}`, { method, headers: jsonHeaders(user), ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return { status: res.status, body: (await res.json()) as Json };
}

describe('checkout saga end to end (real queues, outbox relay, both consumers)', () => {
  it('POST /orders → 201 PENDING at once → payment COMPLETED → order CONFIRMED, one payment, notices for both sides', async () => {
    const placed = await call('POST', '/orders', buyer, { items: [{ productId, quantity: 2 }], shippingAddress: ADDRESS });
    expect(placed.status).toBe(201);
    expect(placed.body.data.status).toBe('PENDING');
    const orderId = placed.body.data.id!;

    const payment = await poll(async () => {
      const res = await call('GET', `/payments/order/${orderId}`, buyer);
      return res.status === 200 && res.body.data.status !== 'PENDING' ? res.body.data : undefined;
    });
    expect(payment).toMatchObject({ orderId, status: 'COMPLETED', amount: 84 });
    const order = await poll(async () => {
      const res = await call('GET', `/orders/${orderId}`, buyer);
      return res.body.data.status === 'CONFIRMED' ? res.body.data : undefined;
    });
    expect(order.paymentId).toBe(payment.id);
    // The reservation was committed in the StockDO and mirrored: 2 units left the shelf as sold.
    const stock = await poll(async () => {
      const [row] = await createDb(env).select({ onHand: products.stockQuantity, reserved: products.stockReserved, sold: products.soldCount }).from(products).where(eq(products.id, productId));
      return row && row.sold === 2 ? row : undefined;
    });
    expect(stock).toEqual({ onHand: 8, reserved: 0, sold: 2 });

    const history = await call('GET', `/orders/${orderId}/history`, seller);
    expect((history.body.data as unknown as { newStatus: string; changedBy: string }[]).map((h) => [h.newStatus, h.changedBy])).toEqual([
      ['PENDING', buyer.id],
      ['CONFIRMED', 'system:payments'],
    ]);
    const sellerNotices = await call('GET', '/orders/notifications', seller);
    expect((sellerNotices.body.data.items as { orderId: string }[]).filter((n) => n.orderId === orderId).length).toBe(2);

    // Ship, deliver, and the purchase is verifiable for reviews.
    expect((await call('PUT', `/orders/${orderId}/ship`, seller)).status).toBe(200);
    expect((await call('PUT', `/orders/${orderId}/deliver`, buyer)).status).toBe(200);
    const [item] = await createDb(env).select().from(orderItems).where(eq(orderItems.orderId, orderId));
    const verified = await call('GET', `/orders/purchase-verification?productId=${productId}&orderItemId=${item!.id}`, buyer);
    expect(verified.body.data).toEqual({ verified: true });
  });

  it('cancelling a CONFIRMED order refunds its payment', async () => {
    const placed = await call('POST', '/orders', buyer, { items: [{ productId, quantity: 1 }], shippingAddress: ADDRESS });
    const orderId = placed.body.data.id!;
    await poll(async () => ((await call('GET', `/orders/${orderId}`, buyer)).body.data.status === 'CONFIRMED' ? true : undefined));
    const cancelled = await call('PUT', `/orders/${orderId}/cancel`, buyer, { reason: 'no longer needed' });
    expect(cancelled.status).toBe(200);
    const refunded = await poll(async () => {
      const res = await call('GET', `/payments/order/${orderId}`, buyer);
      return res.body.data.status === 'REFUNDED' ? res.body.data : undefined;
    });
    expect(refunded.orderId).toBe(orderId);
    // The order says so itself: one refund of the whole amount, for the cancellation.
    const seen = await call('GET', `/orders/${orderId}`, buyer);
    expect(seen.body.data.refunds).toEqual([{ amount: placed.body.data.totalAmount, currency: 'USD', reason: 'cancellation', refundedAt: expect.any(String) }]);
  });

  it('holds real stock: concurrent orders on 2 units → 2×201 and the rest 409 INSUFFICIENT_STOCK naming the product', async () => {
    const scarce = (await createTestProduct(seller.id, { priceCents: 100, stock: 2 })).id;
    const buyers = await Promise.all(Array.from({ length: 5 }, () => createTestUser('customer')));
    const results = await Promise.all(buyers.map((user) => call('POST', '/orders', user, { items: [{ productId: scarce, quantity: 1 }], shippingAddress: ADDRESS })));
    expect(results.map((r) => r.status).sort()).toEqual([201, 201, 409, 409, 409]);
    const refused = results.find((r) => r.status === 409)!;
    expect(refused.body.error!.code).toBe('INSUFFICIENT_STOCK');
    expect(JSON.stringify(refused.body)).toContain(String(scarce));
  });

  it("removes the ordered lines from the buyer's cart", async () => {
    const shopper = await createTestUser('customer');
    const added = await call('POST', '/cart/items', shopper, { product_id: productId, quantity: 1 });
    expect(added.status).toBe(201);
    const placed = await call('POST', '/orders', shopper, { items: [{ productId, quantity: 1 }], shippingAddress: ADDRESS });
    expect(placed.status).toBe(201);
    const cart = await call('GET', '/cart', shopper);
    expect((cart.body.data.items as { product_id: number }[]).some((item) => item.product_id === productId)).toBe(false);
  });

  it('publishes every saga route in the OpenAPI document', async () => {
    const doc = (await (await SELF.fetch('http://shop.test/api/openapi.json')).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/orders',
        '/api/v1/orders/{id}',
        '/api/v1/orders/{id}/cancel',
        '/api/v1/orders/seller',
        '/api/v1/orders/notifications',
        '/api/v1/payments',
        '/api/v1/payments/order/{orderId}',
        '/api/v1/admin/dead-letters/{id}/replay',
      ]),
    );
  });
});
