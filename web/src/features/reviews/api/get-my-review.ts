import { queryOptions, useQuery } from '@tanstack/react-query';

import { client, dataOf } from '@/lib/api-client';

/** `GET /products/:productId/reviews/by-order-item/:orderItemId`: the caller's review of one line, or null. */
export const getMyReview = (productId: number, orderItemId: string, signal?: AbortSignal) =>
  dataOf(client.GET('/products/{productId}/reviews/by-order-item/{orderItemId}', { params: { path: { productId, orderItemId } }, signal }));

export const getMyReviewQueryOptions = (productId: number, orderItemId: string) =>
  queryOptions({
    queryKey: ['reviews', 'mine', productId, orderItemId],
    queryFn: ({ signal }) => getMyReview(productId, orderItemId, signal),
  });

export const useMyReview = (productId: number, orderItemId: string) =>
  useQuery(getMyReviewQueryOptions(productId, orderItemId));
