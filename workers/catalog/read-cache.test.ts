import { describe, expect, it } from 'vitest';

import { createInventoryRouter, createProductsRouter } from '@/catalog/routes';
import { catalogDepsFromEnv } from '@/composition';
import { queryKey } from '@/catalog/read-cache';
import type { ProductDetail } from '@/catalog/schema';
import { ADMIN, apiClient, CUSTOMER, SELLER, uniqueTag } from '@/catalog/test-support';

const api = apiClient(createProductsRouter(catalogDepsFromEnv), createInventoryRouter(catalogDepsFromEnv));

async function createProduct() {
  const res = await api.post('/api/v1/products', { name: `Cache Lamp ${uniqueTag()}`, description: 'read cache test', price: 10, stockQuantity: 5 }, SELLER);
  expect(res.status).toBe(201);
  return (await res.json<{ data: ProductDetail }>()).data;
}

async function read(path: string, who?: Parameters<typeof api.get>[1]) {
  const res = await api.get(path, who);
  return { status: res.status, cache: res.headers.get('x-cache'), body: await res.json<{ data: ProductDetail & ProductDetail[] }>() };
}

describe('public catalog reads through the edge cache', () => {
  it('serves a product detail from the cache to visitors and customers alike, and a price change at once', async () => {
    const product = await createProduct();
    const first = await read(`/api/v1/products/${product.id}`);
    expect(first).toMatchObject({ status: 200, cache: 'MISS' });
    const second = await read(`/api/v1/products/${product.id}`, CUSTOMER);
    expect(second).toMatchObject({ status: 200, cache: 'HIT' });
    expect(second.body).toEqual(first.body);

    const put = await api.put(`/api/v1/products/${product.id}`, { price: 12.5 }, SELLER);
    expect(put.status).toBe(200);
    const after = await read(`/api/v1/products/${product.id}`);
    expect(after).toMatchObject({ status: 200, cache: 'MISS' });
    expect(after.body.data.price).toBe(12.5);
  });

  it('never serves a hidden product from the cache, and lets its seller and admins bypass it', async () => {
    const product = await createProduct();
    expect((await read(`/api/v1/products/${product.id}`)).status).toBe(200);
    expect((await api.put(`/api/v1/products/${product.id}`, { status: 'INACTIVE' }, SELLER)).status).toBe(200);
    expect((await read(`/api/v1/products/${product.id}`)).status).toBe(404);
    for (const who of [SELLER, ADMIN]) {
      const own = await read(`/api/v1/products/${product.id}`, who);
      expect(own).toMatchObject({ status: 200, cache: 'BYPASS' });
      expect(own.body.data.status).toBe('INACTIVE');
    }
  });

  it('keys a list on its validated query, so the order of parameters does not matter; a new product misses', async () => {
    const path = (query: string) => `/api/v1/products?${query}`;
    const first = await read(path(`sellerId=${SELLER.userId}&size=3&sort=createdAt,DESC`));
    expect(first.status).toBe(200);
    const reordered = await read(path(`sort=createdAt,desc&size=3&sellerId=${SELLER.userId}`));
    expect(reordered).toMatchObject({ status: 200, cache: 'HIT' });
    expect(reordered.body).toEqual(first.body);

    const created = await createProduct();
    const after = await read(path(`sellerId=${SELLER.userId}&size=3&sort=createdAt,DESC`));
    expect(after.cache).toBe('MISS');
    expect(after.body.data[0]!.id).toBe(created.id);
  });

  it('builds the same key for equal queries and different keys for different ones', () => {
    expect(queryKey({ b: 1, a: 'x', c: undefined })).toBe(queryKey({ a: 'x', b: 1 }));
    expect(queryKey({ sort: { field: 'price', direction: 'ASC' } })).not.toBe(queryKey({ sort: { field: 'price', direction: 'DESC' } }));
  });
});
