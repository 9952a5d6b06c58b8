import { queryOptions, useQuery } from '@tanstack/react-query';

import { client, dataOf } from '@/lib/api-client';

/** `GET /orders/:id` (buyer) or `GET /orders/seller/:id` (the order's seller). */
export const getOrder = (id: string, as: 'buyer' | 'seller', signal?: AbortSignal) =>
  dataOf(client.GET(as === 'seller' ? '/orders/seller/{id}' : '/orders/{id}', { params: { path: { id } }, signal }));

export const getOrderQueryOptions = (id: string, as: 'buyer' | 'seller' = 'buyer') =>
  queryOptions({ queryKey: ['orders', 'detail', as, id], queryFn: ({ signal }) => getOrder(id, as, signal) });

export const useOrder = (id: string, as: 'buyer' | 'seller' = 'buyer') => useQuery(getOrderQueryOptions(id, as));

/** `GET /orders/:id/history`: status changes, oldest first. */
export const getOrderHistory = (id: string, signal?: AbortSignal) =>
  dataOf(client.GET('/orders/{id}/history', { params: { path: { id } }, signal }));

export const getOrderHistoryQueryOptions = (id: string) =>
  queryOptions({ queryKey: ['orders', 'history', id], queryFn: ({ signal }) => getOrderHistory(id, signal) });

export const useOrderHistory = (id: string) => useQuery(getOrderHistoryQueryOptions(id));
