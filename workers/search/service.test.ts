import { env } from 'cloudflare:test';
import { describe, expect, it, vi } from 'vitest';

import type { ProductSummary } from '@/catalog/summary';
import { products } from '@/catalog/tables';
import { createDb } from '@/platform/db';
import type { Embedder } from '@/search/embedder';
import { createLocalEmbedder } from '@/search/local-embedder';
import { aiSearchQuerySchema } from '@/search/schema';
import {
  createSearchCaches,
  fuseRankings,
  normalizeQuery,
  prefixTsQuery,
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
