import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';

import { client, pageOf } from '@/lib/api-client';

/** `GET /products/:id/reviews`: newest first, 10 per page. */
export const getProductReviews = (productId: number, page: number, signal?: AbortSignal) =>
  pageOf(client.GET('/products/{productId}/reviews', { params: { path: { productId }, query: { page, size: 10 } }, signal }));

export const getProductReviewsQueryOptions = (productId: number, page: number) =>
  queryOptions({
    queryKey: ['products', 'reviews', productId, page],
    queryFn: ({ signal }) => getProductReviews(productId, page, signal),
    placeholderData: keepPreviousData,
  });

export const useProductReviews = (productId: number, page: number) =>
  useQuery(getProductReviewsQueryOptions(productId, page));
