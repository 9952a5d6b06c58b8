import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { toast } from '@/stores/toast-store';
import { client, dataOf } from '@/lib/api-client';
import type { PromotionInput, PromotionUpdate, TaxRateInput } from '@/types/api';

/** Whose promotions: the admin's (`/admin/promotions`, platform-funded) or the calling seller's (`/sellers/me/promotions`). */
export type PromotionOwner = 'admin' | 'seller';
const base = (owner: PromotionOwner) => (owner === 'admin' ? '/admin/promotions' : '/sellers/me/promotions');
const one = (owner: PromotionOwner) => (owner === 'admin' ? '/admin/promotions/{id}' : '/sellers/me/promotions/{id}');
const promotionsKey = (owner: PromotionOwner) => ['promotions', owner] as const;

export const usePromotions = (owner: PromotionOwner) =>
  useQuery(queryOptions({ queryKey: promotionsKey(owner), queryFn: ({ signal }) => dataOf(client.GET(base(owner), { signal })), staleTime: 0 }));

function usePromotionMutation<V>(owner: PromotionOwner, fn: (variables: V) => Promise<unknown>, success: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    meta: { errorToast: false },
    onSuccess: () => toast.success(success),
    onSettled: () => queryClient.invalidateQueries({ queryKey: promotionsKey(owner) }),
  });
}

export const useCreatePromotion = (owner: PromotionOwner) => usePromotionMutation(owner, (input: PromotionInput) => dataOf(client.POST(base(owner), { body: input })), 'Promotion created.');
export const useUpdatePromotion = (owner: PromotionOwner) =>
  usePromotionMutation(owner, ({ id, ...input }: { id: string } & PromotionUpdate) => dataOf(client.PATCH(one(owner), { params: { path: { id } }, body: input })), 'Promotion saved.');

// ── Tax rates (`/admin/tax-rates`) ───────────────────────────────────────────────────────────────────────────────
const taxKey = ['tax-rates'] as const;
export const useTaxRates = () => useQuery(queryOptions({ queryKey: taxKey, queryFn: ({ signal }) => dataOf(client.GET('/admin/tax-rates', { signal })), staleTime: 0 }));

function useTaxMutation<V>(fn: (variables: V) => Promise<unknown>, success: string) {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: fn, meta: { errorToast: false }, onSuccess: () => toast.success(success), onSettled: () => queryClient.invalidateQueries({ queryKey: taxKey }) });
}
export const useCreateTaxRate = () => useTaxMutation((input: TaxRateInput) => dataOf(client.POST('/admin/tax-rates', { body: input })), 'Tax rate added.');
export const useUpdateTaxRate = () => useTaxMutation(({ id, rate }: { id: string; rate: number }) => dataOf(client.PATCH('/admin/tax-rates/{id}', { params: { path: { id } }, body: { rate } })), 'Tax rate saved.');
export const useDeleteTaxRate = () => useTaxMutation((id: string) => dataOf(client.DELETE('/admin/tax-rates/{id}', { params: { path: { id } } })), 'Tax rate removed.');
