import { queryOptions, useQuery } from '@tanstack/react-query';

import { client, dataOf } from '@/lib/api-client';

/** `GET /categories`: every category ordered by sort order. */
export const getCategories = (signal?: AbortSignal) => dataOf(client.GET('/categories', { signal }));

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
  dataOf(client.GET('/categories/{slug}', { params: { path: { slug } }, signal }));

export const getCategoryQueryOptions = (slug: string) =>
  queryOptions({ queryKey: ['categories', 'slug', slug], queryFn: ({ signal }) => getCategory(slug, signal) });

export const useCategory = (slug: string) => useQuery(getCategoryQueryOptions(slug));
