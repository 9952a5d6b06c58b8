import { env } from 'cloudflare:test';
import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';

import { createTestApp } from '@/app';
import { productImages } from '@/catalog/tables';
import { sellerProfiles, userProfiles } from '@/identity/tables';
import { notifications } from '@/notifications/tables';
import { createOrdersRouter } from '@/orders/routes';
import type { OrderResponse } from '@/orders/schema';
import { applyPaymentCompleted } from '@/orders/payment-events';
import { orders, orderStatusHistory, outbox } from '@/orders/tables';
import { createDb } from '@/platform/db';
import { newId } from '@/platform/columns';
import { ordersHttpHarness } from '@test/support/orders-http';
import { fakeOrderDeps, FakeQueue } from '@test/support/saga-fakes';
import { createTestProduct, createTestUser, jsonHeaders, type TestUser } from '@test/support/shop-fixtures';

const ADDRESS = { street: '1 Nguyen Hue', city: 'Ho Chi Minh City', state: 'HCM', country: 'Vietnam', zipCode: '700000' };

const setup = () => ordersHttpHarness<OrderResponse>((makeDeps) => createOrdersRouter(makeDeps));

let buyer: TestUser;
let seller: TestUser;
let otherSeller: TestUser;
let stranger: TestUser;
let admin: TestUser;
let productA: { id: number; priceCents: number };
let productB: { id: number; priceCents: number };
let foreignProduct: { id: number; priceCents: number };

beforeAll(async () => {
  [buyer, seller, otherSeller, stranger, admin] = await Promise.all([createTestUser('customer'), createTestUser('seller'), createTestUser('seller'), createTestUser('customer'), createTestUser('admin')]);
  [productA, productB, foreignProduct] = await Promise.all([
    createTestProduct(seller.id, { priceCents: 1999 }),
    createTestProduct(seller.id, { priceCents: 250 }),
    createTestProduct(otherSeller.id, { priceCents: 500 }),
  ]);
  await createDb(env).insert(productImages).values({ productId: productA.id, url: 'https://img.test/a.jpg', sortOrder: 0 });
});

const orderBody = (items: { productId: number; quantity: number }[]) => ({ items, shippingAddress: ADDRESS });

