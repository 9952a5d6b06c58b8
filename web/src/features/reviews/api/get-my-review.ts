import { queryOptions, useQuery } from '@tanstack/react-query';

import { api } from '@/lib/api-client';
import type { Review } from '@/types/api';

/** `GET /products/:productId/reviews/by-order-item/:orderItemId`: the caller's review of one line, or null. */
export const getMyReview = (productId: number, orderItemId: string, signal?: AbortSignal) =>
  api.get<Review | null>(`/products/${productId}/reviews/by-order-item/${orderItemId}`, { signal });

export const getMyReviewQueryOptions = (productId: number, orderItemId: string) =>
  queryOptions({
    queryKey: ['reviews', 'mine', productId, orderItemId],
    queryFn: ({ signal }) => getMyReview(productId, orderItemId, signal),
  });

export const useMyReview = (productId: number, orderItemId: string) =>
  useQuery(getMyReviewQueryOptions(productId, orderItemId));
