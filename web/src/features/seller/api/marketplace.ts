import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { client, dataOf, pageOf } from '@/lib/api-client';
import { toast } from '@/stores/toast-store';
import type { ShippingOptionInput } from '@/types/api';

// ── Shipping options (`/sellers/me/shipping-options`) ───────────────────────────────────────────────────────────────
const ownOptionsKey = ['seller', 'shipping-options'] as const;

export const useMyShippingOptions = () =>
  useQuery(queryOptions({ queryKey: ownOptionsKey, queryFn: ({ signal }) => dataOf(client.GET('/sellers/me/shipping-options', { signal })) }));

function useShippingMutation<V>(fn: (variables: V) => Promise<unknown>, success: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => toast.success(success),
    onSettled: async () => {
      await queryClient.invalidateQueries({ queryKey: ownOptionsKey });
      await queryClient.invalidateQueries({ queryKey: ['shipping-options'] });
    },
  });
}

export const useCreateShippingOption = () => useShippingMutation((input: ShippingOptionInput) => dataOf(client.POST('/sellers/me/shipping-options', { body: input })), 'Shipping option added.');
export const useUpdateShippingOption = () =>
  useShippingMutation(({ id, ...input }: { id: string } & Partial<ShippingOptionInput>) => dataOf(client.PUT('/sellers/me/shipping-options/{id}', { params: { path: { id } }, body: input })), 'Shipping option saved.');
export const useDeleteShippingOption = () => useShippingMutation((id: string) => dataOf(client.DELETE('/sellers/me/shipping-options/{id}', { params: { path: { id } } })), 'Shipping option deleted.');

// ── Earnings (`/sellers/me/balance`, `/sellers/me/ledger`) ───────────────────────────────────────────────────────
export const useMyBalance = () => useQuery(queryOptions({ queryKey: ['seller', 'balance'], queryFn: ({ signal }) => dataOf(client.GET('/sellers/me/balance', { signal })), staleTime: 0 }));

export const useMyLedger = (page: number) =>
  useQuery(
    queryOptions({
      queryKey: ['seller', 'ledger', page],
      queryFn: ({ signal }) => pageOf(client.GET('/sellers/me/ledger', { params: { query: { page, size: 20 } }, signal })),
      placeholderData: keepPreviousData,
      staleTime: 0,
    }),
  );
