import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';

import { client, pageOf } from '@/lib/api-client';
import type { ProductListQuery } from '@/types/api';

/** `sort` is `field,ASC|DESC` from the whitelist `createdAt, price, avgRating, soldCount, name`. */
export type ProductListParams = Pick<ProductListQuery, 'page' | 'size' | 'sort' | 'categoryId' | 'sellerId' | 'status' | 'ratedOnly'>;

/** `GET /products`: ACTIVE products by default, newest first. */
export const getProducts = (params: ProductListParams, signal?: AbortSignal) =>
  pageOf(client.GET('/products', { params: { query: { ...params } }, signal }));

export const getProductsQueryOptions = (params: ProductListParams) =>
  queryOptions({
    queryKey: ['products', 'list', params],
    queryFn: ({ signal }) => getProducts(params, signal),
    // The previous page stays on screen while the next one loads, so pagination never flashes a skeleton.
    placeholderData: keepPreviousData,
  });

export const useProducts = (params: ProductListParams, { enabled = true } = {}) =>
  useQuery({ ...getProductsQueryOptions(params), enabled });
