import { env, SELF } from 'cloudflare:test';
import { inArray } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';

import { createTestApp } from '@/app';
import { categories, products, type ProductStatus } from '@/catalog/tables';
import { productEmbeddings } from '@/search/tables';
import { createDb } from '@/platform/db';
import { cosineSimilarity } from '@/search/embedder';
import { embedProducts } from '@/search/embedding-store';
import { createLocalEmbedder, embedText } from '@/search/local-embedder';
import { searchDepsFromEnv } from '@/composition';
import { createSearchRouter } from '@/search/routes';

const app = createTestApp(createSearchRouter(searchDepsFromEnv));

interface Summary {
  id: number;
  name: string;
  categoryId: number | null;
  sellerId: string;
  status: string;
}
interface AiBody {
  success: true;
  data: { query: string; results: Summary[]; scores: number[] | null; mode: string };
}
interface PageBody {
  success: true;
  data: Summary[];
  meta: { page: number; size: number; totalElements: number; totalPages: number };
}

async function get<T>(path: string): Promise<{ status: number; body: T }> {
  const res = await app.request(path, {}, env);
  return { status: res.status, body: (await res.json()) as T };
}
const aiSearch = (query: string) => get<AiBody>(`/api/v1/products/ai-search?${query}`);
const keywordSearch = (query: string) => get<PageBody>(`/api/v1/products/search?${query}`);

/**
 * Rows of its own (the database is shared by every test file): a parent category with a child, and
 * products under them — one seller, a made-up product word no seed product uses — plus one INACTIVE twin.
 */
const word = `quorvex${Math.floor(Math.random() * 1e6)}`;
const sellerId = crypto.randomUUID();
let parentId: number;
let childId: number;
let ids: Record<'parentKettle' | 'childKettle' | 'hiddenKettle' | 'otherSellerKettle', number>;

beforeAll(async () => {
  const db = createDb(env);
  const suffix = word.slice(-6);
  const [parent] = await db.insert(categories).values({ name: `Search Parent ${suffix}`, slug: `search-parent-${suffix}` }).returning();
  const [child] = await db.insert(categories).values({ name: `Search Child ${suffix}`, slug: `search-child-${suffix}`, parentId: parent!.id }).returning();
  parentId = parent!.id;
  childId = child!.id;
  const product = (name: string, categoryId: number, status: ProductStatus = 'ACTIVE', seller = sellerId) => ({
    name,
    description: `A ${word} gadget for tests`,
    categoryId,
    sellerId: seller,
    status,
    priceCents: 1000,
    stockQuantity: 5,
  });
  const rows = await db
    .insert(products)
    .values([
      product(`${word} Kettle Parent`, parentId),
      product(`${word} Kettle Child`, childId),
      product(`${word} Kettle Hidden`, childId, 'INACTIVE'),
      product(`${word} Kettle Elsewhere`, 3, 'ACTIVE', crypto.randomUUID()),
    ])
    .returning({ id: products.id });
  ids = { parentKettle: rows[0]!.id, childKettle: rows[1]!.id, hiddenKettle: rows[2]!.id, otherSellerKettle: rows[3]!.id };
  await embedProducts(db, createLocalEmbedder(), { productIds: Object.values(ids) });
});

