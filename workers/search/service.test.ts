import { env } from 'cloudflare:test';
import { describe, expect, it, vi } from 'vitest';

import type { ProductSummary } from '@/catalog/summary';
import { eq } from 'drizzle-orm';

import { products } from '@/catalog/tables';
import { createDb } from '@/platform/db';
import { cosineSimilarity, type Embedder } from '@/search/embedder';
import { createLocalEmbedder } from '@/search/local-embedder';
import { prefixTsQuery } from '@/search/queries';
import { aiSearchQuerySchema } from '@/search/schema';
import { productEmbeddings } from '@/search/tables';
import {
  createSearchCaches,
  fuseRankings,
  HYBRID_DEPTH_RATIO,
  normalizeQuery,
  rerankSemantic,
  smartSearch,
  type SearchDeps,
} from '@/search/service';

const query = (params: Record<string, unknown>) => aiSearchQuerySchema.parse(params);

function deps(overrides: Partial<SearchDeps> = {}): SearchDeps {
  return { db: createDb(env), embedder: createLocalEmbedder(), minSimilarity: 0.3, queryTimeoutMs: 2_000, caches: null, ...overrides };
}

const failingEmbedder: Embedder = { model: 'failing', dimensions: 384, embed: async () => Promise.reject(new Error('embedder down')) };
const hangingEmbedder: Embedder = { model: 'hanging', dimensions: 384, embed: () => new Promise(() => undefined) };

const summary = (id: number, extra: Partial<ProductSummary> = {}): ProductSummary => ({
  id, name: `p${id}`, price: 1, categoryId: null, categoryName: null, sellerId: 's', status: 'ACTIVE', stockAvailable: 1,
  stockReserved: 0, soldCount: 0, thumbnailUrl: null, avgRating: null, ratingCount: 0, createdAt: new Date(0).toISOString(), ...extra,
});

