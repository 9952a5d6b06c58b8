import { useMutation } from '@tanstack/react-query';

import { api } from '@/lib/api-client';
import { type AuthSession, useAuthStore } from '@/stores/auth-store';
import type { MessageResponse } from '@/types/api';

/** `POST /auth/verify-email` with the 6-digit code; a verified address is signed in (a session, as a login gives). */
export const verifyEmail = (input: { email: string; code: string }) =>
  api.post<AuthSession & MessageResponse>('/auth/verify-email', { body: input });

/** `POST /auth/resend-verification`: generic answer whatever the email; 60 s cooldown (429). */
export const resendVerification = (input: { email: string }) =>
  api.post<MessageResponse>('/auth/resend-verification', { body: input });

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
