import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';

import { createApp } from '@/app';
import { createProductsRouter } from '@/catalog/routes';
import { catalogDepsFromEnv } from '@/composition';
import type { ProductDetail } from '@/catalog/schema';
import type { ProductSummary } from '@/catalog/summary';
import { ADMIN, apiClient, CUSTOMER, errorOf, insertCategory, insertProduct, OTHER_SELLER, type Paged, SELLER } from '@/catalog/test-support';
import { createRouter, mountRouters } from '@/platform/router';

const productsRouter = createProductsRouter(catalogDepsFromEnv);
const api = apiClient(productsRouter);

const list = async (query: string, who?: Parameters<typeof api.get>[1]) => {
  const res = await api.get(`/api/v1/products?${query}`, who);
  expect(res.status).toBe(200);
  return res.json<Paged<ProductSummary>>();
};
const ids = (page: Paged<ProductSummary>) => page.data.map((product) => product.id);

describe('GET /api/v1/products', () => {
  let root: number;
  let child: number;
  const p: Record<string, number> = {};

  beforeAll(async () => {
    root = await insertCategory();
    child = await insertCategory(root);
    p.cheap = await insertProduct({ categoryId: root, name: 'Alpha cheap', priceCents: 500, stockQuantity: 3 });
    p.pricey = await insertProduct({ categoryId: child, name: 'Bravo pricey', priceCents: 99_999, soldCount: 7, avgRating: '4.50', ratingCount: 2 });
    p.soldOut = await insertProduct({ categoryId: child, name: 'Charlie sold out', priceCents: 2500, stockQuantity: 4, stockReserved: 4, soldCount: 2 });
    p.inactive = await insertProduct({ categoryId: root, name: 'Delta hidden', status: 'INACTIVE' });
    p.deleted = await insertProduct({ categoryId: root, name: 'Echo deleted', status: 'DELETED' });
    p.other = await insertProduct({ categoryId: root, name: 'Foxtrot other seller', sellerId: OTHER_SELLER.userId, status: 'INACTIVE' });
  });

  it('lists ACTIVE products newest first with summaries and 1-based meta', async () => {
    const page = await list('size=5');
    expect(page.meta).toMatchObject({ page: 1, size: 5 });
    expect(page.meta.totalElements).toBeGreaterThanOrEqual(40);
    expect(page.data.every((product) => product.status === 'ACTIVE')).toBe(true);
    const times = page.data.map((product) => product.createdAt);
    expect(times).toEqual([...times].sort().reverse());
    expect(Object.keys(page.data[0]!).sort()).toEqual(
      ['avgRating', 'categoryId', 'categoryName', 'createdAt', 'id', 'name', 'price', 'ratingCount', 'sellerId', 'soldCount', 'status', 'stockAvailable', 'stockReserved', 'thumbnailUrl'].sort(),
    );
  });

  it('includes child categories when filtering by a root, and only ACTIVE ones', async () => {
    expect(ids(await list(`categoryId=${root}`)).sort()).toEqual([p.cheap, p.pricey, p.soldOut].sort());
    expect(ids(await list(`categoryId=${child}`)).sort()).toEqual([p.pricey, p.soldOut].sort());
  });

  it('filters by price range, stock, rating and seller', async () => {
    expect(ids(await list(`categoryId=${root}&minPrice=10&maxPrice=999.99`))).toEqual([p.soldOut, p.pricey]);
    expect(ids(await list(`categoryId=${root}&maxPrice=5`))).toEqual([p.cheap]);
    expect(ids(await list(`categoryId=${root}&inStock=true`)).sort()).toEqual([p.cheap, p.pricey].sort());
    expect(ids(await list(`categoryId=${root}&inStock=false`))).toEqual([p.soldOut]);
    expect(ids(await list(`categoryId=${root}&ratedOnly=true`))).toEqual([p.pricey]);
    expect(ids(await list(`categoryId=${root}&sellerId=${OTHER_SELLER.userId}`))).toEqual([]);
  });

  it('sorts by the whitelist, with stockReserved as an alias of soldCount, and paginates without overlap', async () => {
    expect(ids(await list(`categoryId=${root}&sort=price,ASC`))).toEqual([p.cheap, p.soldOut, p.pricey]);
    expect(ids(await list(`categoryId=${root}&sort=name,DESC`))).toEqual([p.soldOut, p.pricey, p.cheap]);
    expect(ids(await list(`categoryId=${root}&sort=stockReserved,DESC`))).toEqual([p.pricey, p.soldOut, p.cheap]);
    expect(ids(await list(`categoryId=${root}&sort=avgRating,DESC`))[0]).toBe(p.pricey);
    const first = await list(`categoryId=${root}&sort=price,ASC&size=2&page=1`);
    const second = await list(`categoryId=${root}&sort=price,ASC&size=2&page=2`);
    expect(first.meta).toEqual({ page: 1, size: 2, totalElements: 3, totalPages: 2 });
    expect([...ids(first), ...ids(second)]).toEqual([p.cheap, p.soldOut, p.pricey]);
  });

  it('shows hidden products only to their seller (with sellerId) and admins', async () => {
    const own = await list(`categoryId=${root}&sellerId=${SELLER.userId}&status=INACTIVE`, SELLER);
    expect(ids(own)).toEqual([p.inactive]);
    const all = await list(`categoryId=${root}&sellerId=${SELLER.userId}&status=ALL`, SELLER);
    expect(ids(all).sort()).toEqual([p.cheap, p.pricey, p.soldOut, p.inactive, p.deleted].sort());
    const admin = await list(`categoryId=${root}&status=INACTIVE`, ADMIN);
    expect(ids(admin).sort()).toEqual([p.inactive, p.other].sort());

    for (const [query, who] of [
      [`status=INACTIVE`, undefined],
      [`status=DELETED&sellerId=${SELLER.userId}`, CUSTOMER],
      [`status=INACTIVE&sellerId=${OTHER_SELLER.userId}`, SELLER],
      [`status=INACTIVE`, SELLER],
    ] as const) {
      const res = await api.get(`/api/v1/products?${query}`, who);
      expect(res.status).toBe(403);
      expect((await errorOf(res)).code).toBe('ACCESS_DENIED');
    }
  });

  it.each([
    'sort=stock,ASC',
    'sort=price,SIDEWAYS',
    'page=0',
    'size=101',
    'categoryId=abc',
    'categoryId=-1',
    'sellerId=not-a-uuid',
    'status=ARCHIVED',
    'ratedOnly=yes',
    'minPrice=-1',
    'minPrice=10&maxPrice=5',
  ])('rejects %s with 400 VALIDATION_ERROR', async (query) => {
    const res = await api.get(`/api/v1/products?${query}`);
    expect(res.status).toBe(400);
    expect((await errorOf(res)).code).toBe('VALIDATION_ERROR');
  });
});