describe('POST /api/v1/orders', () => {
  it('places a PENDING order priced from the database, merging duplicate lines, and relays order.created', async () => {
    const t = setup();
    const res = await t.call('POST', '/api/v1/orders', buyer, { ...orderBody([{ productId: productA.id, quantity: 1 }, { productId: productB.id, quantity: 2 }, { productId: productA.id, quantity: 1 }]), cartId: newId() });
    expect(res.status).toBe(201);
    const order = res.body.data;
    // The country's English name is stored as its ISO code; the recipient defaults to the account holder.
    expect(order).toMatchObject({ userId: buyer.id, sellerId: seller.id, status: 'PENDING', totalAmount: 44.98, currency: 'USD', shippingAddress: { ...ADDRESS, country: 'VN', recipientName: buyer.email } });
    expect(order.items.map((i) => [i.productId, i.quantity, i.unitPrice, i.subtotal, i.imageUrl])).toEqual([
      [productA.id, 2, 19.99, 39.98, 'https://img.test/a.jpg'],
      [productB.id, 2, 2.5, 5, null],
    ]);
    expect(t.stock.callsFor(order.id)).toEqual(['reserve']);
    expect(t.cart.removed).toEqual([{ userId: buyer.id, orderId: order.id, items: [{ productId: productA.id, quantity: 2 }, { productId: productB.id, quantity: 2 }] }]);

    const db = createDb(env);
    const [row] = await db.select().from(outbox).where(eq(outbox.aggregateId, order.id));
    expect(row!.eventType).toBe('order.created');
    expect(row!.publishedAt).not.toBeNull();
    expect(t.queue.sent).toEqual([expect.objectContaining({ type: 'order.created', orderId: order.id, totalAmount: 44.98, idempotencyKey: order.id, version: 1 })]);
    const history = await db.select().from(orderStatusHistory).where(eq(orderStatusHistory.orderId, order.id));
    expect(history.map((h) => [h.oldStatus, h.newStatus, h.changedBy])).toEqual([[null, 'PENDING', buyer.id]]);
    const notices = await db.select().from(notifications).where(and(eq(notifications.orderId, order.id), eq(notifications.userId, seller.id)));
    expect(notices).toHaveLength(1);
  });

  it('rejects a mixed-seller order with 400 before touching stock', async () => {
    const t = setup();
    const res = await t.call('POST', '/api/v1/orders', buyer, orderBody([{ productId: productA.id, quantity: 1 }, { productId: foreignProduct.id, quantity: 1 }]));
    expect(res.status).toBe(400);
    expect(res.body.error!.code).toBe('MIXED_SELLER_ORDER');
    expect(t.stock.calls).toEqual([]);
  });

  it('forbids a seller from buying their own product (403) and admins from ordering', async () => {
    const t = setup();
    const own = await t.call('POST', '/api/v1/orders', seller, orderBody([{ productId: productA.id, quantity: 1 }]));
    expect(own.status).toBe(403);
    expect(own.body.error!.code).toBe('SELLER_CANNOT_BUY_OWN_PRODUCT');
    const bySeller = await t.call('POST', '/api/v1/orders', otherSeller, orderBody([{ productId: productA.id, quantity: 1 }]));
    expect(bySeller.status).toBe(201);
    expect((await t.call('POST', '/api/v1/orders', admin, orderBody([{ productId: productA.id, quantity: 1 }]))).status).toBe(403);
    expect(t.stock.calls.filter((c) => c.startsWith('reserve'))).toHaveLength(1);
  });

  it('answers 404 for unknown or inactive products', async () => {
    const t = setup();
    const inactive = await createTestProduct(seller.id, { status: 'INACTIVE' });
    for (const productId of [inactive.id, 9_999_999]) {
      const res = await t.call('POST', '/api/v1/orders', buyer, orderBody([{ productId, quantity: 1 }]));
      expect(res.status).toBe(404);
      expect(res.body.error!.code).toBe('PRODUCT_NOT_FOUND');
    }
    expect(t.stock.calls).toEqual([]);
  });

  it('answers 409 INSUFFICIENT_STOCK and writes nothing', async () => {
    const t = setup();
    const product = await createTestProduct(seller.id);
    t.stock.onHand.set(product.id, 1);
    const res = await t.call('POST', '/api/v1/orders', buyer, orderBody([{ productId: product.id, quantity: 2 }]));
    expect(res.status).toBe(409);
    expect(res.body.error!.code).toBe('INSUFFICIENT_STOCK');
    const rows = await createDb(env).select().from(orders).where(eq(orders.userId, buyer.id));
    expect(rows.every((o) => o.totalCents !== product.priceCents * 2)).toBe(true);
  });

  it('releases the reservation when the order transaction fails', async () => {
    const fakes = fakeOrderDeps({ transaction: async () => Promise.reject(new Error('disk full')) });
    const app = createTestApp(createOrdersRouter(() => fakes.deps));
    const res = await app.request('/api/v1/orders', { method: 'POST', headers: jsonHeaders(buyer), body: JSON.stringify(orderBody([{ productId: productA.id, quantity: 1 }])) }, { ...env, ORDER_EVENTS: new FakeQueue().asQueue() });
    expect(res.status).toBe(500);
    const [reserve, release] = fakes.stock.calls;
    expect(reserve).toMatch(/^reserve:/);
    expect(release).toBe(reserve!.replace('reserve', 'release'));
    expect(fakes.stock.reserved.size).toBe(0);
    expect(fakes.cart.removed).toEqual([]);
  });

  it.each([
    ['no items', { items: [], shippingAddress: ADDRESS }],
    ['51 lines', { items: Array.from({ length: 51 }, (_, i) => ({ productId: i + 1, quantity: 1 })), shippingAddress: ADDRESS }],
    ['quantity 1000', { items: [{ productId: 1, quantity: 1000 }], shippingAddress: ADDRESS }],
    ['a blank city', { items: [{ productId: 1, quantity: 1 }], shippingAddress: { ...ADDRESS, city: '  ' } }],
    ['a missing zipCode', { items: [{ productId: 1, quantity: 1 }], shippingAddress: { ...ADDRESS, zipCode: undefined } }],
    ['an unknown field', { items: [{ productId: 1, quantity: 1 }], shippingAddress: ADDRESS, totalAmount: 1 }],
    ['a client price', { items: [{ productId: 1, quantity: 1, price: 0.01 }], shippingAddress: ADDRESS }],
  ])('rejects %s with 400 VALIDATION_ERROR', async (_name, body) => {
    const t = setup();
    const res = await t.call('POST', '/api/v1/orders', buyer, body);
    expect(res.status).toBe(400);
    expect(res.body.error!.code).toBe('VALIDATION_ERROR');
    expect(t.stock.calls).toEqual([]);
  });

  it('merged duplicates above 999 are rejected', async () => {
    const t = setup();
    const res = await t.call('POST', '/api/v1/orders', buyer, orderBody([{ productId: productA.id, quantity: 600 }, { productId: productA.id, quantity: 600 }]));
    expect(res.status).toBe(400);
    expect(t.stock.calls).toEqual([]);
  });

  it('replays the stored 201 for a repeated Idempotency-Key and rejects another body with 422', async () => {
    const t = setup();
    const key = { 'idempotency-key': `order-${crypto.randomUUID()}` };
    const first = await t.call('POST', '/api/v1/orders', buyer, orderBody([{ productId: productB.id, quantity: 1 }]), key);
    const second = await t.call('POST', '/api/v1/orders', buyer, orderBody([{ productId: productB.id, quantity: 1 }]), key);
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(t.stock.calls.filter((c) => c.startsWith('reserve'))).toHaveLength(1);
    const other = await t.call('POST', '/api/v1/orders', buyer, orderBody([{ productId: productB.id, quantity: 2 }]), key);
    expect(other.status).toBe(422);
    expect(other.body.error!.code).toBe('IDEMPOTENCY_KEY_REUSED');
    const bad = await t.call('POST', '/api/v1/orders', buyer, orderBody([{ productId: productB.id, quantity: 1 }]), { 'idempotency-key': 'x'.repeat(256) });
    expect(bad.status).toBe(400);
  });
});

