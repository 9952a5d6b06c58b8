import { queryOptions, useQuery } from '@tanstack/react-query';

import { client, dataOf, pageOf } from '@/lib/api-client';

/** `GET /products/:id`: the detail with images and description (owners also see non-ACTIVE ones). */
export const getProduct = (id: number, signal?: AbortSignal) => dataOf(client.GET('/products/{id}', { params: { path: { id } }, signal }));

export const getProductQueryOptions = (id: number) =>
  queryOptions({ queryKey: ['products', 'detail', id], queryFn: ({ signal }) => getProduct(id, signal) });

export const useProduct = (id: number) => useQuery(getProductQueryOptions(id));

/** `GET /products/:id/related`: same category, ACTIVE, excluding the product itself. */
export const getRelatedProducts = (id: number, signal?: AbortSignal) =>
  pageOf(client.GET('/products/{id}/related', { params: { path: { id }, query: { size: 8 } }, signal }));

export const getRelatedProductsQueryOptions = (id: number) =>
  queryOptions({ queryKey: ['products', 'related', id], queryFn: ({ signal }) => getRelatedProducts(id, signal) });

export const useRelatedProducts = (id: number) => useQuery(getRelatedProductsQueryOptions(id));
