import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';

import { client, dataOf, pageOf } from '@/lib/api-client';
import type { ProductListQuery } from '@/types/api';

export type MyProductsParams = Required<Pick<ProductListQuery, 'sellerId' | 'page' | 'sort'>> & Pick<ProductListQuery, 'status' | 'ratedOnly' | 'q'>;

/** `GET /products?sellerId=<me>`: the owner may also list INACTIVE/DELETED ones with `status`. */
export const getMyProducts = (params: MyProductsParams, signal?: AbortSignal) =>
  pageOf(client.GET('/products', { params: { query: { size: 20, ...params } }, signal }));

export const getMyProductsQueryOptions = (params: MyProductsParams) =>
  queryOptions({
    queryKey: ['products', 'mine', params],
    queryFn: ({ signal }) => getMyProducts(params, signal),
    placeholderData: keepPreviousData,
  });

export const useMyProducts = (params: MyProductsParams) => useQuery(getMyProductsQueryOptions(params));

/** `GET /products/:id` as its owner (any status): for the edit form. */
export const getMyProduct = (id: number, signal?: AbortSignal) => dataOf(client.GET('/products/{id}', { params: { path: { id } }, signal }));

export const getMyProductQueryOptions = (id: number) =>
  queryOptions({ queryKey: ['products', 'detail', id], queryFn: ({ signal }) => getMyProduct(id, signal) });

export const useMyProduct = (id: number, { enabled = true } = {}) => useQuery({ ...getMyProductQueryOptions(id), enabled });
