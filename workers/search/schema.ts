import { z } from '@hono/zod-openapi';

import { productSummarySchema } from '@/catalog';
import { MAX_PAGE_SIZE } from '@/platform/pagination';

const SEARCH_MODES = ['ai', 'hybrid', 'keyword'] as const;
export type SearchMode = (typeof SEARCH_MODES)[number];
const RESPONSE_MODES = [...SEARCH_MODES, 'fallback-keyword'] as const;
export type ResponseMode = (typeof RESPONSE_MODES)[number];

const categoryIdSchema = z.coerce
  .number()
  .int()
  .positive()
  .optional()
  .openapi({ description: 'Only this category and its child categories', example: 1 });
// Seed ids are not RFC 4122 v1–v8 UUIDs, so `z.guid()` (any 8-4-4-4-12 hex) rather than `z.uuid()`.
const sellerIdSchema = z.guid().optional().openapi({ description: 'Only this seller\u2019s products' });

/** Postgres text cannot hold NUL, so a query with one would fail in SQL: reject it as input instead. */
const searchText = (min: number) =>
  z
    .string()
    .trim()
    .min(min)
    .max(200)
    .regex(/^[^\u0000]*$/, 'must not contain NUL characters');

export const keywordSearchQuerySchema = z.object({
  q: searchText(1).openapi({ description: 'Search words (websearch syntax: "quoted phrase", -exclude, or)', example: 'skillet' }),
  categoryId: categoryIdSchema,
  sellerId: sellerIdSchema,
  page: z.coerce.number().int().min(1).max(100_000).default(1).openapi({ description: '1-based page number', example: 1 }),
  size: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(20).openapi({ description: `Page size, 1–${MAX_PAGE_SIZE}` }),
});
export type KeywordSearchQuery = z.infer<typeof keywordSearchQuerySchema>;

export const aiSearchQuerySchema = z.object({
  q: searchText(2).openapi({ description: 'What the shopper is looking for, in their words', example: 'wireless headphones' }),
  limit: z.coerce.number().int().min(1).max(50).default(10).openapi({ description: 'Results to return, 1–50', example: 10 }),
  categoryId: categoryIdSchema,
  sellerId: sellerIdSchema,
  mode: z.enum(SEARCH_MODES).default('hybrid').openapi({
    description: '`ai` = semantic only, `keyword` = full text only, `hybrid` = reciprocal-rank fusion of both (default)',
  }),
});
export type AiSearchQuery = z.infer<typeof aiSearchQuerySchema>;

export const aiSearchResultSchema = z
  .object({
    query: z.string(),
    results: z.array(productSummarySchema),
    scores: z.array(z.number()).nullable().openapi({ description: 'One score per result, same order, descending; null on fallback' }),
    mode: z.enum(RESPONSE_MODES).openapi({ description: '`fallback-keyword` when the embedder failed or timed out' }),
  })
  .openapi('AiSearchResult');
export type AiSearchResult = z.infer<typeof aiSearchResultSchema>;

export const suggestQuerySchema = z.object({
  q: searchText(1)
    .max(100)
    .openapi({ description: 'What the shopper has typed so far (typo-tolerant from the third character)', example: 'skil' }),
});
export type SuggestQuery = z.infer<typeof suggestQuerySchema>;

const suggestionSchema = z
  .discriminatedUnion('type', [
    z.object({ type: z.literal('category'), id: z.number().int(), name: z.string(), slug: z.string() }),
    z.object({ type: z.literal('product'), id: z.number().int(), name: z.string() }),
  ])
  .openapi('Suggestion');
export type Suggestion = z.infer<typeof suggestionSchema>;

export const suggestResultSchema = z
  .object({ query: z.string(), suggestions: z.array(suggestionSchema).max(8) })
  .openapi('SuggestResult');
