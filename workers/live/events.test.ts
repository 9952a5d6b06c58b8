import { env, SELF } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { createNotification } from '@/notifications/service';
import { createDb, withTransaction } from '@/platform/db';
import { connectUser, framesOf, type LiveClient, type LiveFrame } from '@test/support/live';
import { createTestProduct, createTestUser, jsonHeaders, type TestUser } from '@test/support/shop-fixtures';

const BASE = 'http://shop.test/api/v1';
const ADDRESS = { street: '1 Nguyen Hue', city: 'Ho Chi Minh City', state: 'HCM', country: 'Vietnam', zipCode: '700000' };

const open: LiveClient[] = [];
async function watch(user: TestUser) {
  const client = await connectUser(user);
  open.push(client);
  return client;
}
afterEach(() => {
  for (const client of open.splice(0)) if (!client.closed) client.ws.close(1000, 'test over');
});

const orderFrames = (client: LiveClient, orderId: string) =>
  framesOf(client, 'order.updated').filter((f) => f.data?.orderId === orderId);

describe('events pushed after commit', () => {
  it('a notification written in a transaction is pushed with the unread count only once the transaction commits', async () => {
    const [user, product] = await Promise.all([createTestUser(), createTestUser('seller').then((s) => createTestProduct(s.id))]);
    const client = await watch(user);

    await expect(
      withTransaction(env, async (tx) => {
        await createNotification(tx, { userId: user.id, type: 'TEST', title: 'rolled back', productId: product.id });
        throw new Error('roll it back');
      }),
    ).rejects.toThrow('roll it back');
    await withTransaction(env, (tx) => createNotification(tx, { userId: user.id, type: 'TEST', title: 'kept', productId: product.id }));

    await vi.waitFor(() => expect(framesOf(client, 'notification.created')).toHaveLength(1));
    const [frame] = framesOf(client, 'notification.created');
    expect(frame).toMatchObject({ type: 'notification.created', data: { unreadCount: 1, notification: { title: 'kept', productId: product.id, orderId: null, isRead: false } } });
    expect(frame!.id).toBe(`notification:${(frame!.data!.notification as { id: string }).id}`);
    expect(client.frames.some((f) => JSON.stringify(f).includes('rolled back'))).toBe(false);
  });

  it('a notification written on a plain client (it commits by itself) is pushed at once, with the unread count counted by its insert', async () => {
    const [user, product] = await Promise.all([createTestUser(), createTestUser('seller').then((s) => createTestProduct(s.id))]);
    const client = await watch(user);
    await createNotification(createDb(env), { userId: user.id, type: 'TEST', title: 'first', productId: product.id });
    await createNotification(createDb(env), { userId: user.id, type: 'TEST', title: 'second', productId: product.id });
    await vi.waitFor(() => expect(framesOf(client, 'notification.created')).toHaveLength(2));
    // Two separate pushes: their frames may cross, the counts may not.
    const seen = framesOf(client, 'notification.created').map((f) => [(f.data?.notification as { title: string }).title, f.data?.unreadCount]);
    expect(seen.sort()).toEqual([
      ['first', 1],
      ['second', 2],
    ]);
  });

  it('checkout: the seller hears of the new order, then both sides of the payment and the CONFIRMED status; a stranger hears nothing', async () => {
    const [buyer, seller, stranger] = await Promise.all([createTestUser('customer'), createTestUser('seller'), createTestUser('customer')]);
    const product = await createTestProduct(seller.id, { priceCents: 2500, stock: 5 });
    const [buyerLive, sellerLive, strangerLive] = await Promise.all([watch(buyer), watch(seller), watch(stranger)]);

    const res = await SELF.fetch(`${BASE}/orders`, {
      method: 'POST',
      headers: jsonHeaders(buyer),
      body: JSON.stringify({ items: [{ productId: product.id, quantity: 2 }], shippingAddress: ADDRESS }),
    });
    expect(res.status).toBe(201);
    const orderId = (await res.json<{ data: { id: string } }>()).data.id;

    // The seller: ORDER_PLACED then ORDER_PAID, with the order's status alongside.
    await vi.waitFor(
      () => {
        expect(orderFrames(sellerLive, orderId).map((f) => f.data?.status)).toContain('CONFIRMED');
        expect(framesOf(sellerLive, 'notification.created').map((f) => (f.data?.notification as { orderId: string }).orderId)).toEqual([orderId, orderId]);
      },
      { timeout: 20_000, interval: 100 },
    );
    const sellerOrder = orderFrames(sellerLive, orderId);
    expect(sellerOrder[0]).toMatchObject({ id: `order:${orderId}:1`, version: 1, data: { status: 'PENDING', role: 'seller', version: 1 } });
    expect(sellerOrder.at(-1)).toMatchObject({ id: `order:${orderId}:2`, version: 2, data: { status: 'CONFIRMED', role: 'seller' } });
    expect(framesOf(sellerLive, 'notification.created').at(-1)?.data?.unreadCount).toBe(2);
    expect(framesOf(sellerLive, 'payment.updated')).toHaveLength(0);

    // The buyer: the order's statuses and the settled payment, exactly as the REST API shows it.
    await vi.waitFor(
      () => {
        expect(orderFrames(buyerLive, orderId).at(-1)?.data).toMatchObject({ status: 'CONFIRMED', role: 'buyer', version: 2 });
        expect(framesOf(buyerLive, 'payment.updated').at(-1)?.data?.status).toBe('COMPLETED');
      },
      { timeout: 20_000, interval: 100 },
    );
    const paymentFrame = framesOf(buyerLive, 'payment.updated').at(-1) as LiveFrame;
    const rest = await SELF.fetch(`${BASE}/payments/order/${orderId}`, { headers: buyer.auth });
    const { data: payment } = await rest.json<{ data: Record<string, unknown> }>();
    expect(paymentFrame.data).toEqual({ ...payment, version: paymentFrame.version });
    expect(paymentFrame.id).toBe(`payment:${payment.id as string}:${paymentFrame.version}`);

    // Versions never go backwards on either socket.
    for (const frames of [orderFrames(buyerLive, orderId), orderFrames(sellerLive, orderId)]) {
      const versions = frames.map((f) => f.version!);
      expect([...versions].sort((a, b) => a - b)).toEqual(versions);
    }
    expect(strangerLive.frames.filter((f) => f.type !== 'hello')).toEqual([]);
  });

  it('shipping by the seller reaches the buyer (notified) and the seller\'s other tabs (not notified); versions count the history rows', async () => {
    const [buyer, seller] = await Promise.all([createTestUser('customer'), createTestUser('seller')]);
    const product = await createTestProduct(seller.id, { stock: 3 });
    // Watching from the start: earlier tests left other orders' and payments' history rows, which must not count.
    const buyerLive = await watch(buyer);
    const res = await SELF.fetch(`${BASE}/orders`, {
      method: 'POST',
      headers: jsonHeaders(buyer),
      body: JSON.stringify({ items: [{ productId: product.id, quantity: 1 }], shippingAddress: ADDRESS }),
    });
    const orderId = (await res.json<{ data: { id: string } }>()).data.id;
    await vi.waitFor(() => expect(framesOf(buyerLive, 'payment.updated').at(-1)?.data?.status).toBe('COMPLETED'), { timeout: 20_000, interval: 100 });
    // PENDING and COMPLETED: the payment's second history row.
    expect(framesOf(buyerLive, 'payment.updated').at(-1)?.version).toBe(2);
    await vi.waitFor(() => expect(orderFrames(buyerLive, orderId).at(-1)?.data?.status).toBe('CONFIRMED'), { timeout: 20_000, interval: 100 });
    const sellerLive = await watch(seller);
    expect((await SELF.fetch(`${BASE}/orders/${orderId}/ship`, { method: 'PUT', headers: seller.auth })).status).toBe(200);
    await vi.waitFor(() => {
      expect(orderFrames(buyerLive, orderId).map((f) => f.data?.status)).toEqual(['PENDING', 'CONFIRMED', 'SHIPPED']);
      expect(orderFrames(sellerLive, orderId).map((f) => [f.data?.status, f.data?.role])).toEqual([['SHIPPED', 'seller']]);
    });
    expect(framesOf(sellerLive, 'notification.created')).toHaveLength(0);
    const history = await SELF.fetch(`${BASE}/orders/${orderId}/history`, { headers: buyer.auth });
    const { data: rows } = await history.json<{ data: unknown[] }>();
    expect(orderFrames(buyerLive, orderId).map((f) => f.version)).toEqual([1, 2, rows.length]);
    expect(rows).toHaveLength(3);
  });

  it('cancelling a paid order pushes CANCELLED to both sides and the refunded payment to the buyer, as the REST API shows it', async () => {
    const [buyer, seller] = await Promise.all([createTestUser('customer'), createTestUser('seller')]);
    const product = await createTestProduct(seller.id, { priceCents: 1200, stock: 2 });
    const buyerLive = await watch(buyer);
    const res = await SELF.fetch(`${BASE}/orders`, {
      method: 'POST',
      headers: jsonHeaders(buyer),
      body: JSON.stringify({ items: [{ productId: product.id, quantity: 1 }], shippingAddress: ADDRESS }),
    });
    const orderId = (await res.json<{ data: { id: string } }>()).data.id;
    await vi.waitFor(() => expect(orderFrames(buyerLive, orderId).at(-1)?.data?.status).toBe('CONFIRMED'), { timeout: 20_000, interval: 100 });
    const sellerLive = await watch(seller);

    const cancel = await SELF.fetch(`${BASE}/orders/${orderId}/cancel`, { method: 'PUT', headers: jsonHeaders(buyer), body: JSON.stringify({ reason: 'changed my mind' }) });
    expect(cancel.status).toBe(200);
    await vi.waitFor(() => expect(framesOf(buyerLive, 'payment.updated').at(-1)?.data?.status).toBe('REFUNDED'), { timeout: 20_000, interval: 100 });

    expect(orderFrames(buyerLive, orderId).at(-1)).toMatchObject({ id: `order:${orderId}:3`, version: 3, data: { status: 'CANCELLED', role: 'buyer' } });
    expect(orderFrames(sellerLive, orderId)).toMatchObject([{ version: 3, data: { status: 'CANCELLED', role: 'seller' } }]);
    const refunded = framesOf(buyerLive, 'payment.updated').at(-1) as LiveFrame;
    // PENDING, COMPLETED, REFUNDED.
    expect(refunded.version).toBe(3);
    const rest = await SELF.fetch(`${BASE}/payments/order/${orderId}`, { headers: buyer.auth });
    const { data: payment } = await rest.json<{ data: Record<string, unknown> }>();
    expect(refunded.data).toEqual({ ...payment, version: 3 });
    expect(framesOf(sellerLive, 'payment.updated')).toEqual([]);
  });
});
