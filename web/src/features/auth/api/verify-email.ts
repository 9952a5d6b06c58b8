import { useMutation } from '@tanstack/react-query';

import { client, dataOf } from '@/lib/api-client';
import { type AuthSession, useAuthStore } from '@/stores/auth-store';

/** `POST /auth/verify-email` with the 6-digit code; a verified address is signed in (a session, as a login gives). */
export const verifyEmail = (input: { email: string; code: string }) =>
  dataOf(client.POST('/auth/verify-email', { body: input }));

/** `POST /auth/resend-verification`: generic answer whatever the email; 60 s cooldown (429). */
export const resendVerification = (input: { email: string }) =>
  dataOf(client.POST('/auth/resend-verification', { body: input }));

export function useVerifyEmail({ onSuccess }: { onSuccess?: (session: AuthSession) => void } = {}) {
  return useMutation({
    mutationFn: verifyEmail,
    meta: { errorToast: false },
    onSuccess: (session) => {
      useAuthStore.getState().setSession(session);
      onSuccess?.(session);
    },
  });
}

export function useResendVerification({ onSuccess }: { onSuccess?: () => void } = {}) {
  return useMutation({ mutationFn: resendVerification, onSuccess });
}