describe('GET /api/v1/products/{id}', () => {
  it('returns the seeded detail with images and exact price', async () => {
    const res = await api.get('/api/v1/products/2');
    expect(res.status).toBe(200);
    const { data } = await res.json<{ data: ProductDetail }>();
    expect(data).toMatchObject({ id: 2, price: 59, categoryName: 'Electronics', version: 1, stockQuantity: 600 });
    expect(data.images[0]).toMatchObject({ url: '/images/products/p2-1.svg', sortOrder: 0 });
    expect(Object.keys(data)).toEqual(expect.arrayContaining(['description', 'stockQuantity', 'version', 'images', 'updatedAt']));
  });

  it('hides INACTIVE and DELETED products from everyone but the owner and admins', async () => {
    const hidden = await insertProduct({ status: 'INACTIVE' });
    for (const who of [undefined, CUSTOMER, OTHER_SELLER]) {
      const res = await api.get(`/api/v1/products/${hidden}`, who);
      expect(res.status).toBe(404);
      expect((await errorOf(res)).code).toBe('PRODUCT_NOT_FOUND');
    }
    expect((await api.get(`/api/v1/products/${hidden}`, SELLER)).status).toBe(200);
    expect((await api.get(`/api/v1/products/${hidden}`, ADMIN)).status).toBe(200);
  });

  it('leaves literal paths of other routers (search) alone, whatever the order', async () => {
    const search = createRouter().get('/api/v1/products/search', (c) => c.json({ success: true, data: 'search' }));
    const app = createApp((root) => mountRouters(root, [productsRouter, search]));
    expect(await (await app.request('/api/v1/products/search', {}, env)).json()).toEqual({ success: true, data: 'search' });
    expect((await app.request('/api/v1/products/1', {}, env)).status).toBe(200);
  });

  it('answers 404 for an unknown id and 400 for a non-numeric one (never 500)', async () => {
    expect((await api.get('/api/v1/products/99999999')).status).toBe(404);
    for (const bad of ['search', '0', '-3', '1.5', '9'.repeat(30)]) {
      const res = await api.get(`/api/v1/products/${bad}`);
      expect(res.status).toBe(400);
    }
  });
});

describe('GET /api/v1/products/{id}/related', () => {
  it('lists other ACTIVE products of the same category, paginated', async () => {
    const category = await insertCategory();
    const main = await insertProduct({ categoryId: category });
    const sibling = await insertProduct({ categoryId: category, soldCount: 5 });
    const sibling2 = await insertProduct({ categoryId: category, soldCount: 1 });
    await insertProduct({ categoryId: category, status: 'INACTIVE' });
    const res = await api.get(`/api/v1/products/${main}/related?size=1`);
    const page = await res.json<Paged<ProductSummary>>();
    expect(page.meta.totalElements).toBe(2);
    expect(ids(page)).toEqual([sibling]);
    const next = await (await api.get(`/api/v1/products/${main}/related?size=1&page=2`)).json<Paged<ProductSummary>>();
    expect(ids(next)).toEqual([sibling2]);
  });

  it('is empty for a product without a category and 404 for a hidden one', async () => {
    const loner = await insertProduct();
    expect((await (await api.get(`/api/v1/products/${loner}/related`)).json<Paged<ProductSummary>>()).data).toEqual([]);
    const hidden = await insertProduct({ status: 'DELETED' });
    expect((await api.get(`/api/v1/products/${hidden}/related`)).status).toBe(404);
  });
});
