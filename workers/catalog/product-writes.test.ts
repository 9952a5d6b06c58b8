import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';

import { createTestApp } from '@/app';
import { enqueueEmbedding } from '@/catalog/embedding-jobs';
import { createInventoryRouter, createProductsRouter } from '@/catalog/routes';
import { catalogDepsFromEnv, stockDepsFromEnv } from '@/composition';
import type { ProductDetail } from '@/catalog/schema';
import { reserveStock } from '@/catalog/stock';
import { ADMIN, apiClient, CUSTOMER, errorOf, insertCategory, OTHER_SELLER, SELLER, uniqueTag } from '@/catalog/test-support';
import { signAccessToken } from '@/identity/tokens';

const stock = stockDepsFromEnv(env);

const api = apiClient(createProductsRouter(catalogDepsFromEnv), createInventoryRouter(catalogDepsFromEnv));

const validProduct = (extra: Record<string, unknown> = {}) => ({
  name: `Trail Lantern ${uniqueTag()}`,
  description: 'Rechargeable, 400 lumen',
  price: 34.99,
  stockQuantity: 12,
  ...extra,
});

async function createProduct(extra: Record<string, unknown> = {}) {
  const res = await api.post('/api/v1/products', validProduct(extra), SELLER);
  expect(res.status).toBe(201);
  return (await res.json<{ data: ProductDetail }>()).data;
}

const detail = async (id: number, who = SELLER) => (await (await api.get(`/api/v1/products/${id}`, who)).json<{ data: ProductDetail }>()).data;
const inventory = async (id: number) => (await (await api.get(`/api/v1/inventory/${id}`)).json<{ data: Record<string, number> }>()).data;