describe('shipping addresses', () => {
  it('stores a recipient, phone and second line as given, and names the account holder when the recipient is left out', async () => {
    const t = setup();
    await createDb(env).insert(userProfiles).values({ userId: stranger.id, firstName: 'Lan', lastName: 'Pham' });
    const given = await t.call('POST', '/api/v1/orders', buyer, { items: [{ productId: productB.id, quantity: 1 }], shippingAddress: { recipientName: 'Minh Tran', phone: '+84 28 3822 1234', street: '1 Nguyen Hue', line2: 'Apt 12', city: 'Hanoi', country: 'vn', zipCode: '100000' } });
    expect(given.status).toBe(201);
    expect(given.body.data.shippingAddress).toEqual({ recipientName: 'Minh Tran', phone: '+84 28 3822 1234', street: '1 Nguyen Hue', line2: 'Apt 12', city: 'Hanoi', state: '', country: 'VN', zipCode: '100000' });
    const defaulted = await t.call('POST', '/api/v1/orders', stranger, orderBody([{ productId: productB.id, quantity: 1 }]));
    expect(defaulted.body.data.shippingAddress.recipientName).toBe('Lan Pham');
  });

  it.each([
    ['an unknown country', { country: 'Narnia' }, 'shippingAddress.country'],
    ['a ZIP that is not one', { country: 'US', zipCode: '!!!!' }, 'shippingAddress.zipCode'],
    ["another country's postal code", { country: 'US', zipCode: '700000' }, 'shippingAddress.zipCode'],
    ['a missing postal code where the country has them', { country: 'US', zipCode: undefined }, 'shippingAddress.zipCode'],
    ['a city without letters', { city: '1' }, 'shippingAddress.city'],
    ['a one-letter street', { street: 'x' }, 'shippingAddress.street'],
    ['a state of punctuation', { state: '??' }, 'shippingAddress.state'],
    ['a phone of letters', { phone: 'call me' }, 'shippingAddress.phone'],
  ])('refuses %s with a 400 naming the field, and places nothing', async (_name, change, field) => {
    const t = setup();
    const res = await t.call('POST', '/api/v1/orders', buyer, { items: [{ productId: productA.id, quantity: 1 }], shippingAddress: { ...ADDRESS, ...change } });
    expect(res.status).toBe(400);
    expect(res.body.error!.code).toBe('VALIDATION_ERROR');
    expect(Object.keys(res.body.error!.details!)).toEqual([field]);
    expect(t.stock.calls).toEqual([]);
  });

  it('accepts a country without postal codes with none given', async () => {
    const t = setup();
    const res = await t.call('POST', '/api/v1/orders', buyer, { items: [{ productId: productB.id, quantity: 1 }], shippingAddress: { street: '8 Queen Road', city: 'Central', country: 'Hong Kong' } });
    expect(res.status).toBe(201);
    expect(res.body.data.shippingAddress).toMatchObject({ country: 'HK', zipCode: '', state: '' });
  });
});

