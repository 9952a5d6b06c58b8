import { env } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';

import { createTestApp } from '@/app';
import { categories, products } from '@/catalog/tables';
import { createSimulatedPayoutProvider } from '@/marketplace/payouts';
import { createEarningsRouter, createShippingRouter, type MakePayoutDeps } from '@/marketplace/routes';
import { dbDepsFromEnv, payoutDepsFromEnv } from '@/composition';
import { placeCheckout } from '@/orders/checkout';
import { applyPaymentCompleted } from '@/orders/payment-events';
import { cancelOrder, deliverOrder, shipOrder } from '@/orders/transitions';
import { createDb } from '@/platform/db';
import { createRouter } from '@/platform/router';
import { fakeOrderDeps, quietLogger } from '@test/support/saga-fakes';
import { createTestProduct, createTestUser, jsonHeaders, type TestUser } from '@test/support/shop-fixtures';

const ADDRESS = { street: '1 Ledger Way', city: 'Hanoi', state: 'HN', country: 'Vietnam', zipCode: '100000' };
type Envelope<T> = { success: boolean; data: T; meta?: { totalElements: number }; error?: { code: string; details?: Record<string, string> } };
type Balance = { pending: number; available: number; grossSales: number; commission: number; paidOut: number };

function app(payoutMode: 'success' | 'fail' = 'success', makePayoutDeps: MakePayoutDeps = (e) => ({ ...dbDepsFromEnv(e), provider: createSimulatedPayoutProvider(payoutMode), logger: quietLogger() })) {
  const router = createRouter().route('/', createShippingRouter(dbDepsFromEnv)).route('/', createEarningsRouter(makePayoutDeps, dbDepsFromEnv));
  const built = createTestApp(router);
  return async <T>(method: string, path: string, user: TestUser | null, body?: unknown) => {
    const res = await built.request(path, { method, headers: user ? jsonHeaders(user) : { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) }, env);
    return { status: res.status, body: (res.status === 204 ? null : await res.json()) as Envelope<T> };
  };
}

let buyer: TestUser;
let seller: TestUser;
let other: TestUser;
let admin: TestUser;

beforeAll(async () => {
  [buyer, seller, other, admin] = await Promise.all([createTestUser('customer'), createTestUser('seller'), createTestUser('seller'), createTestUser('admin')]);
});

describe('shipping options', () => {
  it('lets a seller manage its options; anyone lists the active ones (the platform default when none)', async () => {
    const call = app();
    const empty = await call<{ id: string; platformDefault: boolean; price: number }[]>('GET', `/api/v1/shipping-options?sellerId=${seller.id}`, null);
    expect(empty.body.data).toEqual([expect.objectContaining({ id: 'platform-default', platformDefault: true, price: 4.99 })]);

    const created = await call<{ id: string }>('POST', '/api/v1/sellers/me/shipping-options', seller, { name: 'Courier', price: 7.5, freeOver: 80, minDays: 1, maxDays: 2 });
    expect(created.status).toBe(201);
    expect(created.body.data).toMatchObject({ sellerId: seller.id, name: 'Courier', price: 7.5, freeOver: 80, active: true, platformDefault: false });
    const id = created.body.data.id;
    const listed = await call<{ id: string }[]>('GET', `/api/v1/shipping-options?sellerId=${seller.id}`, buyer);
    expect(listed.body.data.map((o) => o.id)).toEqual([id]);

    const off = await call<{ active: boolean }>('PUT', `/api/v1/sellers/me/shipping-options/${id}`, seller, { active: false });
    expect(off.body.data.active).toBe(false);
    expect((await call<{ id: string }[]>('GET', `/api/v1/shipping-options?sellerId=${seller.id}`, buyer)).body.data[0]!.id).toBe('platform-default');
    expect((await call<{ id: string }[]>('GET', '/api/v1/sellers/me/shipping-options', seller)).body.data.map((o) => o.id)).toEqual([id]);

    // Another seller, a customer and bad input.
    expect((await call('PUT', `/api/v1/sellers/me/shipping-options/${id}`, other, { price: 0 })).status).toBe(403);
    expect((await call('DELETE', `/api/v1/sellers/me/shipping-options/${id}`, other)).status).toBe(403);
    expect((await call('POST', '/api/v1/sellers/me/shipping-options', buyer, { name: 'x', price: 1, minDays: 1, maxDays: 1 })).status).toBe(403);
    for (const bad of [{ name: ' ', price: 1, minDays: 1, maxDays: 2 }, { name: 'x', price: -1, minDays: 1, maxDays: 2 }, { name: 'x', price: 1.001, minDays: 1, maxDays: 2 }, { name: 'x', price: 1, minDays: 3, maxDays: 2 }, { name: 'x', price: 1, minDays: 1, maxDays: 2, extra: 1 }]) {
      const res = await call('POST', '/api/v1/sellers/me/shipping-options', seller, bad);
      expect(res.status).toBe(400);
      expect(res.body.error!.code).toBe('VALIDATION_ERROR');
    }
    expect((await call('PUT', `/api/v1/sellers/me/shipping-options/${id}`, seller, { minDays: 9 })).status).toBe(400);
    expect((await call('GET', '/api/v1/shipping-options?sellerId=nope', null)).status).toBe(400);
    expect((await call('DELETE', `/api/v1/sellers/me/shipping-options/${id}`, seller)).status).toBe(204);
    expect((await call('DELETE', `/api/v1/sellers/me/shipping-options/${id}`, seller)).status).toBe(404);
  });
});

