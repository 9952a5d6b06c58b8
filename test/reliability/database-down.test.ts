import { env, runDurableObjectAlarm } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';

import { createApp, createTestApp } from '@/app';
import { orderDepsFromEnv } from '@/composition';
import { createOrdersRouter } from '@/orders/routes';
import { placeOrder } from '@/orders/placing';
import { orders } from '@/orders/tables';
import { createDb } from '@/platform/db';
import { ADDRESS, expireReservation, newShop, stockOf, stockStub } from '@test/reliability/harness';
import { jsonHeaders } from '@test/support/shop-fixtures';
import { quietLogger } from '@test/support/saga-fakes';
import { expectInvariants } from '@test/support/invariants';

/** The database behind a dead port, as in workers/app.test.ts "dependencies down". */
const unreachable = { ...env, NEON_LOCAL_PROXY: '127.0.0.1:9', DATABASE_URL: 'postgres://postgres:postgres@127.0.0.1:9/postgres' };
/**
 * What the Neon driver throws when its WebSocket cannot connect. The real dead-port WebSocket path
 * also leaves an unhandled rejection inside the driver (docs/decisions/reliability.md), which the
 * test runner counts as a failure, so the transaction fails with the driver's error instead.
 */
const connectionLost = () => Promise.reject(Object.assign(new Error('Error connecting to database: Network connection lost.'), { name: 'NeonDbError' }));
const ordersOf = (userId: string) => createDb(env).select({ id: orders.id }).from(orders).where(eq(orders.userId, userId));

type ErrorBody = { success: false; error: { code: string } };

/**
 * Row 3: the database is unreachable during checkout → 503 `SERVICE_UNAVAILABLE`, no order row,
 * and no stock left held (released at once, or by the StockDO's expiry alarm when even the
 * release could not run).
 */
describe('reliability: the database unreachable during checkout', () => {
  it('down for the whole request → 503 SERVICE_UNAVAILABLE, no order, stock never touched', async () => {
    const shop = await newShop(10);
    await stockOf(shop.productId);
    const before = await stockOf(shop.productId);
    const res = await createApp().request(
      '/api/v1/orders',
      { method: 'POST', headers: jsonHeaders(shop.buyer), body: JSON.stringify({ items: [{ productId: shop.productId, quantity: 2 }], shippingAddress: ADDRESS }) },
      unreachable,
    );
    expect(res.status).toBe(503);
    expect((await res.json<ErrorBody>()).error.code).toBe('SERVICE_UNAVAILABLE');
    expect(await ordersOf(shop.buyer.id)).toEqual([]);
    expect(await stockOf(shop.productId)).toEqual(before);
    await expectInvariants(shop.productId);
  });

  it('down after the stock was reserved (the order transaction cannot connect) → 503, no order, the hold released at once', async () => {
    const shop = await newShop(10);
    // The real app's collaborators, except that the order transaction goes to the dead database.
    const app = createTestApp(createOrdersRouter((e, logger) => ({ ...orderDepsFromEnv(e, logger), transaction: connectionLost })));
    const res = await app.request(
      '/api/v1/orders',
      { method: 'POST', headers: jsonHeaders(shop.buyer), body: JSON.stringify({ items: [{ productId: shop.productId, quantity: 3 }], shippingAddress: ADDRESS }) },
      env,
    );
    expect(res.status).toBe(503);
    expect((await res.json<ErrorBody>()).error.code).toBe('SERVICE_UNAVAILABLE');
    expect(await ordersOf(shop.buyer.id)).toEqual([]);
    const stock = await stockOf(shop.productId);
    // Reserved (version +1) and released (version +2): the units are free again, and the mirror agrees.
    expect(stock).toMatchObject({ onHand: 10, reserved: 0, available: 10, sold: 0 });
    expect(stock.mirror).toMatchObject({ onHand: 10, reserved: 0, sold: 0, version: stock.version });
    await expectInvariants(shop.productId);
  });

  it('down and the release lost too (the Worker died) → the hold expires by the StockDO alarm after the TTL', async () => {
    const shop = await newShop(10);
    const real = orderDepsFromEnv(env, quietLogger());
    let heldOrder = '';
    const deps = {
      ...real,
      stock: {
        ...real.stock,
        reserve: async (orderId: string, lines: { productId: number; quantity: number }[], ttlMs: number) => {
          heldOrder = orderId;
          return real.stock.reserve(orderId, lines, ttlMs);
        },
        release: async () => {
          throw new Error('isolate gone before the compensation ran');
        },
      },
      transaction: connectionLost,
    };
    await expect(placeOrder(deps, { id: shop.buyer.id, role: 'customer' }, { items: [{ productId: shop.productId, quantity: 4 }], shippingAddress: ADDRESS }, 'corr-db-down')).rejects.toThrow();
    expect(await ordersOf(shop.buyer.id)).toEqual([]);
    expect(await stockOf(shop.productId)).toMatchObject({ onHand: 10, reserved: 4, available: 6 });

    await expireReservation(shop.productId, heldOrder);
    await runDurableObjectAlarm(stockStub(shop.productId));
    expect(await stockOf(shop.productId)).toMatchObject({ onHand: 10, reserved: 0, available: 10, sold: 0 });
    await expectInvariants(shop.productId);
  });
});