describe('GET /api/v1/products/ai-search', () => {
  it('finds the headphones first in ai mode, with scores aligned and descending', async () => {
    const { status, body } = await aiSearch('q=wireless%20headphones&mode=ai');
    expect(status).toBe(200);
    expect(body.data.mode).toBe('ai');
    expect(body.data.query).toBe('wireless headphones');
    expect(body.data.results[0]).toMatchObject({ id: 1, name: 'Aurora ANC Wireless Headphones', status: 'ACTIVE' });
    expect(body.data.scores).toHaveLength(body.data.results.length);
    expect(body.data.scores).toEqual([...body.data.scores!].sort((a, b) => b - a));
    expect(body.data.scores![0]).toBeGreaterThan(0.3 * 0.75);
  });

  it('gives each result its own re-rank score: 0.75·similarity + 0.15·rating/5 + 0.10·sold/maxSold', async () => {
    const { body } = await aiSearch('q=yoga&mode=ai&limit=5');
    const results = body.data.results as (Summary & { avgRating: number | null; soldCount: number })[];
    expect(results.length).toBeGreaterThan(1);
    const stored = await createDb(env)
      .select({ id: productEmbeddings.productId, embedding: productEmbeddings.embedding })
      .from(productEmbeddings)
      .where(inArray(productEmbeddings.productId, results.map((r) => r.id)));
    const queryVector = embedText('yoga');
    const maxSold = Math.max(0, ...results.map((r) => r.soldCount));
    results.forEach((result, i) => {
      const similarity = cosineSimilarity(queryVector, stored.find((row) => row.id === result.id)!.embedding);
      const expected = 0.75 * similarity + 0.15 * ((result.avgRating ?? 0) / 5) + 0.1 * (maxSold > 0 ? result.soldCount / maxSold : 0);
      expect(body.data.scores![i], `result ${i} (#${result.id})`).toBeCloseTo(expected, 4);
    });
  });

  it('defaults to hybrid and returns the relevant products', async () => {
    const { status, body } = await aiSearch('q=Running%20Shoes');
    expect(status).toBe(200);
    expect(body.data.mode).toBe('hybrid');
    expect(body.data.results[0]!.id).toBe(21);
    expect(body.data.scores).toHaveLength(body.data.results.length);
    expect(body.data.scores).toEqual([...body.data.scores!].sort((a, b) => b - a));
  });

  it('answers nonsense with no results in every mode instead of the nearest junk', async () => {
    for (const mode of ['ai', 'hybrid', 'keyword']) {
      const { status, body } = await aiSearch(`q=xqzt%20blorf&mode=${mode}`);
      expect(status, mode).toBe(200);
      expect(body.data, mode).toMatchObject({ results: [], scores: [], mode });
    }
  });

  it('honours limit', async () => {
    const { body } = await aiSearch('q=battery&mode=keyword&limit=2');
    expect(body.data.results.length).toBeLessThanOrEqual(2);
    expect(body.data.results.length).toBeGreaterThan(0);
  });

  it('scopes every mode to a category including its children, and to a seller', async () => {
    for (const mode of ['ai', 'hybrid', 'keyword']) {
      const byCategory = await aiSearch(`q=${word}%20kettle&mode=${mode}&categoryId=${parentId}`);
      expect(byCategory.body.data.results.map((r) => r.id).sort(), mode).toEqual([ids.parentKettle, ids.childKettle].sort());

      const byChild = await aiSearch(`q=${word}%20kettle&mode=${mode}&categoryId=${childId}`);
      expect(byChild.body.data.results.map((r) => r.id), mode).toEqual([ids.childKettle]);

      const bySeller = await aiSearch(`q=${word}%20kettle&mode=${mode}&sellerId=${sellerId}`);
      expect(bySeller.body.data.results.map((r) => r.id).sort(), mode).toEqual([ids.parentKettle, ids.childKettle].sort());
      expect(bySeller.body.data.results.every((r) => r.sellerId === sellerId), mode).toBe(true);

      // Unscoped, the semantic modes may add weaker matches after them (other test files' kettles): the three lead.
      const all = (await aiSearch(`q=${word}%20kettle&mode=${mode}`)).body.data.results.map((r) => r.id);
      expect(all.slice(0, 3).sort(), mode).toEqual([ids.parentKettle, ids.childKettle, ids.otherSellerKettle].sort());
      if (mode === 'keyword') expect(all, mode).toHaveLength(3);
    }
  });

  it('never returns INACTIVE products, even when they match best', async () => {
    for (const mode of ['ai', 'hybrid', 'keyword']) {
      const { body } = await aiSearch(`q=${word}%20kettle%20hidden&mode=${mode}`);
      expect(body.data.results.map((r) => r.id), mode).not.toContain(ids.hiddenKettle);
      // Semantic modes still return its ACTIVE twins; keyword needs every word, which only the hidden one has.
      if (mode !== 'keyword') expect(body.data.results.map((r) => r.id), mode).toContain(ids.childKettle);
    }
  });

  it.each([
    ['q is missing', ''],
    ['q is one character', 'q=a'],
    ['q is only spaces', 'q=%20%20%20'],
    ['q is over 200 characters', `q=${'a'.repeat(201)}`],
    ['limit is 0', 'q=shoes&limit=0'],
    ['limit is 51', 'q=shoes&limit=51'],
    ['limit is not a number', 'q=shoes&limit=ten'],
    ['mode is unknown', 'q=shoes&mode=magic'],
    ['categoryId is not a number', 'q=shoes&categoryId=abc'],
    ['sellerId is not a uuid', 'q=shoes&sellerId=nope'],
    ['q contains a NUL character', 'q=sh%00oes'],
  ])('rejects a request where %s with 400 VALIDATION_ERROR', async (_case, query) => {
    const { status, body } = await get<{ success: false; error: { code: string } }>(`/api/v1/products/ai-search?${query}`);
    expect(status).toBe(400);
    expect(body).toMatchObject({ success: false, error: { code: 'VALIDATION_ERROR' } });
  });
});

