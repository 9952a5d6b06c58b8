import { useMutation, useQueryClient } from '@tanstack/react-query';

import { getProfileQueryOptions } from '@/features/profile/api/get-profile';
import { client, dataOf } from '@/lib/api-client';
import { useAuthStore } from '@/stores/auth-store';
import { toast } from '@/stores/toast-store';
import type { ProfileInput } from '@/types/api';

/** `PUT /users/profile`. */
export const updateProfile = (input: ProfileInput) => dataOf(client.PUT('/users/profile', { body: input }));

export function useUpdateProfile() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateProfile,
    meta: { errorToast: false },
    onSuccess: (profile) => {
      queryClient.setQueryData(getProfileQueryOptions().queryKey, (old) => ({ ...old, ...profile, addresses: old?.addresses ?? profile.addresses ?? [] }));
      // The header greets the user by the stored first name.
      const { user } = useAuthStore.getState();
      if (user) useAuthStore.setState({ user: { ...user, first_name: profile.first_name, last_name: profile.last_name } });
      toast.success('Profile saved.');
    },
  });
}
