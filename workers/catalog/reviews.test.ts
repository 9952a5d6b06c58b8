import { env } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';

import { createReviewsRouter } from '@/catalog/review-routes';
import { createProductsRouter } from '@/catalog/routes';
import { catalogDepsFromEnv, reviewDepsFromEnv } from '@/composition';
import type { ProductDetail, Review } from '@/catalog/schema';
import { apiClient, CUSTOMER, errorOf, insertProduct, OTHER_SELLER, type Paged, SELLER } from '@/catalog/test-support';
import { notifications } from '@/notifications/tables';
import { findDeliveredPurchase } from '@/orders/purchases';
import { orderItems, orders, type OrderStatus } from '@/orders/tables';
import { newId } from '@/platform/columns';
import { createDb } from '@/platform/db';

const api = apiClient(createReviewsRouter(reviewDepsFromEnv), createProductsRouter(catalogDepsFromEnv));

/** Inserts an order with one line of `productId` for `buyer` (orders are another domain's rows; tests write them directly). */
async function purchase(productId: number, buyer = CUSTOMER.userId, status: OrderStatus = 'DELIVERED') {
  const db = createDb(env);
  const orderId = newId();
  const orderItemId = newId();
  await db.insert(orders).values({
    id: orderId,
    userId: buyer,
    sellerId: SELLER.userId,
    status,
    subtotalCents: 1000,
    totalCents: 1000,
    shippingAddress: { street: '1 Main St', city: 'Hanoi', state: 'HN', country: 'VN', zipCode: '10000' },
  });
  await db.insert(orderItems).values({ id: orderItemId, orderId, productId, sellerId: SELLER.userId, productName: 'x', unitPriceCents: 1000, quantity: 1 });
  return orderItemId;
}

const rating = async (productId: number) => {
  const { data } = await (await api.get(`/api/v1/products/${productId}`)).json<{ data: ProductDetail }>();
  return { avgRating: data.avgRating, ratingCount: data.ratingCount };
};

describe('POST /api/v1/products/{productId}/reviews', () => {
  it('reviews a delivered purchase, recomputes the rating and notifies the seller', async () => {
    const productId = await insertProduct({ name: 'Reviewed Lamp' });
    const first = await api.post(`/api/v1/products/${productId}/reviews`, { orderItemId: await purchase(productId), rating: 5, comment: 'Great '.repeat(30) }, CUSTOMER);
    expect(first.status).toBe(201);
    const review = (await first.json<{ data: Review }>()).data;
    expect(review).toMatchObject({ productId, customerId: CUSTOMER.userId, rating: 5 });
    expect(Object.keys(review).sort()).toEqual(['comment', 'createdAt', 'customerId', 'id', 'orderItemId', 'productId', 'rating', 'updatedAt']);

    await api.post(`/api/v1/products/${productId}/reviews`, { orderItemId: await purchase(productId), rating: 4 }, CUSTOMER);
    await api.post(`/api/v1/products/${productId}/reviews`, { orderItemId: await purchase(productId), rating: 4 }, CUSTOMER);
    expect(await rating(productId)).toEqual({ avgRating: 4.33, ratingCount: 3 });

    const notices = await createDb(env).select().from(notifications).where(eq(notifications.productId, productId));
    expect(notices).toHaveLength(3);
    const long = notices.find((notice) => notice.body!.startsWith('5/5'))!;
    expect(long).toMatchObject({ userId: SELLER.userId, type: 'REVIEW', title: 'Reviewed Lamp received a review' });
    expect(long.body).toBe(`5/5 ${'Great '.repeat(30).trim().slice(0, 80)}…`);
  });

  it('answers 409 ALREADY_REVIEWED for a second review of one line', async () => {
    const productId = await insertProduct();
    const orderItemId = await purchase(productId);
    expect((await api.post(`/api/v1/products/${productId}/reviews`, { orderItemId, rating: 3 }, CUSTOMER)).status).toBe(201);
    const again = await api.post(`/api/v1/products/${productId}/reviews`, { orderItemId, rating: 1 }, CUSTOMER);
    expect(again.status).toBe(409);
    expect((await errorOf(again)).code).toBe('ALREADY_REVIEWED');
    expect(await rating(productId)).toEqual({ avgRating: 3, ratingCount: 1 });
  });

  it('needs a DELIVERED line of this product bought by the caller (403 PURCHASE_NOT_VERIFIED)', async () => {
    const productId = await insertProduct();
    const otherProduct = await insertProduct();
    const cases = [
      await purchase(productId, CUSTOMER.userId, 'SHIPPED'),
      await purchase(otherProduct),
      await purchase(productId, OTHER_SELLER.userId),
      newId(),
    ];
    for (const orderItemId of cases) {
      const res = await api.post(`/api/v1/products/${productId}/reviews`, { orderItemId, rating: 5 }, CUSTOMER);
      expect(res.status).toBe(403);
      expect((await errorOf(res)).code).toBe('PURCHASE_NOT_VERIFIED');
    }
    expect(await rating(productId)).toEqual({ avgRating: null, ratingCount: 0 });
  });

  it('404s an unknown product, 401s without a token and 400s bad input', async () => {
    const missing = await api.post('/api/v1/products/987654321/reviews', { orderItemId: newId(), rating: 5 }, CUSTOMER);
    expect(missing.status).toBe(404);
    expect((await errorOf(missing)).code).toBe('PRODUCT_NOT_FOUND');
    expect((await api.post('/api/v1/products/1/reviews', { orderItemId: newId(), rating: 5 })).status).toBe(401);
    for (const body of [
      { orderItemId: newId(), rating: 0 },
      { orderItemId: newId(), rating: 6 },
      { orderItemId: newId(), rating: 4.5 },
      { orderItemId: 'nope', rating: 5 },
      { rating: 5 },
      { orderItemId: newId(), rating: 5, comment: 'x'.repeat(2001) },
      { orderItemId: newId(), rating: 5, customerId: SELLER.userId },
    ]) {
      const res = await api.post('/api/v1/products/1/reviews', body, CUSTOMER);
      expect(res.status).toBe(400);
      expect((await errorOf(res)).code).toBe('VALIDATION_ERROR');
    }
  });
});

