import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';

import { client, dataOf, pageOf } from '@/lib/api-client';
import type { ProductSearchQuery, SmartSearchQuery } from '@/types/api';

export type KeywordSearchParams = ProductSearchQuery;

/** `GET /products/search`: full-text keyword search, paginated. */
export const searchProducts = (params: KeywordSearchParams, signal?: AbortSignal) =>
  pageOf(client.GET('/products/search', { params: { query: { ...params } }, signal }));

export const searchProductsQueryOptions = (params: KeywordSearchParams) =>
  queryOptions({
    queryKey: ['products', 'search', params],
    queryFn: ({ signal }) => searchProducts(params, signal),
    placeholderData: keepPreviousData,
  });

export const useSearchProducts = (params: KeywordSearchParams, { enabled = true } = {}) =>
  useQuery({ ...searchProductsQueryOptions(params), enabled });

/** The smart modes the SPA offers; plain keyword search goes to `/products/search` (paginated). */
export type SmartSearchMode = Exclude<NonNullable<SmartSearchQuery['mode']>, 'keyword'>;

export type SmartSearchParams = Omit<SmartSearchQuery, 'mode'> & { mode: SmartSearchMode };

/**
 * `GET /products/ai-search` with an explicit `mode`: `ai` = semantic only, `hybrid` = rank fusion of
 * keyword and semantic (the server's default). The answer's `mode` is `fallback-keyword` when the embedder failed.
 */
export const smartSearchProducts = ({ limit = 20, ...params }: SmartSearchParams, signal?: AbortSignal) =>
  dataOf(client.GET('/products/ai-search', { params: { query: { ...params, limit } }, signal }));

export const smartSearchProductsQueryOptions = (params: SmartSearchParams) =>
  queryOptions({
    queryKey: ['products', 'ai-search', params],
    queryFn: ({ signal }) => smartSearchProducts(params, signal),
    placeholderData: keepPreviousData,
  });

export const useSmartSearchProducts = (params: SmartSearchParams, { enabled = true } = {}) =>
  useQuery({ ...smartSearchProductsQueryOptions(params), enabled });