describe('GET /api/v1/products/search', () => {
  it('finds the skillet by keyword', async () => {
    const { status, body } = await keywordSearch('q=skillet');
    expect(status).toBe(200);
    expect(body.data[0]).toMatchObject({ id: 13, name: 'Forge 26 cm Cast-Iron Skillet' });
    expect(body.meta).toMatchObject({ page: 1, size: 20 });
    expect(body.meta.totalElements).toBeGreaterThanOrEqual(1);
  });

  it('stems words and matches partial words as typed', async () => {
    expect((await keywordSearch('q=headphone')).body.data[0]!.id).toBe(1);
    expect((await keywordSearch('q=headph')).body.data[0]!.id).toBe(1);
    expect((await keywordSearch('q=cast-iron')).body.data.map((p) => p.id)).toContain(13);
  });

  it('paginates with 1-based pages and totals', async () => {
    const first = await keywordSearch(`q=${word}&size=1&page=1`);
    const second = await keywordSearch(`q=${word}&size=1&page=2`);
    expect(first.body.meta).toMatchObject({ page: 1, size: 1, totalElements: 3, totalPages: 3 });
    expect(second.body.data).toHaveLength(1);
    expect(second.body.data[0]!.id).not.toBe(first.body.data[0]!.id);
    const beyond = await keywordSearch(`q=${word}&size=1&page=9`);
    expect(beyond.body).toMatchObject({ data: [], meta: { totalElements: 3 } });
  });

  it('filters by category (with children) and seller, and hides INACTIVE products', async () => {
    const byParent = await keywordSearch(`q=${word}&categoryId=${parentId}`);
    expect(byParent.body.data.map((p) => p.id).sort()).toEqual([ids.parentKettle, ids.childKettle].sort());
    const bySeller = await keywordSearch(`q=${word}&sellerId=${sellerId}`);
    expect(bySeller.body.data.map((p) => p.id).sort()).toEqual([ids.parentKettle, ids.childKettle].sort());
    const hidden = await keywordSearch(`q=${word}%20hidden`);
    expect(hidden.body.data.map((p) => p.id)).not.toContain(ids.hiddenKettle);
  });

  it('is mounted in the Worker ahead of any /products/{id} route', async () => {
    const res = await SELF.fetch('http://shop.test/api/v1/products/search?q=skillet');
    expect(res.status).toBe(200);
    expect(((await res.json()) as PageBody).data[0]!.id).toBe(13);
    const ai = await SELF.fetch('http://shop.test/api/v1/products/ai-search?q=skillet');
    expect(ai.status).toBe(200);
    const doc = (await (await SELF.fetch('http://shop.test/api/openapi.json')).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/products/search', '/api/v1/products/ai-search']));
  });

  it('answers malformed percent-encoding without a 500', async () => {
    for (const path of ['/api/v1/products/search?q=%FF%FE', '/api/v1/products/ai-search?q=%E0%A4%A']) {
      const { status } = await get(path);
      expect([200, 400], path).toContain(status);
    }
  });

  it('treats websearch syntax and LIKE wildcards in q as text, not errors', async () => {
    for (const q of ['"wireless', 'skillet -iron', '100%', 'a_b\\c', "o'reilly", '(((', 'or']) {
      const { status } = await keywordSearch(`q=${encodeURIComponent(q)}`);
      expect(status, q).toBe(200);
    }
  });

  it.each([
    ['q is missing', ''],
    ['q is empty', 'q='],
    ['q is over 200 characters', `q=${'a'.repeat(201)}`],
    ['size is 0', 'q=shoe&size=0'],
    ['size is 101', 'q=shoe&size=101'],
    ['page is 0', 'q=shoe&page=0'],
    ['q contains a NUL character', 'q=%00'],
  ])('rejects a request where %s with 400', async (_case, query) => {
    const { status, body } = await get<{ error: { code: string } }>(`/api/v1/products/search?${query}`);
    expect(status).toBe(400);
    expect(body.error.code).toBe('VALIDATION_ERROR');
  });
});
