import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';

import { api, isApiError } from '@/lib/api-client';
import type { AiSearchResult, ProductSummary } from '@/types/api';

export interface KeywordSearchParams {
  q: string;
  page?: number;
  size?: number;
  categoryId?: number | undefined;
  sellerId?: string | undefined;
}

/** `GET /products/search`: full-text keyword search, paginated (SPEC §5.1). */
export const searchProducts = (params: KeywordSearchParams, signal?: AbortSignal) =>
  api.getPage<ProductSummary>('/products/search', { query: { ...params }, signal });

export const searchProductsQueryOptions = (params: KeywordSearchParams) =>
  queryOptions({
    queryKey: ['products', 'search', params],
    queryFn: ({ signal }) => searchProducts(params, signal),
    placeholderData: keepPreviousData,
  });

export const useSearchProducts = (params: KeywordSearchParams, { enabled = true } = {}) =>
  useQuery({ ...searchProductsQueryOptions(params), enabled });

export type SmartSearchMode = 'ai' | 'hybrid';

export interface SmartSearchParams {
  q: string;
  mode: SmartSearchMode;
  limit?: number;
  categoryId?: number | undefined;
  sellerId?: string | undefined;
}

/**
 * `GET /products/ai-search` (SPEC §5.2). Smart sends no mode (pure semantic); Hybrid adds `mode=hybrid`
 * (ARCHITECTURE §7 rank fusion). The answer's `mode` is `fallback-keyword` when the embedder was unavailable.
 */
export async function smartSearchProducts({ mode, limit = 20, ...params }: SmartSearchParams, signal?: AbortSignal) {
  const search = (hybrid: boolean) =>
    api.get<AiSearchResult>('/products/ai-search', { query: { ...params, limit, mode: hybrid ? 'hybrid' : undefined }, signal });
  try {
    return await search(mode === 'hybrid');
  } catch (error) {
    // A server without the hybrid blend rejects the parameter; semantic results beat an error screen.
    if (mode === 'hybrid' && isApiError(error) && error.status === 400) return search(false);
    throw error;
  }
}

export const smartSearchProductsQueryOptions = (params: SmartSearchParams) =>
  queryOptions({
    queryKey: ['products', 'ai-search', params],
    queryFn: ({ signal }) => smartSearchProducts(params, signal),
    placeholderData: keepPreviousData,
  });

export const useSmartSearchProducts = (params: SmartSearchParams, { enabled = true } = {}) =>
  useQuery({ ...smartSearchProductsQueryOptions(params), enabled });
