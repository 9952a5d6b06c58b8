import { useMutation } from '@tanstack/react-query';

import { api } from '@/lib/api-client';
import type { MessageResponse } from '@/types/api';

/** `POST /auth/forgot-password`: always 200 (no account enumeration), 60 s cooldown. */
export const forgotPassword = (input: { email: string }) =>
  api.post<MessageResponse>('/auth/forgot-password', { body: input });

export function useForgotPassword({ onSuccess }: { onSuccess?: () => void } = {}) {
  return useMutation({ mutationFn: forgotPassword, meta: { errorToast: false }, onSuccess });
}
