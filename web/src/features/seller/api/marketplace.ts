import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { api } from '@/lib/api-client';
import { toast } from '@/stores/toast-store';
import type { LedgerEntry, SellerBalance, ShippingOption, ShippingOptionInput } from '@/types/api';

// ── Shipping options (`/sellers/me/shipping-options`) ───────────────────────────────────────────────────────────────
const ownOptionsKey = ['seller', 'shipping-options'] as const;

export const useMyShippingOptions = () =>
  useQuery(queryOptions({ queryKey: ownOptionsKey, queryFn: ({ signal }) => api.get<ShippingOption[]>('/sellers/me/shipping-options', { signal }) }));

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

export const useCreateShippingOption = () => useShippingMutation((input: ShippingOptionInput) => api.post<ShippingOption>('/sellers/me/shipping-options', { body: input }), 'Shipping option added.');
export const useUpdateShippingOption = () =>
  useShippingMutation(({ id, ...input }: { id: string } & Partial<ShippingOptionInput>) => api.put<ShippingOption>(`/sellers/me/shipping-options/${id}`, { body: input }), 'Shipping option saved.');
export const useDeleteShippingOption = () => useShippingMutation((id: string) => api.delete(`/sellers/me/shipping-options/${id}`), 'Shipping option deleted.');

// ── Earnings (`/sellers/me/balance`, `/sellers/me/ledger`) ───────────────────────────────────────────────────────
export const useMyBalance = () => useQuery(queryOptions({ queryKey: ['seller', 'balance'], queryFn: ({ signal }) => api.get<SellerBalance>('/sellers/me/balance', { signal }), staleTime: 0 }));

export const useMyLedger = (page: number) =>
  useQuery(
    queryOptions({
      queryKey: ['seller', 'ledger', page],
      queryFn: ({ signal }) => api.getPage<LedgerEntry>('/sellers/me/ledger', { query: { page, size: 20 }, signal }),
      placeholderData: keepPreviousData,
      staleTime: 0,
    }),
  );
