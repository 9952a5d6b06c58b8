import { useMutation, useQueryClient } from '@tanstack/react-query';

import { getProfileQueryOptions } from '@/features/profile/api/get-profile';
import { client, dataOf } from '@/lib/api-client';
import type { AddressInput } from '@/types/api';

/** `POST /users/addresses`: the first address becomes the default. */
export const createAddress = (input: AddressInput) => dataOf(client.POST('/users/addresses', { body: input }));

/** `PUT /users/addresses/:id` (full replace). */
export const updateAddress = ({ id, input }: { id: string; input: AddressInput }) =>
  dataOf(client.PUT('/users/addresses/{id}', { params: { path: { id } }, body: input }));

/** `DELETE /users/addresses/:id`: deleting the default promotes the newest remaining one. */
export const deleteAddress = (id: string) => dataOf(client.DELETE('/users/addresses/{id}', { params: { path: { id } } }));

/** `PUT /users/addresses/:id/default`. */
export const setDefaultAddress = (id: string) => dataOf(client.PUT('/users/addresses/{id}/default', { params: { path: { id } } }));

// Address writes can move the default flag on other rows, so the profile is refetched rather than patched.
function useAddressMutation<TInput, TData>(mutationFn: (input: TInput) => Promise<TData>, options: { formErrors?: boolean } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn,
    meta: options.formErrors ? { errorToast: false } : undefined,
    onSettled: () => queryClient.invalidateQueries({ queryKey: getProfileQueryOptions().queryKey }),
  });
}

export const useCreateAddress = () => useAddressMutation(createAddress, { formErrors: true });
export const useUpdateAddress = () => useAddressMutation(updateAddress, { formErrors: true });
export const useDeleteAddress = () => useAddressMutation(deleteAddress);
export const useSetDefaultAddress = () => useAddressMutation(setDefaultAddress);
