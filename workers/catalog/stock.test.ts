import { env, listDurableObjectIds } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';

import { createInventoryRouter } from '@/catalog/routes';
import { catalogDepsFromEnv, stockDepsFromEnv } from '@/composition';
import { commitStock, mirrorStock, releaseStock, reserveStock, restockStock, stockSnapshot } from '@/catalog/stock';
import { products } from '@/catalog/tables';
import { ADMIN, apiClient, CUSTOMER, errorOf, insertProduct, OTHER_SELLER, SELLER } from '@/catalog/test-support';
import { createDb } from '@/platform/db';
import { AppError } from '@/platform/errors';
import { poll } from '@test/support/poll';

const stock = stockDepsFromEnv(env);

const TTL = 60_000;
const api = apiClient(createInventoryRouter(catalogDepsFromEnv));

async function mirrorRow(productId: number) {
  const [row] = await createDb(env)
    .select({ stockQuantity: products.stockQuantity, stockReserved: products.stockReserved, soldCount: products.soldCount, stockVersion: products.stockVersion })
    .from(products)
    .where(eq(products.id, productId));
  return row!;
}

async function expectRejection(promise: Promise<unknown>): Promise<AppError> {
  const err = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

describe('reserveStock', () => {
  it('holds every line and mirrors the counts into Postgres', async () => {
    const a = await insertProduct({ stockQuantity: 10 });
    const b = await insertProduct({ stockQuantity: 5 });
    const orderId = crypto.randomUUID();
    await reserveStock(stock, orderId, [{ productId: a, quantity: 2 }, { productId: b, quantity: 5 }], TTL);
    expect(await stockSnapshot(stock, a)).toMatchObject({ onHand: 10, reserved: 2, available: 8 });
    expect(await mirrorRow(a)).toEqual({ stockQuantity: 10, stockReserved: 2, soldCount: 0, stockVersion: 1 });
    expect(await mirrorRow(b)).toMatchObject({ stockReserved: 5 });
    await reserveStock(stock, orderId, [{ productId: a, quantity: 2 }, { productId: b, quantity: 5 }], TTL);
    expect(await stockSnapshot(stock, a)).toMatchObject({ reserved: 2 });
  });

  it('is all or nothing: a short line releases the lines already held and names every short product', async () => {
    const plenty = await insertProduct({ stockQuantity: 10 });
    const scarce = await insertProduct({ stockQuantity: 1 });
    const none = await insertProduct({ stockQuantity: 0 });
    const err = await expectRejection(
      reserveStock(stock, crypto.randomUUID(), [{ productId: plenty, quantity: 3 }, { productId: scarce, quantity: 2 }, { productId: none, quantity: 1 }], TTL),
    );
    expect(err.status).toBe(409);
    expect(err.code).toBe('INSUFFICIENT_STOCK');
    expect(err.details).toEqual({ [scarce]: 'only 1 available', [none]: 'only 0 available' });
    expect(await stockSnapshot(stock, plenty)).toMatchObject({ reserved: 0, available: 10 });
    expect(await stockSnapshot(stock, scarce)).toMatchObject({ reserved: 0, available: 1 });
    expect(await mirrorRow(plenty)).toMatchObject({ stockReserved: 0 });
  });

  it('sums duplicate lines and 404s an unknown product after releasing what it held', async () => {
    const a = await insertProduct({ stockQuantity: 3 });
    const orderId = crypto.randomUUID();
    const err = await expectRejection(reserveStock(stock, orderId, [{ productId: a, quantity: 2 }, { productId: a, quantity: 2 }], TTL));
    expect(err.details).toEqual({ [a]: 'only 3 available' });
    const missing = await expectRejection(reserveStock(stock, crypto.randomUUID(), [{ productId: a, quantity: 1 }, { productId: 987_654_321, quantity: 1 }], TTL));
    expect(missing.code).toBe('PRODUCT_NOT_FOUND');
    expect(await stockSnapshot(stock, a)).toMatchObject({ reserved: 0 });
  });

  it('never oversells under concurrent orders, and the mirror ends on the newest counts', async () => {
    const a = await insertProduct({ stockQuantity: 5 });
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => reserveStock(stock, crypto.randomUUID(), [{ productId: a, quantity: 1 }], TTL)));
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(5);
    for (const result of results) if (result.status === 'rejected') expect((result.reason as AppError).code).toBe('INSUFFICIENT_STOCK');
    expect(await stockSnapshot(stock, a)).toMatchObject({ onHand: 5, reserved: 5, available: 0, version: 5 });
    expect(await mirrorRow(a)).toEqual({ stockQuantity: 5, stockReserved: 5, soldCount: 0, stockVersion: 5 });
  });

  it('rejects malformed calls before any DO is touched', async () => {
    const a = await insertProduct({ stockQuantity: 3 });
    await expect(reserveStock(stock, crypto.randomUUID(), [{ productId: a, quantity: 1 }], 0)).rejects.toThrow(RangeError);
    await expect(reserveStock(stock, '', [{ productId: a, quantity: 1 }], TTL)).rejects.toThrow(RangeError);
    expect((await expectRejection(reserveStock(stock, crypto.randomUUID(), [{ productId: a, quantity: 0 }], TTL))).code).toBe('VALIDATION_ERROR');
    expect(await stockSnapshot(stock, a)).toMatchObject({ reserved: 0, version: 0 });
  });

  it('initialises a seeded product lazily from its row', async () => {
    const snapshot = await stockSnapshot(stock, 3);
    expect(snapshot).toMatchObject({ productId: 3, onHand: 300, reserved: 0, available: 300 });
  });
});

