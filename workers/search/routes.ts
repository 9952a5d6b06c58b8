import { createRoute } from '@hono/zod-openapi';

import type { AppEnv } from '@/env';
import { productSummarySchema } from '@/catalog';
import { errorResponses } from '@/platform/errors';
import type { Logger } from '@/platform/logger';
import { limitedProducer } from '@/platform/middleware';
import { envelope, jsonContent, pagedEnvelope } from '@/platform/responses';
import { createRouter } from '@/platform/router';
import { aiSearchQuerySchema, aiSearchResultSchema, keywordSearchQuerySchema, suggestQuerySchema, suggestResultSchema } from '@/search/schema';
import { cachedSuggestions, findSuggestions, SUGGEST_TTL_SECONDS } from '@/search/suggest';
import { searchProducts, smartSearch, type SearchDeps } from '@/search/service';

/** Builds the search service's collaborators for a request (the composition root's in the app, fakes in tests). */
export type MakeSearchDeps = (env: AppEnv, logger: Logger) => SearchDeps;

const keywordSearchRoute = createRoute({
  method: 'get',
  path: '/api/v1/products/search',
  tags: ['Search'],
  summary: 'Keyword search over ACTIVE products',
  description:
    'Postgres full text (english stemming, websearch syntax) plus prefix and name matching for partial words. ' +
    'Ranked by text rank × (1 + avgRating/5 × 0.2 + min(soldCount, 50)/50 × 0.1). `categoryId` includes child categories.',
  request: { query: keywordSearchQuerySchema },
  responses: { 200: jsonContent(pagedEnvelope(productSummarySchema), 'One page of matching products, best first'), ...errorResponses(400, 429, 503) },
});

const aiSearchRoute = createRoute({
  method: 'get',
  path: '/api/v1/products/ai-search',
  tags: ['Search'],
  summary: 'Smart search: semantic, keyword or hybrid',
  description:
    'Embeds the query and finds the nearest ACTIVE products above a similarity floor (`AI_MIN_SIMILARITY`), re-ranked by ' +
    '0.75·similarity + 0.15·avgRating/5 + 0.10·soldCount/maxSold; `hybrid` fuses that list with keyword hits (reciprocal-rank ' +
    'fusion, k = 60). `scores[i]` belongs to `results[i]`. If the embedder fails or takes over 2 s the answer is keyword ' +
    'results with `mode: "fallback-keyword"` and `scores: null` (still 200).',
  request: { query: aiSearchQuerySchema },
  responses: { 200: jsonContent(envelope(aiSearchResultSchema), 'Results with aligned scores'), ...errorResponses(400, 429, 503) },
});

const suggestRoute = createRoute({
  method: 'get',
  path: '/api/v1/products/suggest',
  tags: ['Search'],
  summary: 'Suggestions as you type: up to 8 categories and products',
  description:
    'Names that start with the text (or have a word that does) first; from the third character also names with a similar word ' +
    '(typos, pg_trgm word similarity). Cached at the edge per colo; a product or category write invalidates that colo within a second, ' +
    `others within ${SUGGEST_TTL_SECONDS} s.`,
  request: { query: suggestQuerySchema },
  responses: { 200: jsonContent(envelope(suggestResultSchema), 'Suggestions, categories first'), ...errorResponses(400, 429, 503) },
});

/** Keyword, semantic and hybrid search, and suggestions as you type. */
export function createSearchRouter(makeDeps: MakeSearchDeps) {
  return createRouter()
    .openapi(suggestRoute, async (c) => {
      const query = c.req.valid('query');
      const { suggestions, cache } = await cachedSuggestions(query, limitedProducer(c, () => findSuggestions(makeDeps(c.env, c.get('logger')).db, query)));
      c.header('x-cache', cache === 'hit' ? 'HIT' : 'MISS');
      return c.json({ success: true as const, data: { query: query.q, suggestions } }, 200);
    })
    .openapi(keywordSearchRoute, async (c) => {
      const { items, meta } = await searchProducts(makeDeps(c.env, c.get('logger')), c.req.valid('query'));
      return c.json({ success: true as const, data: items, meta }, 200);
    })
    .openapi(aiSearchRoute, async (c) => {
      const data = await smartSearch(makeDeps(c.env, c.get('logger')), c.req.valid('query'));
      return c.json({ success: true as const, data }, 200);
    });
}