describe('POST /api/v1/products', () => {
  it('lists an ACTIVE product owned by the caller, with exact price, images and seeded stock', async () => {
    const categoryId = await insertCategory();
    const product = await createProduct({
      categoryId,
      price: 19.99,
      images: [
        { url: 'https://img.example.test/a.webp', altText: 'front', sortOrder: 1 },
        { url: '/images/products/own.svg', sortOrder: 0 },
      ],
    });
    expect(product).toMatchObject({
      price: 19.99,
      status: 'ACTIVE',
      sellerId: SELLER.userId,
      categoryId,
      stockQuantity: 12,
      stockAvailable: 12,
      version: 1,
      thumbnailUrl: '/images/products/own.svg',
    });
    expect(product.images.map((image) => image.url)).toEqual(['/images/products/own.svg', 'https://img.example.test/a.webp']);
    expect(await inventory(product.id)).toEqual({ productId: product.id, stockQuantity: 12, stockReserved: 0, availableStock: 12 });
  });

  it.each([
    ['three decimals', { price: 1.999 }],
    ['a negative price', { price: -1 }],
    ['a price over 1,000,000', { price: 1_000_000.01 }],
    ['a string price', { price: '10' }],
    ['an empty name', { name: '  ' }],
    ['a long description', { description: 'x'.repeat(5001) }],
    ['negative stock', { stockQuantity: -1 }],
    ['six images', { images: Array.from({ length: 6 }, () => ({ url: 'https://a.test/x.png' })) }],
    ['a javascript: image', { images: [{ url: 'javascript:alert(1)' }] }],
    ['a relative path outside /images', { images: [{ url: '/etc/passwd' }] }],
    ['a dot-dot image path', { images: [{ url: '/images/../secret' }] }],
    ['a negative image order', { images: [{ url: 'https://a.test/x.png', sortOrder: -1 }] }],
    ['an unknown field', { sellerId: OTHER_SELLER.userId }],
    ['a status', { status: 'INACTIVE' }],
  ])('rejects %s with 400 VALIDATION_ERROR', async (_label, extra) => {
    const res = await api.post('/api/v1/products', validProduct(extra), SELLER);
    expect(res.status).toBe(400);
    expect((await errorOf(res)).code).toBe('VALIDATION_ERROR');
  });

  it('rejects an unknown category instead of storing no category', async () => {
    const res = await api.post('/api/v1/products', validProduct({ categoryId: 987654 }), SELLER);
    expect(res.status).toBe(400);
    expect((await errorOf(res)).details).toEqual({ categoryId: 'Category 987654 does not exist' });
  });

  it('is for sellers only', async () => {
    expect((await api.post('/api/v1/products', validProduct())).status).toBe(401);
    expect((await api.post('/api/v1/products', validProduct(), CUSTOMER)).status).toBe(403);
    expect((await api.post('/api/v1/products', validProduct(), ADMIN)).status).toBe(403);
  });

  it('asks for an embedding when a product is created or its text changes, not for a price edit', async () => {
    const sent: unknown[] = [];
    const queueEnv = { ...env, EMBEDDING_JOBS: { send: async (body: unknown) => void sent.push(body) } };
    const app = createTestApp(createProductsRouter(catalogDepsFromEnv));
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${await signAccessToken(env, SELLER)}` };
    const res = await app.request('/api/v1/products', { method: 'POST', headers, body: JSON.stringify(validProduct()) }, queueEnv);
    const { data } = await res.json<{ data: ProductDetail }>();
    expect(sent).toEqual([{ type: 'product.embed', productId: data.id }]);
    await app.request(`/api/v1/products/${data.id}`, { method: 'PUT', headers, body: JSON.stringify({ price: 1 }) }, queueEnv);
    expect(sent).toHaveLength(1);
    await app.request(`/api/v1/products/${data.id}`, { method: 'PUT', headers, body: JSON.stringify({ description: 'Now brighter' }) }, queueEnv);
    expect(sent).toHaveLength(2);
    await expect(enqueueEmbedding(null, 1)).resolves.toBeUndefined();
  });
});

describe('PUT /api/v1/products/{id}', () => {
  it('updates only the sent fields and bumps the version on every write', async () => {
    const product = await createProduct();
    const res = await api.put(`/api/v1/products/${product.id}`, { price: 40, description: null, version: 1 }, SELLER);
    expect(res.status).toBe(200);
    const { data } = await res.json<{ data: ProductDetail }>();
    expect(data).toMatchObject({ name: product.name, price: 40, description: null, version: 2, stockQuantity: 12 });
    const again = await api.put(`/api/v1/products/${product.id}`, { status: 'INACTIVE' }, SELLER);
    expect((await again.json<{ data: ProductDetail }>()).data).toMatchObject({ status: 'INACTIVE', version: 3 });
    expect((await api.get(`/api/v1/products/${product.id}`)).status).toBe(404);
  });

  it('answers 409 CONCURRENT_MODIFICATION on a stale version and changes nothing', async () => {
    const product = await createProduct();
    await api.put(`/api/v1/products/${product.id}`, { name: 'First edit' }, SELLER);
    const res = await api.put(`/api/v1/products/${product.id}`, { name: 'Stale edit', stockDelta: 5, version: 1 }, SELLER);
    expect(res.status).toBe(409);
    expect((await errorOf(res)).code).toBe('CONCURRENT_MODIFICATION');
    expect(await detail(product.id)).toMatchObject({ name: 'First edit', version: 2, stockQuantity: 12 });
    expect((await inventory(product.id)).stockQuantity).toBe(12);
  });

  it('restocks with stockDelta through the StockDO, keeping reservations', async () => {
    const product = await createProduct({ stockQuantity: 5 });
    await reserveStock(stock, crypto.randomUUID(), [{ productId: product.id, quantity: 4 }], 60_000);
    const res = await api.put(`/api/v1/products/${product.id}`, { stockDelta: 10 }, SELLER);
    expect((await res.json<{ data: ProductDetail }>()).data).toMatchObject({ stockQuantity: 15, stockReserved: 4, stockAvailable: 11 });
    expect(await inventory(product.id)).toMatchObject({ stockQuantity: 15, stockReserved: 4, availableStock: 11 });
  });

  it('never lets stock on hand drop below the reserved units', async () => {
    const product = await createProduct({ stockQuantity: 5 });
    await reserveStock(stock, crypto.randomUUID(), [{ productId: product.id, quantity: 3 }], 60_000);
    for (const body of [{ stockQuantity: 2 }, { stockDelta: -3, name: 'Should not stick' }]) {
      const res = await api.put(`/api/v1/products/${product.id}`, body, SELLER);
      expect(res.status).toBe(409);
      expect((await errorOf(res)).code).toBe('INSUFFICIENT_STOCK');
    }
    expect(await detail(product.id)).toMatchObject({ name: product.name, version: 1, stockQuantity: 5 });
    const ok = await api.put(`/api/v1/products/${product.id}`, { stockQuantity: 3 }, SELLER);
    expect((await ok.json<{ data: ProductDetail }>()).data).toMatchObject({ stockQuantity: 3, stockAvailable: 0 });
  });

  it('replaces the image set and checks the new category', async () => {
    const product = await createProduct({ images: [{ url: 'https://a.test/1.png' }] });
    const res = await api.put(`/api/v1/products/${product.id}`, { images: [{ url: '/images/new.svg', altText: 'new' }] }, SELLER);
    expect((await res.json<{ data: ProductDetail }>()).data.images).toMatchObject([{ url: '/images/new.svg', altText: 'new', sortOrder: 0 }]);
    const bad = await api.put(`/api/v1/products/${product.id}`, { categoryId: 987654 }, SELLER);
    expect(bad.status).toBe(400);
  });

  it.each([
    ['an empty body', {}],
    ['only a version', { version: 1 }],
    ['both stock forms', { stockQuantity: 1, stockDelta: 1 }],
    ['a fractional delta', { stockDelta: 1.5 }],
    ['an unknown status', { status: 'ARCHIVED' }],
    ['an unknown field', { sellerId: OTHER_SELLER.userId }],
  ])('rejects %s with 400', async (_label, body) => {
    const product = await createProduct();
    const res = await api.put(`/api/v1/products/${product.id}`, body, SELLER);
    expect(res.status).toBe(400);
    expect((await errorOf(res)).code).toBe('VALIDATION_ERROR');
  });

  it('lets only the owner or an admin edit (403 ACCESS_DENIED, nothing changed)', async () => {
    const product = await createProduct();
    const res = await api.put(`/api/v1/products/${product.id}`, { name: 'Hijacked' }, OTHER_SELLER);
    expect(res.status).toBe(403);
    expect((await errorOf(res)).code).toBe('ACCESS_DENIED');
    expect((await api.put(`/api/v1/products/${product.id}`, { name: 'Hijacked' }, CUSTOMER)).status).toBe(403);
    expect((await detail(product.id)).name).toBe(product.name);
    const admin = await api.put(`/api/v1/products/${product.id}`, { name: 'Moderated' }, ADMIN);
    expect((await admin.json<{ data: ProductDetail }>()).data).toMatchObject({ name: 'Moderated', sellerId: SELLER.userId });
    expect((await api.put('/api/v1/products/987654321', { name: 'x' }, SELLER)).status).toBe(404);
  });
});

describe('DELETE /api/v1/products/{id}', () => {
  it('soft-deletes for the owner: hidden from others, visible to the owner as DELETED', async () => {
    const product = await createProduct();
    expect((await api.delete(`/api/v1/products/${product.id}`, OTHER_SELLER)).status).toBe(403);
    expect((await api.get(`/api/v1/products/${product.id}`)).status).toBe(200);
    expect((await api.delete(`/api/v1/products/${product.id}`, SELLER)).status).toBe(204);
    expect((await api.get(`/api/v1/products/${product.id}`)).status).toBe(404);
    expect(await detail(product.id)).toMatchObject({ status: 'DELETED', version: 2 });
    expect((await api.delete(`/api/v1/products/${product.id}`, SELLER)).status).toBe(204);
    expect((await detail(product.id)).version).toBe(2);
    expect((await api.delete('/api/v1/products/987654321', SELLER)).status).toBe(404);
  });
});

describe('SKUs and finding one’s own products', () => {
  it('keeps a SKU unique per seller (409 SKU_TAKEN, nothing written), lets another seller reuse it, and clears it when blank', async () => {
    const sku = `LNT-${uniqueTag()}`;
    const product = await createProduct({ sku });
    expect(product.sku).toBe(sku);
    const taken = await api.post('/api/v1/products', validProduct({ sku }), SELLER);
    expect(taken.status).toBe(409);
    expect((await errorOf(taken)).code).toBe('SKU_TAKEN');
    const other = await createProduct({ sku: 'X' });
    expect((await api.put(`/api/v1/products/${other.id}`, { sku }, SELLER)).status).toBe(409);
    expect((await detail(other.id)).sku).toBe('X');
    expect((await api.post('/api/v1/products', validProduct({ sku }), OTHER_SELLER)).status).toBe(201);
    expect((await api.post('/api/v1/products', validProduct({ sku: 'bad sku!' }), SELLER)).status).toBe(400);
    const cleared = await api.put(`/api/v1/products/${product.id}`, { sku: ' ' }, SELLER);
    expect((await cleared.json<{ data: ProductDetail }>()).data.sku).toBeNull();
  });

  it('filters a list by part of the name or the SKU (any case, % taken literally) or the whole id', async () => {
    const tag = uniqueTag();
    const named = await createProduct({ name: `Quiet Kettle ${tag}` });
    const coded = await createProduct({ sku: `KT_${tag}` });
    const ids = async (q: string) => {
      const res = await api.get(`/api/v1/products?sellerId=${SELLER.userId}&status=ALL&size=100&q=${encodeURIComponent(q)}`, SELLER);
      expect(res.status).toBe(200);
      return (await res.json<{ data: { id: number }[] }>()).data.map((p) => p.id);
    };
    expect(await ids(`kettle ${tag}`)).toEqual([named.id]);
    expect(await ids(`kt_${tag}`)).toEqual([coded.id]);
    // As wildcards, % and _ would match "KT_…"; taken literally they match nothing.
    expect(await ids(`kt%${tag}`)).toEqual([]);
    expect(await ids(`k__${tag}`)).toEqual([]);
    expect(await ids(String(named.id))).toContain(named.id);
    expect((await api.get('/api/v1/products?q=', SELLER)).status).toBe(400);
  });
});