describe('smartSearch fallback', () => {
  it('answers with keyword results, scores null and mode fallback-keyword when the embedder throws', async () => {
    const logger = { debug: vi.fn(), info: vi.fn(), warn: vi.fn(), error: vi.fn(), child: vi.fn() };
    const result = await smartSearch(deps({ embedder: failingEmbedder, logger }), query({ q: 'cast iron skillet', mode: 'ai' }));
    expect(result).toMatchObject({ query: 'cast iron skillet', scores: null, mode: 'fallback-keyword' });
    expect(result.results[0]!.id).toBe(13);
    expect(logger.warn).toHaveBeenCalledOnce();
  });

  it('falls back when embedding the query takes longer than the timeout', async () => {
    const started = Date.now();
    const result = await smartSearch(deps({ embedder: hangingEmbedder, queryTimeoutMs: 50 }), query({ q: 'skillet' }));
    expect(result.mode).toBe('fallback-keyword');
    expect(result.results.map((p) => p.id)).toContain(13);
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('never caches a fallback, so the next request gets real results', async () => {
    const caches = createSearchCaches();
    const flaky: Embedder = { ...createLocalEmbedder(), embed: vi.fn().mockRejectedValueOnce(new Error('blip')).mockImplementation(createLocalEmbedder().embed) };
    const first = await smartSearch(deps({ embedder: flaky, caches }), query({ q: 'wireless headphones', mode: 'ai' }));
    const second = await smartSearch(deps({ embedder: flaky, caches }), query({ q: 'wireless headphones', mode: 'ai' }));
    expect(first.mode).toBe('fallback-keyword');
    expect(second.mode).toBe('ai');
    expect(second.results[0]!.id).toBe(1);
  });
});

describe('smartSearch cache', () => {
  it('serves a repeated (differently spaced and cased) query without embedding it again', async () => {
    const caches = createSearchCaches();
    const embed = vi.fn(createLocalEmbedder().embed);
    const embedder = { ...createLocalEmbedder(), embed };
    const first = await smartSearch(deps({ embedder, caches }), query({ q: 'Bluetooth speaker' }));
    const second = await smartSearch(deps({ embedder, caches }), query({ q: '  bluetooth   SPEAKER ' }));
    expect(embed).toHaveBeenCalledOnce();
    expect(second.results).toEqual(first.results);
    expect(second.scores).toEqual(first.scores);
    expect(second.query).toBe('bluetooth   SPEAKER');
  });

  it('serves a cached list until the catalog version changes, then sees the write', async () => {
    const caches = createSearchCaches();
    let now = 1_000_000;
    const word = `vexlorin${Math.floor(Math.random() * 1e6)}`;
    const db = createDb(env);
    const insert = async (name: string) =>
      (await db.insert(products).values({ name, description: 'cache test', sellerId: crypto.randomUUID(), priceCents: 100 }).returning({ id: products.id }))[0]!.id;
    const first = await insert(`${word} Lamp`);
    const search = () => smartSearch(deps({ caches, now: () => now }), query({ q: word, mode: 'keyword' }));
    expect((await search()).results.map((p) => p.id)).toEqual([first]);

    const second = await insert(`${word} Lamp Two`);
    expect((await search()).results.map((p) => p.id)).toEqual([first]); // same version read within 2 s
    now += 2_000;
    expect((await search()).results.map((p) => p.id).sort()).toEqual([first, second].sort());
  });

  it('keys results by mode, limit and filters', async () => {
    const caches = createSearchCaches();
    const a = await smartSearch(deps({ caches }), query({ q: 'waterproof', mode: 'keyword', limit: 1 }));
    const b = await smartSearch(deps({ caches }), query({ q: 'waterproof', mode: 'keyword', limit: 3 }));
    expect(a.results).toHaveLength(1);
    expect(b.results.length).toBeGreaterThan(1);
  });
});

describe('hybrid: the floor judges the query, fusion ranks the items', () => {
  // Misspelt beyond keyword search (no word, prefix or substring matches), close enough for the hashing embedder's trigrams.
  const q = 'wirelss headphonez';

  /** Similarity of the query to every ACTIVE product's stored vector, best first. */
  async function similarities(): Promise<{ id: number; similarity: number }[]> {
    const embedder = createLocalEmbedder();
    const [vector] = await embedder.embed([q]);
    const stored = await createDb(env)
      .select({ id: products.id, status: products.status, embedding: productEmbeddings.embedding })
      .from(productEmbeddings)
      .innerJoin(products, eq(products.id, productEmbeddings.productId))
      .where(eq(productEmbeddings.model, embedder.model));
    return stored
      .filter((row) => row.status === 'ACTIVE')
      .map((row) => ({ id: row.id, similarity: cosineSimilarity(vector!, row.embedding) }))
      .sort((a, b) => b.similarity - a.similarity);
  }

  it('goes deeper than the floor for a query whose best match reaches it; mode=ai keeps the floor per result', async () => {
    expect((await smartSearch(deps(), query({ q, mode: 'keyword' }))).results).toEqual([]);
    const sims = await similarities();
    const floor = sims[0]!.similarity - 1e-4;
    const deep = sims.filter((entry) => entry.similarity >= floor * HYBRID_DEPTH_RATIO).map((entry) => entry.id);
    expect(deep.length).toBeGreaterThan(1); // the case is only interesting with neighbours below the floor

    const hybrid = await smartSearch(deps({ minSimilarity: floor }), query({ q, mode: 'hybrid', limit: 50 }));
    expect(hybrid.results.map((p) => p.id)).toEqual(deep.slice(0, 50));
    const ai = await smartSearch(deps({ minSimilarity: floor }), query({ q, mode: 'ai', limit: 50 }));
    expect(ai.results.map((p) => p.id)).toEqual(sims.filter((entry) => entry.similarity >= floor).map((entry) => entry.id));
  });

  it('answers nothing when neither the best semantic match reaches the floor nor a keyword matches', async () => {
    const sims = await similarities();
    const floor = sims[0]!.similarity + 1e-3;
    expect(sims.some((entry) => entry.similarity >= floor * HYBRID_DEPTH_RATIO)).toBe(true); // depth alone would let them in
    const hybrid = await smartSearch(deps({ minSimilarity: floor }), query({ q, mode: 'hybrid', limit: 50 }));
    expect(hybrid).toMatchObject({ results: [], scores: [], mode: 'hybrid' });
  });

  it('a keyword match alone makes the query understood, and its semantic neighbours join it', async () => {
    const hybrid = await smartSearch(deps({ minSimilarity: 0.99 }), query({ q: 'wireless headphones', mode: 'hybrid', limit: 50 }));
    const keyword = await smartSearch(deps(), query({ q: 'wireless headphones', mode: 'keyword', limit: 50 }));
    expect(keyword.results.length).toBeGreaterThan(0);
    expect(hybrid.results.map((p) => p.id)).toEqual(expect.arrayContaining(keyword.results.map((p) => p.id)));
  });
});

describe('ranking helpers', () => {
  it('re-ranks by 0.75·similarity + 0.15·rating/5 + 0.10·sold/maxSold, descending', () => {
    const ranked = rerankSemantic([
      { item: summary(1, { soldCount: 0 }), similarity: 0.6 },
      { item: summary(2, { avgRating: 5, soldCount: 10 }), similarity: 0.5 },
    ]);
    expect(ranked.map((entry) => entry.item.id)).toEqual([2, 1]);
    expect(ranked[0]!.score).toBeCloseTo(0.75 * 0.5 + 0.15 + 0.1, 10);
    expect(ranked[1]!.score).toBeCloseTo(0.75 * 0.6, 10);
  });

  it('fuses lists by reciprocal rank: agreement beats a single first place', () => {
    const fused = fuseRankings([
      [summary(1), summary(2), summary(3)],
      [summary(2), summary(4)],
    ]);
    expect(fused.map((entry) => entry.item.id)).toEqual([2, 1, 4, 3]);
    expect(fused[0]!.score).toBeCloseTo(1 / 62 + 1 / 61, 10);
  });

  it('normalises queries and builds prefix queries from words only', () => {
    expect(normalizeQuery('  Wireless\tHEADPHONES  ')).toBe('wireless headphones');
    expect(prefixTsQuery("Chef's knife!")).toBe('chef:* & s:* & knife:*');
    expect(prefixTsQuery('%%% ***')).toBeNull();
  });
});
