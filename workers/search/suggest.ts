import { and, desc, eq, ilike, or, sql } from 'drizzle-orm';

import { categories, products } from '@/catalog/tables';
import { catalogGeneration } from '@/catalog';
import type { Db } from '@/platform/db';
import { cachedJson, edgeCache, type CacheOutcome } from '@/platform/edge-cache';
import type { Suggestion, SuggestQuery } from '@/search/schema';

const MAX_SUGGESTIONS = 8;
/** Typo tolerance starts at the third character: shorter prefixes have too few trigrams to mean anything. */
const FUZZY_FROM_CHARS = 3;
/** pg_trgm word similarity at which a name counts as a typo'd match (`skilet` ~ `Skillet` is 0.86). */
const WORD_SIMILARITY = 0.5;
/** How long a colo serves a cached answer at most; a product write there invalidates it within a second. */
export const SUGGEST_TTL_SECONDS = 60;

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * Up to 8 ACTIVE products and categories for what the shopper has typed so far. A name starting with
 * the text, or with a word starting with it, ranks first; from the third character names whose words
 * are *like* the text (pg_trgm `<%`, trigram GIN index) count too, ranked by word similarity. Categories
 * come first when they match (at most 3), then products by match quality and sales.
 */
export async function findSuggestions(db: Db, input: SuggestQuery): Promise<Suggestion[]> {
  const q = input.q.trim().toLowerCase().replace(/\s+/g, ' ');
  const starts = `${escapeLike(q)}%`;
  const wordStarts = `% ${escapeLike(q)}%`;
  const fuzzy = q.length >= FUZZY_FROM_CHARS;

  const productMatch = or(
    ilike(products.name, starts),
    ilike(products.name, wordStarts),
    fuzzy ? sql`${q} <% ${products.name}` : undefined,
  )!;
  const productScore = sql<number>`(case when ${products.name} ilike ${starts} then 2 when ${products.name} ilike ${wordStarts} then 1.5 else 0 end
    + ${fuzzy ? sql`word_similarity(${q}, ${products.name})` : sql`0`})`.mapWith(Number);
  const categoryMatch = or(ilike(categories.name, starts), ilike(categories.name, wordStarts), fuzzy ? sql`${q} <% ${categories.name}` : undefined)!;
  const categoryScore = sql<number>`(case when ${categories.name} ilike ${starts} then 2 else 1 end
    + ${fuzzy ? sql`word_similarity(${q}, ${categories.name})` : sql`0`})`.mapWith(Number);

  const productQuery = db
    .select({ id: products.id, name: products.name, score: productScore })
    .from(products)
    .where(and(eq(products.status, 'ACTIVE'), productMatch))
    .orderBy(desc(productScore), desc(products.soldCount), products.id)
    .limit(MAX_SUGGESTIONS);
  const categoryQuery = db
    .select({ id: categories.id, name: categories.name, slug: categories.slug, score: categoryScore })
    .from(categories)
    .where(categoryMatch)
    .orderBy(desc(categoryScore), categories.id)
    .limit(3);
  // `<%` uses pg_trgm.word_similarity_threshold (default 0.6); set it for this one transaction.
  const [, productRows, categoryRows] = await db.batch([
    db.execute(sql`select set_config('pg_trgm.word_similarity_threshold', ${String(WORD_SIMILARITY)}, true)`),
    productQuery,
    categoryQuery,
  ]);
  const categoryHits: Suggestion[] = categoryRows.map((row) => ({ type: 'category', id: row.id, name: row.name, slug: row.slug }));
  const productHits: Suggestion[] = productRows.map((row) => ({ type: 'product', id: row.id, name: row.name }));
  return [...categoryHits, ...productHits].slice(0, MAX_SUGGESTIONS);
}

/**
 * Edge cache (Cache API, per colo) with invalidation: every key carries the catalog's generation
 * (workers/catalog/generation.ts), which a product or category write replaces, so the next request in that colo
 * misses. Other colos see the change within {@link SUGGEST_TTL_SECONDS}.
 */
const cacheKey = (generation: string, q: string) => `https://suggest.cache.internal/${generation}/${encodeURIComponent(q)}`;

export async function cachedSuggestions(
  input: SuggestQuery,
  produce: () => Promise<Suggestion[]>,
  cache: Cache | undefined = edgeCache(),
): Promise<{ suggestions: Suggestion[]; cache: CacheOutcome }> {
  const q = input.q.trim().toLowerCase().replace(/\s+/g, ' ');
  const key = cache ? cacheKey(await catalogGeneration(cache), q) : '';
  const { value, cache: outcome } = await cachedJson(cache, key, SUGGEST_TTL_SECONDS, produce);
  return { suggestions: value, cache: outcome };
}
