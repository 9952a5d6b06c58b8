import { createRoute } from '@hono/zod-openapi';

import type { AppEnv } from '@/env';
import { productSummarySchema } from '@/catalog';
import { createDb } from '@/platform/db';
import { errorResponses } from '@/platform/errors';
import type { Logger } from '@/platform/logger';
import { limitedProducer } from '@/platform/middleware';
import { envelope, jsonContent, pagedEnvelope } from '@/platform/responses';
import { createRouter } from '@/platform/router';
import { createEmbedder, getSearchConfig } from '@/search/config';
import { aiSearchQuerySchema, aiSearchResultSchema, keywordSearchQuerySchema, suggestQuerySchema, suggestResultSchema } from '@/search/schema';
import { cachedSuggestions, findSuggestions, SUGGEST_TTL_SECONDS } from '@/search/suggest';
import { isolateSearchCaches, searchProducts, smartSearch, type SearchDeps } from '@/search/service';

/** The query gets 2 s to embed, whatever the embedder's own (batch) timeout is. */
const QUERY_EMBED_TIMEOUT_MS = 2_000;

function searchDeps(env: AppEnv, logger: Logger): SearchDeps {
  const config = getSearchConfig(env);
  return {
    db: createDb(env),
    embedder: createEmbedder(env),
    minSimilarity: config.AI_MIN_SIMILARITY,
    queryTimeoutMs: Math.min(QUERY_EMBED_TIMEOUT_MS, config.EMBEDDINGS_TIMEOUT_MS),
    caches: isolateSearchCaches,
    logger,
  };
}

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

export const searchRouter = createRouter()
  .openapi(suggestRoute, async (c) => {
    const query = c.req.valid('query');
    const { suggestions, cache } = await cachedSuggestions(query, limitedProducer(c, () => findSuggestions(createDb(c.env), query)));
    c.header('x-cache', cache === 'hit' ? 'HIT' : 'MISS');
    return c.json({ success: true as const, data: { query: query.q, suggestions } }, 200);
  })
  .openapi(keywordSearchRoute, async (c) => {
    const { items, meta } = await searchProducts(searchDeps(c.env, c.get('logger')), c.req.valid('query'));
    return c.json({ success: true as const, data: items, meta }, 200);
  })
  .openapi(aiSearchRoute, async (c) => {
    const data = await smartSearch(searchDeps(c.env, c.get('logger')), c.req.valid('query'));
    return c.json({ success: true as const, data }, 200);
  });
