/**
 * Search's answers: keyword pages, and `ai` / `hybrid` lists (query embedding, the similarity floor, re-ranking and
 * reciprocal-rank fusion), cached per catalog version in the isolate. The SQL is in `queries.ts`.
 */
import { sql } from 'drizzle-orm';

import type { ProductSummary } from '@/catalog';
import { products } from '@/catalog/tables';
import type { Db } from '@/platform/db';
import { describeError, type Logger } from '@/platform/logger';
import { pageMeta, type PageMeta } from '@/platform/pagination';
import { withTimeout } from '@/platform/timeout';
import { LruCache } from '@/search/cache';
import type { Embedder } from '@/search/embedder';
import { findHybridMatches, findKeywordMatches, findSemanticMatches, round, type Scope, type SemanticInput } from '@/search/queries';
import type { AiSearchQuery, AiSearchResult, KeywordSearchQuery, ResponseMode } from '@/search/schema';
import { productEmbeddings } from '@/search/tables';

/** Reciprocal-rank-fusion constant (the usual k = 60): damps the weight of the very top ranks. */
const RRF_K = 60;
/**
 * Hybrid's semantic candidates reach down to this share of the floor once the query itself is understood
 * (its best match clears the floor, or a keyword matches): the floor judges the query, fusion ranks the items.
 * docs/decisions/search.md has the reasoning and the measurements.
 */
export const HYBRID_DEPTH_RATIO = 0.6;
/** Query embeddings never change for a model, so they are kept longer than result lists. */
const EMBEDDING_TTL_MS = 60 * 60_000;
/** Cached results live 10 minutes, and any catalog write changes the key before that. */
const RESULT_TTL_MS = 10 * 60_000;
/** How long an isolate trusts the catalog version it read: the most a cached list can lag a write. */
const VERSION_TTL_MS = 2_000;

export interface SearchCaches {
  embeddings: LruCache<number[]>;
  results: LruCache<CachedResult>;
  version?: { value: string; readAt: number };
}

type CachedResult = { results: ProductSummary[]; scores: number[] | null; total?: number };

export function createSearchCaches(): SearchCaches {
  return { embeddings: new LruCache(1_000, EMBEDDING_TTL_MS), results: new LruCache(500, RESULT_TTL_MS) };
}

/** This isolate's caches (module state: values only, shared by the isolate's requests). */
export const isolateSearchCaches = createSearchCaches();

/** The query gets 2 s to embed, whatever the embedder's own (batch) timeout is. */
export const QUERY_EMBED_TIMEOUT_MS = 2_000;

export interface SearchDeps {
  db: Db;
  embedder: Embedder;
  /** Semantic hits below this cosine similarity are dropped (`AI_MIN_SIMILARITY`). */
  minSimilarity: number;
  /** Budget for embedding the query before falling back to keyword search (2 s). */
  queryTimeoutMs: number;
  /** `null` disables caching (tests of the uncached path). */
  caches: SearchCaches | null;
  logger?: Logger;
  now?: () => number;
  /** How deep hybrid's semantic list goes, as a share of the floor ({@link HYBRID_DEPTH_RATIO}; benchmarks sweep it). */
  hybridDepthRatio?: number;
}

/** Trim, lower-case and collapse whitespace: the cache key of a query. */
export const normalizeQuery = (q: string) => q.trim().toLowerCase().replace(/\s+/g, ' ');

/** Re-rank: 0.75·similarity + 0.15·avgRating/5 + 0.10·soldCount/maxSold (max over the candidates). */
export function rerankSemantic(candidates: { item: ProductSummary; similarity: number }[]): { item: ProductSummary; score: number }[] {
  const maxSold = Math.max(0, ...candidates.map(({ item }) => item.soldCount));
  return candidates
    .map(({ item, similarity }) => ({
      item,
      score: 0.75 * similarity + 0.15 * ((item.avgRating ?? 0) / 5) + 0.1 * (maxSold > 0 ? item.soldCount / maxSold : 0),
    }))
    .sort((a, b) => b.score - a.score || a.item.id - b.item.id);
}

/** Reciprocal-rank fusion: each list adds 1/(k + rank) for every product it holds (rank from 1). */
export function fuseRankings(lists: ProductSummary[][], k = RRF_K): { item: ProductSummary; score: number }[] {
  const fused = new Map<number, { item: ProductSummary; score: number }>();
  for (const list of lists) {
    list.forEach((item, index) => {
      const entry = fused.get(item.id) ?? { item, score: 0 };
      entry.score += 1 / (k + index + 1);
      fused.set(item.id, entry);
    });
  }
  return [...fused.values()].sort((a, b) => b.score - a.score || a.item.id - b.item.id);
}

/**
 * Hybrid's fused list. The floor decides whether the query is understood at all — its best semantic match
 * reaches `minSimilarity`, or keyword search matches — and nothing is returned when it is not (nonsense).
 * An understood query's semantic list goes deeper, to `HYBRID_DEPTH_RATIO × minSimilarity`, and RRF ranks it
 * together with the keyword list.
 */
async function hybridCandidates(
  deps: Pick<SearchDeps, 'db' | 'minSimilarity' | 'hybridDepthRatio'>,
  keyword: Scope & { q: string; limit: number },
  semantic: Omit<SemanticInput, 'minSimilarity'>,
): Promise<{ item: ProductSummary; score: number }[]> {
  const depth = deps.minSimilarity * (deps.hybridDepthRatio ?? HYBRID_DEPTH_RATIO);
  const found = await findHybridMatches(deps.db, keyword, { ...semantic, minSimilarity: depth });
  const understood = found.keyword.items.length > 0 || (found.semantic[0]?.similarity ?? 0) >= deps.minSimilarity;
  return understood ? fuseRankings([found.keyword.items, found.semantic.map((hit) => hit.item)]) : [];
}



