import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { client, dataOf } from '@/lib/api-client';

/** `GET /payments/methods`: the buyer's saved cards, the default first. */
export const getPaymentMethods = (signal?: AbortSignal) => dataOf(client.GET('/payments/methods', { signal }));

export const getPaymentMethodsQueryOptions = () => queryOptions({ queryKey: ['payment-methods'], queryFn: ({ signal }) => getPaymentMethods(signal) });

export const usePaymentMethods = () => useQuery(getPaymentMethodsQueryOptions());

/** `POST /payments/methods/setup`: where the buyer enters the card (the provider's page). */
export const startCardSetup = () => dataOf(client.POST('/payments/methods/setup'));

/** `PUT /payments/methods/:id/default`. */
export const setDefaultPaymentMethod = (id: string) => dataOf(client.PUT('/payments/methods/{id}/default', { params: { path: { id } } }));

/** `DELETE /payments/methods/:id`: removing the default promotes the newest remaining card. */
export const deletePaymentMethod = (id: string) => dataOf(client.DELETE('/payments/methods/{id}', { params: { path: { id } } }));

// Both writes can move the default flag on other cards, so the list is refetched rather than patched.
function usePaymentMethodMutation<TData>(mutationFn: (id: string) => Promise<TData>) {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn, onSettled: () => queryClient.invalidateQueries({ queryKey: getPaymentMethodsQueryOptions().queryKey }) });
}

export const useSetDefaultPaymentMethod = () => usePaymentMethodMutation(setDefaultPaymentMethod);
export const useDeletePaymentMethod = () => usePaymentMethodMutation(deletePaymentMethod);
export const useStartCardSetup = () => useMutation({ mutationFn: startCardSetup });