describe('reading orders', () => {
  it('lists own orders newest first with status filter, and hides them from others', async () => {
    const t = setup();
    const me = await createTestUser('customer');
    const a = await t.call('POST', '/api/v1/orders', me, orderBody([{ productId: productA.id, quantity: 1 }]));
    const b = await t.call('POST', '/api/v1/orders', me, { items: [{ productId: productB.id, quantity: 3 }, { productId: productA.id, quantity: 2 }], shippingAddress: { ...ADDRESS, recipientName: 'Mai Le' } });
    await t.call('PUT', `/api/v1/orders/${a.body.data.id}/cancel`, me);
    await createDb(env).insert(sellerProfiles).values({ userId: seller.id, displayName: 'Lantern Works' }).onConflictDoNothing();
    const list = await t.call<{ id: string; itemCount: number; status: string; totalAmount: number; sellerId: string }[]>('GET', '/api/v1/orders', me);
    expect(list.status).toBe(200);
    expect(list.body.data.map((o) => o.id)).toEqual([b.body.data.id, a.body.data.id]);
    // Recognisable: the first line's product, units (5) beside lines (2), the seller's and the recipient's names.
    const firstLine = b.body.data.items.toSorted((x, y) => x.id.localeCompare(y.id))[0]!;
    expect(list.body.data[0]).toEqual({
      id: b.body.data.id,
      checkoutId: null,
      totalAmount: 47.48,
      status: 'PENDING',
      itemCount: 2,
      unitCount: 5,
      firstItem: { productId: firstLine.productId, productName: firstLine.productName, imageUrl: firstLine.imageUrl },
      sellerId: seller.id,
      sellerName: 'Lantern Works',
      recipientName: 'Mai Le',
      createdAt: expect.any(String),
    });
    expect(list.body.meta!.totalElements).toBe(2);
    const cancelled = await t.call<{ id: string }[]>('GET', '/api/v1/orders?status=CANCELLED', me);
    expect(cancelled.body.data.map((o) => o.id)).toEqual([a.body.data.id]);
    expect((await t.call('GET', '/api/v1/orders?status=LOST', me)).status).toBe(400);

    expect((await t.call('GET', `/api/v1/orders/${b.body.data.id}`, me)).status).toBe(200);
    const foreign = await t.call('GET', `/api/v1/orders/${b.body.data.id}`, stranger);
    expect(foreign.status).toBe(403);
    expect(foreign.body.error!.code).toBe('ACCESS_DENIED');
    expect((await t.call('GET', `/api/v1/orders/${b.body.data.id}`, admin)).status).toBe(200);
    expect((await t.call('GET', `/api/v1/orders/${newId()}`, me)).status).toBe(404);
    expect((await t.call('GET', '/api/v1/orders/not-a-uuid', me)).status).toBe(400);
    expect((await t.call('GET', '/api/v1/orders', null)).status).toBe(401);
  });

  it("shows history to the buyer, the order's seller and admins only; seller views are the seller's", async () => {
    const t = setup();
    const placed = await t.call('POST', '/api/v1/orders', buyer, orderBody([{ productId: productA.id, quantity: 1 }]));
    const id = placed.body.data.id;
    for (const user of [buyer, seller, admin]) expect((await t.call('GET', `/api/v1/orders/${id}/history`, user)).status).toBe(200);
    for (const user of [stranger, otherSeller]) expect((await t.call('GET', `/api/v1/orders/${id}/history`, user)).status).toBe(403);

    expect((await t.call('GET', `/api/v1/orders/seller/${id}`, seller)).status).toBe(200);
    expect((await t.call('GET', `/api/v1/orders/seller/${id}`, otherSeller)).status).toBe(403);
    expect((await t.call('GET', `/api/v1/orders/seller/${id}`, buyer)).status).toBe(403);
    const sellerList = await t.call<{ id: string; userId: string }[]>('GET', '/api/v1/orders/seller?status=PENDING&size=100', seller);
    expect(sellerList.body.data.find((o) => o.id === id)?.userId).toBe(buyer.id);
    const otherList = await t.call<{ id: string }[]>('GET', '/api/v1/orders/seller', otherSeller);
    expect(otherList.body.data.some((o) => o.id === id)).toBe(false);
  });
});