describe('seller earnings and payouts', () => {
  it('records sale, release and refund per order, with the category override of the commission; pays out only the available balance', async () => {
    const call = app();
    const shop = await createTestUser('seller');
    const [category] = await createDb(env).insert(categories).values({ name: `Ledger ${crypto.randomUUID().slice(0, 6)}`, slug: `ledger-${crypto.randomUUID().slice(0, 8)}` }).returning();
    const [p1, p2] = await Promise.all([createTestProduct(shop.id, { priceCents: 10_000 }), createTestProduct(shop.id, { priceCents: 2_000 })]);
    await createDb(env).update(products).set({ categoryId: category!.id }).where(eq(products.id, p2.id));
    // Category override 25 % for p2's category (admin only).
    expect((await call('PUT', '/api/v1/admin/commission-rates', shop, { categoryId: category!.id, rateBps: 2500 })).status).toBe(403);
    expect((await call('PUT', '/api/v1/admin/commission-rates', admin, { categoryId: category!.id, rateBps: 20_000 })).status).toBe(400);
    expect((await call('PUT', '/api/v1/admin/commission-rates', admin, { categoryId: category!.id, rateBps: 2500 })).status).toBe(200);

    const t = fakeOrderDeps();
    const customer = { id: buyer.id, role: 'customer' as const };
    const place = async (productId: number) => {
      const { checkout } = await placeCheckout(t.deps, customer, { items: [{ productId, quantity: 1 }], shippingAddress: ADDRESS }, 'ledger');
      const order = checkout.orders[0]!;
      await applyPaymentCompleted(t.deps, { type: 'payment.completed', version: 1, correlationId: 'ledger', eventId: crypto.randomUUID(), orderId: order.id, paymentId: crypto.randomUUID(), amount: order.totalAmount, occurredAt: new Date().toISOString() });
      return order.id;
    };
    // 100.00 (free shipping over 50) at 10 %: net 90.00; 20.00 + 4.99 at 25 % of 20.00: net 19.99.
    const delivered = await place(p1.id);
    const refunded = await place(p2.id);
    let balance = await call<Balance>('GET', '/api/v1/sellers/me/balance', shop);
    expect(balance.body.data).toMatchObject({ pending: 109.99, available: 0, grossSales: 124.99, commission: 15, paidOut: 0 });

    await shipOrder(t.deps, { id: shop.id, role: 'seller' }, delivered);
    await deliverOrder(t.deps, customer, delivered);
    await cancelOrder(t.deps, customer, refunded, 'not needed', 'ledger');
    balance = await call<Balance>('GET', '/api/v1/sellers/me/balance', shop);
    expect(balance.body.data).toMatchObject({ pending: 0, available: 90, grossSales: 100, commission: 10 });
    const ledger = await call<{ type: string; orderId: string; pendingDelta: number; availableDelta: number; commission: number }[]>('GET', '/api/v1/sellers/me/ledger', shop);
    expect(ledger.body.data.map((e) => [e.type, e.orderId, e.pendingDelta, e.availableDelta, e.commission]).sort()).toEqual(
      [
        ['SALE', delivered, 90, 0, 10],
        ['RELEASE', delivered, -90, 90, 0],
        ['SALE', refunded, 19.99, 0, 5],
        ['REFUND', refunded, -19.99, 0, -5],
      ].sort(),
    );
    // Another seller sees nothing of it; the admin sees it by seller.
    expect((await call<unknown[]>('GET', '/api/v1/sellers/me/ledger', other)).body.data).toEqual([]);
    expect((await call<unknown[]>('GET', `/api/v1/admin/ledger?sellerId=${shop.id}`, admin)).body.meta!.totalElements).toBe(4);
    expect((await call('GET', `/api/v1/admin/ledger?sellerId=${shop.id}`, shop)).status).toBe(403);

    // Payouts: above the available balance → 409, nothing written; within it → PAID and deducted.
    const tooMuch = await call('POST', '/api/v1/admin/payouts', admin, { sellerId: shop.id, amount: 90.01 });
    expect(tooMuch.status).toBe(409);
    expect(tooMuch.body.error!.code).toBe('INSUFFICIENT_BALANCE');
    expect((await call('POST', '/api/v1/admin/payouts', shop, { sellerId: shop.id, amount: 1 })).status).toBe(403);
    expect((await call('POST', '/api/v1/admin/payouts', admin, { sellerId: shop.id, amount: 0 })).status).toBe(400);
    expect((await call('POST', '/api/v1/admin/payouts', admin, { sellerId: buyer.id, amount: 1 })).status).toBe(404);
    const paid = await call<{ status: string; amount: number }>('POST', '/api/v1/admin/payouts', admin, { sellerId: shop.id, amount: 60 });
    expect(paid.status).toBe(201);
    expect(paid.body.data).toMatchObject({ status: 'PAID', amount: 60 });
    expect((await call<Balance>('GET', `/api/v1/admin/balances?sellerId=${shop.id}`, admin)).body.data).toMatchObject({ available: 30, paidOut: 60 });
    expect((await call('POST', '/api/v1/admin/payouts', admin, { sellerId: shop.id, amount: 30.01 })).status).toBe(409);

    // A refused transfer gives the money back.
    const failing = app('fail');
    const failed = await failing<{ status: string; failureReason: string }>('POST', '/api/v1/admin/payouts', admin, { sellerId: shop.id, amount: 30 });
    expect(failed.body.data.status).toBe('FAILED');
    expect((await call<Balance>('GET', '/api/v1/sellers/me/balance', shop)).body.data).toMatchObject({ available: 30, paidOut: 60 });
    const payouts = await call<{ status: string }[]>('GET', '/api/v1/sellers/me/payouts', shop);
    expect(payouts.body.data.map((p) => p.status)).toEqual(['FAILED', 'PAID']);
  });

  it('refuses payouts, not the balance, ledger and payout reads, when PAYOUT_PROVIDER is misconfigured', async () => {
    const call = app('success', (e, logger) => payoutDepsFromEnv({ ...e, PAYOUT_PROVIDER: 'nonsense' } as unknown as typeof e, logger));
    const shop = await createTestUser('seller');
    expect((await call<Balance>('GET', '/api/v1/sellers/me/balance', shop)).body.data).toMatchObject({ available: 0, paidOut: 0 });
    expect((await call<unknown[]>('GET', '/api/v1/sellers/me/ledger', shop)).status).toBe(200);
    expect((await call<unknown[]>('GET', `/api/v1/admin/payouts?sellerId=${shop.id}`, admin)).body.data).toEqual([]);
    expect((await call<unknown[]>('GET', '/api/v1/admin/commission-rates', admin)).status).toBe(200);
    const payout = await call('POST', '/api/v1/admin/payouts', admin, { sellerId: shop.id, amount: 1 });
    expect(payout.status).toBe(500);
    expect(payout.body.error!.code).toBe('INTERNAL_ERROR');
    expect((await call<unknown[]>('GET', `/api/v1/admin/payouts?sellerId=${shop.id}`, admin)).body.data).toEqual([]);
  });

  it('never lets two concurrent payouts spend the same balance', async () => {
    const call = app();
    const shop = await createTestUser('seller');
    const product = await createTestProduct(shop.id, { priceCents: 5_000 });
    const t = fakeOrderDeps();
    const customer = { id: buyer.id, role: 'customer' as const };
    const { checkout } = await placeCheckout(t.deps, customer, { items: [{ productId: product.id, quantity: 1 }], shippingAddress: ADDRESS }, 'payout-race');
    const orderId = checkout.orders[0]!.id;
    await applyPaymentCompleted(t.deps, { type: 'payment.completed', version: 1, correlationId: 'x', eventId: crypto.randomUUID(), orderId, paymentId: crypto.randomUUID(), amount: 50, occurredAt: new Date().toISOString() });
    await shipOrder(t.deps, { id: shop.id, role: 'seller' }, orderId);
    await deliverOrder(t.deps, customer, orderId);
    // Available 45.00 (50.00 less 10 %): two payouts of 30.00 at once → one 201, one 409.
    const answers = await Promise.all([call('POST', '/api/v1/admin/payouts', admin, { sellerId: shop.id, amount: 30 }), call('POST', '/api/v1/admin/payouts', admin, { sellerId: shop.id, amount: 30 })]);
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409]);
    expect((await call<Balance>('GET', `/api/v1/admin/balances?sellerId=${shop.id}`, admin)).body.data).toMatchObject({ available: 15, paidOut: 30 });
  });
});
