import { useMutation } from '@tanstack/react-query';

import { api } from '@/lib/api-client';
import type { MessageResponse } from '@/types/api';

/** `POST /auth/reset-password` with the emailed token; revokes every session of the user. */
export const resetPassword = (input: { email: string; token: string; password: string }) =>
  api.post<MessageResponse>('/auth/reset-password', { body: input });

export function useResetPassword({ onSuccess }: { onSuccess?: () => void } = {}) {
  return useMutation({ mutationFn: resetPassword, meta: { errorToast: false }, onSuccess });
}