async function confirmedOrder(t: ReturnType<typeof setup>, user: TestUser = buyer) {
  const placed = await t.call('POST', '/api/v1/orders', user, orderBody([{ productId: productA.id, quantity: 1 }]));
  const id = placed.body.data.id;
  await applyPaymentCompleted(t.deps, { type: 'payment.completed', version: 1, correlationId: 'test', eventId: newId(), orderId: id, paymentId: newId(), amount: 19.99, occurredAt: new Date().toISOString() });
  return id;
}

describe('order transitions over HTTP', () => {
  it('ships with a carrier and tracking number: the buyer sees them with a tracking link; a bad body changes nothing', async () => {
    const t = setup();
    const id = await confirmedOrder(t);
    const refused = [
      { carrier: 'UPS' },
      { trackingNumber: '1Z999AA10123456784' },
      { carrier: 'UPS', trackingNumber: '<script>' },
      { carrier: 'UPS', trackingNumber: '1Z9', extra: true },
      { carrier: 'x', trackingNumber: '1Z999AA10123456784' },
    ];
    for (const body of refused) {
      const answer = await t.call('PUT', `/api/v1/orders/${id}/ship`, seller, body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body.error!.code).toBe('VALIDATION_ERROR');
    }
    expect((await t.call('GET', `/api/v1/orders/${id}`, buyer)).body.data.status).toBe('CONFIRMED');

    const shipped = await t.call('PUT', `/api/v1/orders/${id}/ship`, seller, { carrier: 'UPS', trackingNumber: ' 1Z999AA10123456784 ' });
    expect(shipped.status).toBe(200);
    const seen = await t.call('GET', `/api/v1/orders/${id}`, buyer);
    expect(seen.body.data.shipment).toEqual({ carrier: 'UPS', trackingNumber: '1Z999AA10123456784', trackingUrl: 'https://www.ups.com/track?tracknum=1Z999AA10123456784' });

    // A carrier without a known tracking page is shown as typed, without a link.
    const other = await confirmedOrder(t);
    const local = await t.call('PUT', `/api/v1/orders/${other}/ship`, seller, { carrier: 'VNPost', trackingNumber: 'EE 123 456 789 VN' });
    expect(local.body.data.shipment).toEqual({ carrier: 'VNPost', trackingNumber: 'EE 123 456 789 VN', trackingUrl: null });
  });

  it('runs CONFIRMED → SHIPPED → DELIVERED with the right actors and notifications', async () => {
    const t = setup();
    const id = await confirmedOrder(t);
    expect((await t.call('PUT', `/api/v1/orders/${id}/ship`, buyer)).status).toBe(403);
    expect((await t.call('PUT', `/api/v1/orders/${id}/ship`, otherSeller)).status).toBe(403);
    expect((await t.call('PUT', `/api/v1/orders/${id}/deliver`, buyer)).status).toBe(409);
    const shipped = await t.call('PUT', `/api/v1/orders/${id}/ship`, seller);
    expect(shipped.status).toBe(200);
    expect(shipped.body.data.status).toBe('SHIPPED');
    expect(shipped.body.data.shipment).toBeNull();
    expect((await t.call('PUT', `/api/v1/orders/${id}/cancel`, buyer)).body.error!.code).toBe('INVALID_STATE_TRANSITION');
    expect((await t.call('PUT', `/api/v1/orders/${id}/deliver`, stranger)).status).toBe(403);
    const delivered = await t.call('PUT', `/api/v1/orders/${id}/deliver`, buyer);
    expect(delivered.body.data.status).toBe('DELIVERED');

    const history = await t.call<{ oldStatus: string | null; newStatus: string }[]>('GET', `/api/v1/orders/${id}/history`, seller);
    expect(history.body.data.map((h) => h.newStatus)).toEqual(['PENDING', 'CONFIRMED', 'SHIPPED', 'DELIVERED']);
    const buyerNotices = await createDb(env).select().from(notifications).where(and(eq(notifications.orderId, id), eq(notifications.userId, buyer.id)));
    expect(buyerNotices.map((n) => n.type).sort()).toEqual(['ORDER_SHIPPED', 'PAYMENT_CONFIRMED']);

    const itemId = delivered.body.data.items[0]!.id;
    const verified = await t.call<{ verified: boolean }>('GET', `/api/v1/orders/purchase-verification?productId=${productA.id}&orderItemId=${itemId}`, buyer);
    expect(verified.body.data).toEqual({ verified: true });
    const notMine = await t.call<{ verified: boolean }>('GET', `/api/v1/orders/purchase-verification?productId=${productA.id}&orderItemId=${itemId}`, stranger);
    expect(notMine.body.data).toEqual({ verified: false });
    expect((await t.call('GET', '/api/v1/orders/purchase-verification?productId=abc', buyer)).status).toBe(400);
  });

  it('cancelling a CONFIRMED order restocks and emits order.cancelled; a stranger changes nothing', async () => {
    const t = setup();
    const id = await confirmedOrder(t);
    const denied = await t.call('PUT', `/api/v1/orders/${id}/cancel`, stranger);
    expect(denied.status).toBe(403);
    expect((await t.call('GET', `/api/v1/orders/${id}`, buyer)).body.data.status).toBe('CONFIRMED');
    const res = await t.call('PUT', `/api/v1/orders/${id}/cancel`, buyer, { reason: 'changed my mind' });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ status: 'CANCELLED', cancelReason: 'changed my mind' });
    expect(t.stock.callsFor(id)).toEqual(['reserve', 'commit', 'restock']);
    expect(t.queue.sent.at(-1)).toMatchObject({ type: 'order.cancelled', orderId: id, previousStatus: 'CONFIRMED' });
    const sellerNotices = await createDb(env).select().from(notifications).where(and(eq(notifications.orderId, id), eq(notifications.type, 'ORDER_CANCELLED')));
    expect(sellerNotices.map((n) => n.userId)).toEqual([seller.id]);
  });

  it('cancelling a PENDING order releases its reservation', async () => {
    const t = setup();
    const placed = await t.call('POST', '/api/v1/orders', buyer, orderBody([{ productId: productB.id, quantity: 1 }]));
    const res = await t.call('PUT', `/api/v1/orders/${placed.body.data.id}/cancel`, admin);
    expect(res.body.data.status).toBe('CANCELLED');
    expect(t.stock.callsFor(placed.body.data.id)).toEqual(['reserve', 'release']);
    expect((await t.call('PUT', `/api/v1/orders/${placed.body.data.id}/cancel`, buyer)).status).toBe(409);
  });

  it('ship racing cancel on a CONFIRMED order: exactly one wins, the other gets 409', async () => {
    const t = setup();
    for (let round = 0; round < 3; round++) {
      const id = await confirmedOrder(t);
      const [ship, cancel] = await Promise.all([t.call('PUT', `/api/v1/orders/${id}/ship`, seller), t.call('PUT', `/api/v1/orders/${id}/cancel`, buyer)]);
      expect([ship.status, cancel.status].sort()).toEqual([200, 409]);
      const final = await t.call('GET', `/api/v1/orders/${id}`, buyer);
      expect(final.body.data.status).toBe(ship.status === 200 ? 'SHIPPED' : 'CANCELLED');
      const history = await createDb(env).select().from(orderStatusHistory).where(eq(orderStatusHistory.orderId, id));
      expect(history).toHaveLength(3);
    }
  });
});
