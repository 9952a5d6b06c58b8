import { queryOptions, useQuery } from '@tanstack/react-query';

import { api } from '@/lib/api-client';
import type { Category } from '@/types/api';

/** `GET /categories`: every category ordered by sort order. */
export const getCategories = (signal?: AbortSignal) => api.get<Category[]>('/categories', { signal });

export const getCategoriesQueryOptions = () =>
  queryOptions({
    queryKey: ['categories'],
    queryFn: ({ signal }) => getCategories(signal),
    // Categories change rarely; one fetch per visit is plenty.
    staleTime: 5 * 60_000,
  });

export const useCategories = () => useQuery(getCategoriesQueryOptions());

/** `GET /categories/{slug}`. */
export const getCategory = (slug: string, signal?: AbortSignal) =>
  api.get<Category>(`/categories/${encodeURIComponent(slug)}`, { signal });

export const getCategoryQueryOptions = (slug: string) =>
  queryOptions({ queryKey: ['categories', 'slug', slug], queryFn: ({ signal }) => getCategory(slug, signal) });

export const useCategory = (slug: string) => useQuery(getCategoryQueryOptions(slug));
