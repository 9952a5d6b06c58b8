import { env, runDurableObjectAlarm, runInDurableObject, SELF } from 'cloudflare:test';
import { asc, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';

import { cartItems, carts } from '@/cart/tables';
import type { CartView } from '@/cart/schema';
import { removeOrderedFromCart } from '@/cart/service';
import { cartStubFromEnv } from '@/composition';
import { createTestProduct, createTestUser, type TestUser } from '@/cart/test-fixtures';
import { CART_TTL_MS } from '@/cart/rules';
import { createDb } from '@/platform/db';

let seller: TestUser;
let first: number;
let second: number;

beforeAll(async () => {
  seller = await createTestUser('seller');
  first = await createTestProduct(seller.id, { priceCents: 1_500, stock: 100 });
  second = await createTestProduct(seller.id, { priceCents: 700, stock: 100 });
});

const add = (user: TestUser, productId: number, quantity: number) =>
  SELF.fetch('http://shop.test/api/v1/cart/items', {
    method: 'POST',
    headers: { ...user.auth, 'content-type': 'application/json' },
    body: JSON.stringify({ product_id: productId, quantity }),
  });

async function cartOf(user: TestUser): Promise<CartView> {
  const res = await SELF.fetch('http://shop.test/api/v1/cart', { headers: user.auth });
  return (await res.json<{ data: CartView }>()).data;
}

const mirrorCarts = (userId: string) =>
  createDb(env).select().from(carts).where(eq(carts.userId, userId)).orderBy(asc(carts.createdAt), asc(carts.id));
const mirrorItems = async (cartId: string) =>
  (await createDb(env).select().from(cartItems).where(eq(cartItems.cartId, cartId)).orderBy(asc(cartItems.productId))).map((item) => [
    item.productId,
    item.quantity,
    item.unitPriceSnapshotCents,
  ]);

describe('CartDO.removeOrdered (used by ORDERS)', () => {
  it('decreases ordered lines, deletes lines reaching 0, and leaves other lines alone', async () => {
    const shopper = await createTestUser();
    await add(shopper, first, 3);
    await add(shopper, second, 2);
    expect(await removeOrderedFromCart(cartStubFromEnv(env, shopper.id), 'order-a', [{ productId: first, quantity: 1 }, { productId: second, quantity: 2 }])).toBe(true);
    expect((await cartOf(shopper)).items.map((item) => [item.product_id, item.quantity])).toEqual([[first, 2]]);
  });

  it('is idempotent per order id: a second call with the same id changes nothing', async () => {
    const shopper = await createTestUser();
    await add(shopper, first, 5);
    const items = [{ productId: first, quantity: 2 }];
    expect(await removeOrderedFromCart(cartStubFromEnv(env, shopper.id), 'order-b', items)).toBe(true);
    expect(await removeOrderedFromCart(cartStubFromEnv(env, shopper.id), 'order-b', items)).toBe(false);
    expect((await cartOf(shopper)).items[0]!.quantity).toBe(3);
    expect(await removeOrderedFromCart(cartStubFromEnv(env, shopper.id), 'order-c', items)).toBe(true);
    expect((await cartOf(shopper)).items[0]!.quantity).toBe(1);
  });

  it('sums duplicate items, ignores products not in the cart, and never goes below 0', async () => {
    const shopper = await createTestUser();
    await add(shopper, first, 4);
    await removeOrderedFromCart(cartStubFromEnv(env, shopper.id), 'order-d', [
      { productId: first, quantity: 1 },
      { productId: first, quantity: 1 },
      { productId: 987_654_321, quantity: 9 },
    ]);
    expect((await cartOf(shopper)).items[0]!.quantity).toBe(2);
    await removeOrderedFromCart(cartStubFromEnv(env, shopper.id), 'order-e', [{ productId: first, quantity: 50 }]);
    expect((await cartOf(shopper)).items).toEqual([]);
  });

  it('accepts order lines carrying more fields than it needs', async () => {
    const shopper = await createTestUser();
    await add(shopper, first, 2);
    const orderLines = [{ productId: first, quantity: 1, unitPrice: 15, productName: 'x' }];
    expect(await removeOrderedFromCart(cartStubFromEnv(env, shopper.id), 'order-h', orderLines)).toBe(true);
    expect((await cartOf(shopper)).items[0]!.quantity).toBe(1);
  });

  it('rejects malformed items before touching the cart', async () => {
    const shopper = await createTestUser();
    await add(shopper, first, 2);
    await expect(removeOrderedFromCart(cartStubFromEnv(env, shopper.id), 'order-f', [{ productId: first, quantity: 0 }])).rejects.toThrow();
    await expect(removeOrderedFromCart(cartStubFromEnv(env, shopper.id), '', [{ productId: first, quantity: 1 }])).rejects.toThrow();
    expect((await cartOf(shopper)).items[0]!.quantity).toBe(2);
  });
});

describe('Postgres mirror', () => {
  it('is written by the alarm, not by the request, and follows later writes', async () => {
    const shopper = await createTestUser();
    await add(shopper, first, 2);
    await add(shopper, second, 1);
    const stub = cartStubFromEnv(env, shopper.id);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const [row] = await mirrorCarts(shopper.id);
    expect(row).toMatchObject({ status: 'ACTIVE', userId: shopper.id });
    expect(row!.expiresAt.getTime()).toBeGreaterThan(Date.now() + CART_TTL_MS - 60_000);
    expect(await mirrorItems(row!.id)).toEqual([
      [first, 2, 1_500],
      [second, 1, 700],
    ]);

    await add(shopper, first, 1);
    await SELF.fetch(`http://shop.test/api/v1/cart/items/${second}`, { method: 'DELETE', headers: shopper.auth });
    await runDurableObjectAlarm(stub);
    expect(await mirrorCarts(shopper.id)).toHaveLength(1);
    expect(await mirrorItems(row!.id)).toEqual([[first, 3, 1_500]]);
  });

  it('marks the mirror CHECKED_OUT when an order empties the cart, and starts a new ACTIVE row on the next add', async () => {
    const shopper = await createTestUser();
    const stub = cartStubFromEnv(env, shopper.id);
    await add(shopper, first, 2);
    await runDurableObjectAlarm(stub);
    await removeOrderedFromCart(cartStubFromEnv(env, shopper.id), 'order-g', [{ productId: first, quantity: 2 }]);
    await runDurableObjectAlarm(stub);
    const [checkedOut] = await mirrorCarts(shopper.id);
    expect(checkedOut!.status).toBe('CHECKED_OUT');
    expect(await mirrorItems(checkedOut!.id)).toEqual([[first, 2, 1_500]]);

    await add(shopper, second, 1);
    await runDurableObjectAlarm(stub);
    const rows = await mirrorCarts(shopper.id);
    expect(rows.map((r) => r.status)).toEqual(['CHECKED_OUT', 'ACTIVE']);
    expect(await mirrorItems(rows[1]!.id)).toEqual([[second, 1, 700]]);
  });

  it('survives a failed mirror write: the request succeeds, the alarm retries, and the next run writes it', async () => {
    const shopper = await createTestUser();
    const stub = cartStubFromEnv(env, shopper.id);
    type Writer = { writeMirror: (mirror: unknown) => Promise<void> };
    let realWriter: Writer['writeMirror'] | undefined;
    await runInDurableObject(stub, (instance) => {
      const target = instance as unknown as Writer;
      realWriter = target.writeMirror;
      target.writeMirror = async () => {
        throw new Error('Error connecting to database: Network connection lost.');
      };
    });
    expect((await add(shopper, first, 1)).status).toBe(201);
    await runDurableObjectAlarm(stub);
    expect(await mirrorCarts(shopper.id)).toEqual([]);
    const retryAt = await runInDurableObject(stub, (_instance, state) => state.storage.getAlarm());
    expect(retryAt).not.toBeNull();
    expect(retryAt!).toBeLessThan(Date.now() + 10 * 60_000);

    await runInDurableObject(stub, (instance) => {
      (instance as unknown as Writer).writeMirror = realWriter!;
    });
    await runDurableObjectAlarm(stub);
    const [row] = await mirrorCarts(shopper.id);
    expect(row?.status).toBe('ACTIVE');
    expect(await mirrorItems(row!.id)).toEqual([[first, 1, 1_500]]);
  });
});

describe('expiry', () => {
  it('keeps the alarm at last write + 7 days once the mirror is written', async () => {
    const shopper = await createTestUser();
    const stub = cartStubFromEnv(env, shopper.id);
    await add(shopper, first, 1);
    await runDurableObjectAlarm(stub);
    const { alarm, expiresAt } = await runInDurableObject(stub, async (_instance, state) => ({
      alarm: await state.storage.getAlarm(),
      expiresAt: state.storage.sql.exec<{ expires_at: number }>('SELECT expires_at FROM cart_meta').one().expires_at,
    }));
    expect(alarm).toBe(expiresAt);
    expect(expiresAt).toBeGreaterThan(Date.now() + CART_TTL_MS - 60_000);
  });

  it('clears the cart 7 days after the last write and marks the mirror ABANDONED', async () => {
    const shopper = await createTestUser();
    const stub = cartStubFromEnv(env, shopper.id);
    await add(shopper, first, 2);
    await add(shopper, second, 1);
    await runDurableObjectAlarm(stub);
    // Travel a week ahead: the last write now lies more than 7 days back.
    await runInDurableObject(stub, (_instance, state) => {
      state.storage.sql.exec('UPDATE cart_meta SET expires_at = ?', Date.now() - 1);
    });
    expect(await runDurableObjectAlarm(stub)).toBe(true);

    expect((await cartOf(shopper)).items).toEqual([]);
    const [row] = await mirrorCarts(shopper.id);
    expect(row!.status).toBe('ABANDONED');
    expect(await mirrorItems(row!.id)).toEqual([
      [first, 2, 1_500],
      [second, 1, 700],
    ]);
    // Nothing left to expire or mirror: no alarm until the next write.
    expect(await runInDurableObject(stub, (_instance, state) => state.storage.getAlarm())).toBeNull();

    await add(shopper, second, 1);
    expect((await cartOf(shopper)).items.map((item) => [item.product_id, item.quantity])).toEqual([[second, 1]]);
  });

  it('keeps a cart whose expiry is not due', async () => {
    const shopper = await createTestUser();
    const stub = cartStubFromEnv(env, shopper.id);
    await add(shopper, first, 1);
    await runDurableObjectAlarm(stub);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect((await cartOf(shopper)).items).toHaveLength(1);
    expect((await mirrorCarts(shopper.id))[0]!.status).toBe('ACTIVE');
  });
});
