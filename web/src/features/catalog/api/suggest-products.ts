import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';

import { client, dataOf } from '@/lib/api-client';

/** `GET /products/suggest`: up to 8 categories and products for a prefix (typo-tolerant from the third character). */
export const getSuggestions = (q: string, signal?: AbortSignal) => dataOf(client.GET('/products/suggest', { params: { query: { q } }, signal }));

/** The server folds case and spaces, so one cache entry serves "Lamp", "lamp" and "lamp ". */
export const normalizeSuggestQuery = (q: string) => q.trim().toLowerCase().replace(/\s+/g, ' ');

export const suggestionsQueryOptions = (q: string) =>
  queryOptions({
    queryKey: ['products', 'suggest', normalizeSuggestQuery(q)],
    // The signal aborts a request whose text the shopper has already typed past (its query lost its last observer).
    queryFn: ({ signal }) => getSuggestions(normalizeSuggestQuery(q), signal),
    // The list keeps showing the previous text's suggestions while the next ones load, instead of flickering.
    placeholderData: keepPreviousData,
    staleTime: 60_000,
    // Suggestions are a convenience: a failure just shows none, never a toast.
    meta: { errorToast: false },
  });

export const useSuggestions = (q: string, { enabled = true } = {}) => useQuery({ ...suggestionsQueryOptions(q), enabled });