/**
 * A cheap fingerprint of everything search results depend on (product rows and vectors). It is part
 * of every result cache key, so a catalog write makes older entries unreachable; an isolate re-reads
 * it at most every {@link VERSION_TTL_MS}.
 */
async function catalogVersion(deps: Pick<SearchDeps, 'db' | 'now'>, caches: SearchCaches): Promise<string> {
  const now = (deps.now ?? Date.now)();
  if (caches.version && now - caches.version.readAt < VERSION_TTL_MS) return caches.version.value;
  const result = await deps.db.execute<{ version: string }>(sql`select
    coalesce((select max(${products.updatedAt})::text || '/' || count(*) from ${products}), '') || '|' ||
    coalesce((select max(${productEmbeddings.embeddedAt})::text || '/' || count(*) from ${productEmbeddings}), '') as version`);
  caches.version = { value: result.rows[0]?.version ?? '', readAt: now };
  return caches.version.value;
}

async function embedQuery(deps: SearchDeps, query: string): Promise<number[]> {
  const key = `${deps.embedder.model}|${query}`;
  const cached = deps.caches?.embeddings.get(key);
  if (cached) return cached;
  const [vector] = await withTimeout(deps.embedder.embed([query]), deps.queryTimeoutMs, `embedding the query took longer than ${deps.queryTimeoutMs} ms`);
  if (!vector) throw new Error('the embedder returned no vector');
  deps.caches?.embeddings.set(key, vector);
  return vector;
}

/** `GET /products/search`: one page of keyword hits with page meta (cached per catalog version). */
export async function searchProducts(deps: Pick<SearchDeps, 'db' | 'caches' | 'now'>, input: KeywordSearchQuery): Promise<{ items: ProductSummary[]; meta: PageMeta }> {
  const caches = deps.caches;
  const key = caches
    ? `kw|${await catalogVersion(deps, caches)}|${normalizeQuery(input.q)}|${input.categoryId ?? ''}|${input.sellerId ?? ''}|${input.page}|${input.size}`
    : undefined;
  const cached = key ? caches?.results.get(key) : undefined;
  if (cached) return { items: cached.results, meta: pageMeta(input.page, input.size, cached.total ?? 0) };
  const found = await findKeywordMatches(deps.db, { ...input, q: normalizeQuery(input.q), limit: input.size, offset: (input.page - 1) * input.size });
  if (key) caches?.results.set(key, { results: found.items, scores: null, total: found.total });
  return { items: found.items, meta: pageMeta(input.page, input.size, found.total) };
}

/**
 * `GET /products/ai-search`. `ai`: embed the query, nearest neighbours above the
 * similarity floor, re-ranked. `keyword`: full text. `hybrid` (default): reciprocal-rank fusion of the
 * keyword list and the floored semantic list. If embedding the query fails or times out, the answer
 * is the keyword list with `mode: "fallback-keyword"` and `scores: null`, and it is never cached.
 */
export async function smartSearch(deps: SearchDeps, input: AiSearchQuery): Promise<AiSearchResult> {
  const query = normalizeQuery(input.q);
  const scope = { categoryId: input.categoryId, sellerId: input.sellerId };
  const caches = deps.caches;
  const key = caches
    ? `ai|${await catalogVersion(deps, caches)}|${deps.embedder.model}|${deps.minSimilarity}|${deps.hybridDepthRatio ?? HYBRID_DEPTH_RATIO}|${input.mode}|${query}|${input.limit}|${input.categoryId ?? ''}|${input.sellerId ?? ''}`
    : undefined;
  const cached = key ? caches?.results.get(key) : undefined;
  if (cached) return { query: input.q, results: cached.results, scores: cached.scores, mode: input.mode };

  // Hybrid fuses longer lists than it returns, so an item ranked low in one list can still win.
  const pool = input.mode === 'hybrid' ? Math.min(100, Math.max(20, input.limit * 2)) : input.limit;

  let answer: { results: ProductSummary[]; scores: number[] | null; mode: ResponseMode };
  if (input.mode === 'keyword') {
    const found = await findKeywordMatches(deps.db, { ...scope, q: query, limit: pool, offset: 0 });
    answer = { results: found.items, scores: found.scores, mode: 'keyword' };
  } else {
    let vector: number[];
    try {
      vector = await embedQuery(deps, query);
    } catch (err) {
      deps.logger?.warn('query embedding failed, answering with keyword search', { ...describeError(err), embedder: deps.embedder.model });
      const found = await findKeywordMatches(deps.db, { ...scope, q: query, limit: input.limit, offset: 0 });
      return { query: input.q, results: found.items, scores: null, mode: 'fallback-keyword' };
    }
    const semantic = { ...scope, vector, model: deps.embedder.model, limit: pool };
    if (input.mode === 'ai') {
      const ranked = rerankSemantic(await findSemanticMatches(deps.db, { ...semantic, minSimilarity: deps.minSimilarity }));
      answer = { results: ranked.map((entry) => entry.item), scores: ranked.map((entry) => round(entry.score)), mode: 'ai' };
    } else {
      const fused = (await hybridCandidates(deps, { ...scope, q: query, limit: pool }, semantic)).slice(0, input.limit);
      answer = { results: fused.map((entry) => entry.item), scores: fused.map((entry) => round(entry.score)), mode: 'hybrid' };
    }
  }
  if (key) caches?.results.set(key, { results: answer.results, scores: answer.scores });
  return { query: input.q, ...answer };
}
