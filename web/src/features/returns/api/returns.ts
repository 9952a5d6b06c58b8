import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { client, dataOf, pageOf } from '@/lib/api-client';
import { toast } from '@/stores/toast-store';
import type { CreateReturnInput, Return, ReturnListQuery, ReturnPolicy } from '@/types/api';

// Under the `orders` key: an order shows its returns, so one invalidation refreshes both.

/** `GET /orders/:id/returns`: the order's returns with lines and history (buyer, seller or admin). */
export const getOrderReturnsQueryOptions = (orderId: string) =>
  queryOptions({ queryKey: ['orders', 'returns', orderId], queryFn: ({ signal }) => dataOf(client.GET('/orders/{id}/returns', { params: { path: { id: orderId } }, signal })) });

export const useOrderReturns = (orderId: string) => useQuery(getOrderReturnsQueryOptions(orderId));

type ReturnListParams = Required<Pick<ReturnListQuery, 'page'>> & Pick<ReturnListQuery, 'status'>;

/** `GET /returns/seller`: returns of the seller's orders, newest first. */
export const getSellerReturnsQueryOptions = (params: ReturnListParams) =>
  queryOptions({
    queryKey: ['orders', 'seller-returns', params],
    queryFn: ({ signal }) => pageOf(client.GET('/returns/seller', { params: { query: { size: 20, ...params } }, signal })),
    placeholderData: keepPreviousData,
  });

export const useSellerReturns = (params: ReturnListParams) => useQuery(getSellerReturnsQueryOptions(params));

export type ReturnAction =
  | { action: 'request'; orderId: string; body: CreateReturnInput }
  | { action: 'approve' | 'reject'; id: string; note?: string }
  | { action: 'sent'; id: string }
  | { action: 'received'; id: string; restock: boolean };

const DONE: Record<ReturnAction['action'], string> = {
  request: 'Return requested. The seller will answer soon.',
  approve: 'Return approved; the buyer can send the items back.',
  reject: 'Return rejected.',
  sent: 'Marked as sent. You are refunded once the seller receives it.',
  received: 'Return received and refunded.',
};

const callReturnAction = (input: ReturnAction) => {
  switch (input.action) {
    case 'request':
      return dataOf(client.POST('/orders/{id}/returns', { params: { path: { id: input.orderId } }, body: input.body }));
    case 'approve':
    case 'reject':
      return dataOf(client.POST(`/returns/{id}/${input.action}`, { params: { path: { id: input.id } }, body: input.note ? { note: input.note } : {} }));
    case 'sent':
      return dataOf(client.POST('/returns/{id}/sent', { params: { path: { id: input.id } } }));
    case 'received':
      return dataOf(client.POST('/returns/{id}/received', { params: { path: { id: input.id } }, body: { restock: input.restock } }));
  }
};

/** Every step of a return (request, approve/reject, sent, received); refreshes the order and its returns. */
export function useReturnAction({ onSuccess }: { onSuccess?: (result: Return) => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: callReturnAction,
    onSuccess: (result, input) => {
      toast.success(DONE[input.action]);
      onSuccess?.(result);
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['orders'] }),
  });
}

/** `GET /sellers/me/return-policy`: how many days after delivery the seller's buyers may ask to return. */
export const returnPolicyQueryOptions = () =>
  queryOptions({ queryKey: ['return-policy'], queryFn: ({ signal }) => dataOf(client.GET('/sellers/me/return-policy', { signal })) });

export const useReturnPolicy = () => useQuery(returnPolicyQueryOptions());

/** `PUT /sellers/me/return-policy`. */
export function useSetReturnPolicy() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (policy: ReturnPolicy) => dataOf(client.PUT('/sellers/me/return-policy', { body: policy })),
    onSuccess: (policy) => {
      queryClient.setQueryData(['return-policy'], policy);
      toast.success(`Buyers may now return items for ${policy.returnWindowDays} days after delivery.`);
    },
  });
}
