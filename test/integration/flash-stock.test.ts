import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';

import { createTestApp } from '@/app';
import { createInventoryRouter, createProductsRouter } from '@/catalog/routes';
import { shardName } from '@/catalog/stock-shards';
import { catalogDepsFromEnv, orderDepsFromEnv } from '@/composition';
import { createOrdersRouter } from '@/orders/routes';
import { FakeQueue } from '@test/support/saga-fakes';
import { createTestProduct, createTestUser } from '@test/support/shop-fixtures';

const ADDRESS = { street: '1 Flash Lane', city: 'Ho Chi Minh City', state: 'HCM', country: 'Vietnam', zipCode: '700000' };

/**
 * Flash sale through HTTP (docs/decisions/flash-sales.md): the seller spreads a product over 8 stock shards with
 * `PUT /products/{id}`, then 60 buyers order one unit each at once through `POST /orders` (the real order service,
 * StockDOs and database). Exactly the 20 units are sold, every other buyer gets 409 `INSUFFICIENT_STOCK`, and the
 * product's listed stock is the sum of its shards.
 */
describe('flash sale: 20 units over 8 stock shards, 60 concurrent buyers', () => {
  it('sells exactly 20 and refuses the other 40 with 409', async () => {
    const [seller, ...buyers] = await Promise.all([createTestUser('seller'), ...Array.from({ length: 60 }, () => createTestUser('customer'))]);
    const product = await createTestProduct(seller!.id, { stock: 20, priceCents: 1500 });
    const app = createTestApp(createOrdersRouter((e, logger) => orderDepsFromEnv(e, logger)));
    app.route('/', createProductsRouter(catalogDepsFromEnv));
    app.route('/', createInventoryRouter(catalogDepsFromEnv));
    const testEnv = { ...env, ORDER_EVENTS: new FakeQueue().asQueue() };
    const request = (path: string, init: RequestInit) => app.request(path, init, testEnv);

    const grown = await request(`/api/v1/products/${product.id}`, { method: 'PUT', headers: { ...seller!.auth, 'content-type': 'application/json' }, body: JSON.stringify({ stockShards: 8 }) });
    expect(grown.status).toBe(200);
    expect((await grown.json<{ data: { stockShards: number; stockQuantity: number } }>()).data).toMatchObject({ stockShards: 8, stockQuantity: 20 });

    const body = JSON.stringify({ items: [{ productId: product.id, quantity: 1 }], shippingAddress: ADDRESS });
    const answers = await Promise.all(
      buyers.map(async (buyer) => {
        const res = await request('/api/v1/orders', { method: 'POST', headers: { ...buyer.auth, 'content-type': 'application/json' }, body });
        return { status: res.status, code: res.status === 201 ? null : (await res.json<{ error: { code: string } }>()).error.code };
      }),
    );
    expect(answers.filter((a) => a.status === 201)).toHaveLength(20);
    expect(answers.filter((a) => a.status !== 201)).toEqual(Array.from({ length: 40 }, () => ({ status: 409, code: 'INSUFFICIENT_STOCK' })));

    const inventory = await request(`/api/v1/inventory/${product.id}`, { method: 'GET' });
    expect((await inventory.json<{ data: unknown }>()).data).toEqual({ productId: product.id, stockQuantity: 20, stockReserved: 20, availableStock: 0 });
    // Every shard sold its own slice, none below zero.
    for (let shard = 0; shard < 8; shard++) {
      const snapshot = await env.STOCK_DO.get(env.STOCK_DO.idFromName(shardName(product.id, shard))).snapshot();
      expect(snapshot).toMatchObject({ available: 0 });
      expect(snapshot!.reserved).toBeGreaterThan(0);
    }
  });
});
