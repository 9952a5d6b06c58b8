import { useMutation, useQueryClient } from '@tanstack/react-query';

import { client, dataOf } from '@/lib/api-client';
import { useAuthStore } from '@/stores/auth-store';

/** `POST /auth/logout`: revokes every refresh token of the user server-side. */
export const logout = () => dataOf(client.POST('/auth/logout'));

/**
 * Ends the session locally whatever the server answers: a shopper who pressed "Log out" must not stay logged in
 * because the network dropped.
 */
export function useLogout({ onLoggedOut }: { onLoggedOut?: () => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: logout,
    meta: { errorToast: false },
    onSettled: () => {
      useAuthStore.getState().clearAuth();
      // Cached carts, orders and profiles belong to the user who just left.
      queryClient.clear();
      onLoggedOut?.();
    },
  });
}