describe('commitStock, releaseStock, restockStock', () => {
  it('moves committed units to sold once, restocks once, and mirrors each step', async () => {
    const a = await insertProduct({ stockQuantity: 10 });
    const orderId = crypto.randomUUID();
    const lines = [{ productId: a, quantity: 4 }];
    await reserveStock(stock, orderId, lines, TTL);
    await commitStock(stock, orderId, lines);
    await commitStock(stock, orderId, lines);
    expect(await mirrorRow(a)).toMatchObject({ stockQuantity: 6, stockReserved: 0, soldCount: 4 });
    await releaseStock(stock, orderId, lines);
    expect(await stockSnapshot(stock, a)).toMatchObject({ onHand: 6, reserved: 0 });
    await restockStock(stock, orderId, lines);
    await restockStock(stock, orderId, lines);
    expect(await mirrorRow(a)).toMatchObject({ stockQuantity: 10, stockReserved: 0, soldCount: 0 });
  });

  it('heals the mirror on release after the expiry alarm already freed the units', async () => {
    const a = await insertProduct({ stockQuantity: 10 });
    const orderId = crypto.randomUUID();
    await reserveStock(stock, orderId, [{ productId: a, quantity: 3 }], 5);
    // The expiry alarm (due 5 ms after the reservation) frees the hold by itself.
    await poll(async () => ((await stockSnapshot(stock, a)).reserved === 0 ? true : undefined));
    expect(await mirrorRow(a)).toMatchObject({ stockReserved: 3 });
    await releaseStock(stock, orderId, [{ productId: a, quantity: 3 }]);
    expect(await mirrorRow(a)).toMatchObject({ stockReserved: 0, stockVersion: 2 });
  });

  it('refuses to commit an order that never reserved', async () => {
    const a = await insertProduct({ stockQuantity: 10 });
    const err = await expectRejection(commitStock(stock, crypto.randomUUID(), [{ productId: a, quantity: 1 }]));
    expect(err.code).toBe('STOCK_COMMIT_FAILED');
    await releaseStock(stock, crypto.randomUUID(), [{ productId: a, quantity: 1 }]);
    expect(await stockSnapshot(stock, a)).toMatchObject({ onHand: 10, reserved: 0 });
  });
});

describe('mirrorStock', () => {
  it('lets a late, older snapshot lose against a newer one', async () => {
    const a = await insertProduct({ stockQuantity: 10 });
    const base = { productId: a, onHand: 10, sold: 0 };
    expect(await mirrorStock(createDb(env), { ...base, reserved: 5, available: 5, version: 5 })).toBe(true);
    expect(await mirrorStock(createDb(env), { ...base, reserved: 4, available: 6, version: 4 })).toBe(false);
    expect(await mirrorStock(createDb(env), { ...base, reserved: 1, available: 9, version: 5 })).toBe(false);
    expect(await mirrorRow(a)).toEqual({ stockQuantity: 10, stockReserved: 5, soldCount: 0, stockVersion: 5 });
  });
});

describe('GET /api/v1/inventory/{productId}', () => {
  it('answers from the DO for ACTIVE products', async () => {
    const active = await insertProduct({ stockQuantity: 7 });
    await reserveStock(stock, crypto.randomUUID(), [{ productId: active, quantity: 2 }], TTL);
    const res = await api.get(`/api/v1/inventory/${active}`);
    expect(res.status).toBe(200);
    expect((await res.json<{ data: unknown }>()).data).toEqual({ productId: active, stockQuantity: 7, stockReserved: 2, availableStock: 5 });
  });

  it('hides INACTIVE and DELETED products like /products/{id} does: 404 except for their seller and admins', async () => {
    for (const status of ['INACTIVE', 'DELETED'] as const) {
      const hidden = await insertProduct({ stockQuantity: 7, status });
      await reserveStock(stock, crypto.randomUUID(), [{ productId: hidden, quantity: 2 }], TTL);
      for (const who of [undefined, CUSTOMER, OTHER_SELLER]) {
        const res = await api.get(`/api/v1/inventory/${hidden}`, who);
        expect(res.status, `${status} for ${who?.email ?? 'anonymous'}`).toBe(404);
        expect((await errorOf(res)).code).toBe('PRODUCT_NOT_FOUND');
      }
      for (const who of [SELLER, ADMIN]) {
        const res = await api.get(`/api/v1/inventory/${hidden}`, who);
        expect(res.status, `${status} for ${who.email}`).toBe(200);
        expect((await res.json<{ data: unknown }>()).data).toEqual({ productId: hidden, stockQuantity: 7, stockReserved: 2, availableStock: 5 });
      }
    }
  });

  it('404s an unknown product without creating a StockDO for it, and 400s a bad id', async () => {
    const unknownId = 987654322;
    const res = await api.get(`/api/v1/inventory/${unknownId}`);
    expect(res.status).toBe(404);
    expect((await errorOf(res)).code).toBe('PRODUCT_NOT_FOUND');
    const created = (await listDurableObjectIds(env.STOCK_DO)).map((id) => id.toString());
    expect(created).not.toContain(env.STOCK_DO.idFromName(String(unknownId)).toString());
    expect((await api.get('/api/v1/inventory/abc')).status).toBe(400);
  });
});