describe('reading and editing reviews', () => {
  it('lists newest first with a default page size of 10', async () => {
    const productId = await insertProduct();
    for (const stars of [1, 2, 3]) await api.post(`/api/v1/products/${productId}/reviews`, { orderItemId: await purchase(productId), rating: stars }, CUSTOMER);
    const page = await (await api.get(`/api/v1/products/${productId}/reviews`)).json<Paged<Review>>();
    expect(page.meta).toEqual({ page: 1, size: 10, totalElements: 3, totalPages: 1 });
    expect(page.data.map((review) => review.rating)).toEqual([3, 2, 1]);
    const byRating = await (await api.get(`/api/v1/products/${productId}/reviews?sort=rating,DESC&size=1&page=2`)).json<Paged<Review>>();
    expect(byRating.data.map((review) => review.rating)).toEqual([2]);
    expect((await api.get(`/api/v1/products/${productId}/reviews?sort=comment,ASC`)).status).toBe(400);
  });

  it('shows authors in the public list by display name, never by account id', async () => {
    const productId = await insertProduct();
    await api.post(`/api/v1/products/${productId}/reviews`, { orderItemId: await purchase(productId), rating: 4 }, CUSTOMER);
    const res = await api.get(`/api/v1/products/${productId}/reviews`);
    const text = await res.clone().text();
    const page = await res.json<Paged<Record<string, unknown>>>();
    expect(page.data).toHaveLength(1);
    expect(page.data[0]).toMatchObject({ rating: 4, authorName: 'John D.' });
    expect(page.data[0]).not.toHaveProperty('customerId');
    expect(text).not.toContain(CUSTOMER.userId);
  });

  it('lets only the author edit, and recomputes the rating', async () => {
    const productId = await insertProduct();
    const orderItemId = await purchase(productId);
    const created = (await (await api.post(`/api/v1/products/${productId}/reviews`, { orderItemId, rating: 2, comment: 'meh' }, CUSTOMER)).json<{ data: Review }>()).data;
    const path = `/api/v1/products/${productId}/reviews/${created.id}`;

    const stranger = await api.put(path, { rating: 1 }, SELLER);
    expect(stranger.status).toBe(403);
    expect((await errorOf(stranger)).code).toBe('ACCESS_DENIED');

    const res = await api.put(path, { rating: 5 }, CUSTOMER);
    expect(res.status).toBe(200);
    expect((await res.json<{ data: Review }>()).data).toMatchObject({ id: created.id, rating: 5, comment: 'meh' });
    expect(await rating(productId)).toEqual({ avgRating: 5, ratingCount: 1 });

    expect((await api.put(`/api/v1/products/${productId}/reviews/987654`, { rating: 5 }, CUSTOMER)).status).toBe(404);
    const otherProduct = await insertProduct();
    expect((await api.put(`/api/v1/products/${otherProduct}/reviews/${created.id}`, { rating: 5 }, CUSTOMER)).status).toBe(404);
    expect((await api.put(path, {}, CUSTOMER)).status).toBe(400);
  });

  it('finds the caller\u2019s own review of a line, and null for anyone else', async () => {
    const productId = await insertProduct();
    const orderItemId = await purchase(productId);
    const path = `/api/v1/products/${productId}/reviews/by-order-item/${orderItemId}`;
    expect((await (await api.get(path, CUSTOMER)).json<{ data: unknown }>()).data).toBeNull();
    await api.post(`/api/v1/products/${productId}/reviews`, { orderItemId, rating: 4 }, CUSTOMER);
    expect((await (await api.get(path, CUSTOMER)).json<{ data: Review }>()).data).toMatchObject({ orderItemId, rating: 4 });
    expect((await (await api.get(path, SELLER)).json<{ data: unknown }>()).data).toBeNull();
    expect((await api.get(path)).status).toBe(401);
  });
});

describe('findDeliveredPurchase', () => {
  it('returns the delivered line with its order and seller, else null', async () => {
    const productId = await insertProduct();
    const orderItemId = await purchase(productId);
    const found = await findDeliveredPurchase(createDb(env), { customerId: CUSTOMER.userId, orderItemId, productId });
    expect(found).toMatchObject({ orderItemId, productId, sellerId: SELLER.userId });
    expect(await findDeliveredPurchase(createDb(env), { customerId: SELLER.userId, orderItemId, productId })).toBeNull();
  });
});
