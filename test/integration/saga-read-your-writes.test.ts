import { SELF } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';

import { createTestProduct, createTestUser, jsonHeaders, type TestUser } from '@test/support/shop-fixtures';

const BASE = 'http://shop.test/api/v1';
const ADDRESS = { street: '1 Nguyen Hue', city: 'Ho Chi Minh City', state: 'HCM', country: 'Vietnam', zipCode: '700000' };
type Json = { data: { id: string; status: string; paymentId?: string | null } };

let seller: TestUser;
let productId: number;

beforeAll(async () => {
  seller = await createTestUser('seller');
  productId = (await createTestProduct(seller.id, { priceCents: 1500, stock: 50 })).id;
});

async function call(method: string, path: string, user: TestUser, body?: unknown) {
  const res = await SELF.fetch(`${BASE}${path}`, { method, headers: jsonHeaders(user), ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return { status: res.status, body: (await res.json()) as Json };
}

/**
 * The rewrite's end-to-end check, through the real Worker and queues: poll the payment until it is
 * decided, then read the order at once — a COMPLETED payment must come with a CONFIRMED order.
 */
describe('saga read-your-writes (real queues)', () => {
  it('every order read right after its payment shows COMPLETED is already CONFIRMED', async () => {
    const buyers = await Promise.all(Array.from({ length: 4 }, () => createTestUser('customer')));
    await Promise.all(
      buyers.map(async (buyer) => {
        const placed = await call('POST', '/orders', buyer, { items: [{ productId, quantity: 1 }], shippingAddress: ADDRESS });
        expect(placed.status).toBe(201);
        const orderId = placed.body.data.id;
        let payment: Json['data'] | null = null;
        await expect
          .poll(
            async () => {
              const res = await call('GET', `/payments/order/${orderId}`, buyer);
              payment = res.status === 200 && res.body.data.status !== 'PENDING' ? res.body.data : null;
              return payment?.status ?? null;
            },
            { timeout: 20_000, interval: 20 },
          )
          .toBe('COMPLETED');
        const order = await call('GET', `/orders/${orderId}`, buyer);
        expect(order.body.data).toMatchObject({ status: 'CONFIRMED', paymentId: payment!.id });
      }),
    );
  });
});
