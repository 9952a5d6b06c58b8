import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';

import { client, pageOf } from '@/lib/api-client';
import type { OrderListQuery } from '@/types/api';

type OrderListParams = Required<Pick<OrderListQuery, 'page'>> & Pick<OrderListQuery, 'size' | 'status'>;

/** `GET /orders`: the caller's own orders, newest first. */
export const getOrders = (params: OrderListParams, signal?: AbortSignal) =>
  pageOf(client.GET('/orders', { params: { query: { size: 20, ...params } }, signal }));

export const getOrdersQueryOptions = (params: OrderListParams) =>
  queryOptions({
    queryKey: ['orders', 'list', params],
    queryFn: ({ signal }) => getOrders(params, signal),
    placeholderData: keepPreviousData,
  });

export const useOrders = (params: OrderListParams) => useQuery(getOrdersQueryOptions(params));

/** `GET /orders/seller`: orders containing the seller's products. */
export const getSellerOrders = (params: OrderListParams, signal?: AbortSignal) =>
  pageOf(client.GET('/orders/seller', { params: { query: { size: 20, ...params } }, signal }));

export const getSellerOrdersQueryOptions = (params: OrderListParams) =>
  queryOptions({
    queryKey: ['orders', 'seller', params],
    queryFn: ({ signal }) => getSellerOrders(params, signal),
    placeholderData: keepPreviousData,
  });

export const useSellerOrders = (params: OrderListParams) => useQuery(getSellerOrdersQueryOptions(params));
