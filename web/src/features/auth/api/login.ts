import { useMutation } from '@tanstack/react-query';

import { client, dataOf } from '@/lib/api-client';
import { type AuthSession, useAuthStore } from '@/stores/auth-store';
import type { LoginInput } from '@/types/api';

/** `POST /auth/login`. */
export const login = (input: LoginInput) => dataOf(client.POST('/auth/login', { body: input }));

/** Logs in and stores the session (access token in memory, refresh token + user persisted). */
export function useLogin({ onSuccess }: { onSuccess?: (session: AuthSession) => void } = {}) {
  return useMutation({
    mutationFn: login,
    // The form shows credential errors inline; a toast would say the same thing twice.
    meta: { errorToast: false },
    onSuccess: (session) => {
      useAuthStore.getState().setSession(session);
      onSuccess?.(session);
    },
  });
}
