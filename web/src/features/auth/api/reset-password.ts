import { useMutation } from '@tanstack/react-query';

import { client, dataOf } from '@/lib/api-client';

/** `POST /auth/reset-password` with the emailed token; revokes every session of the user. */
export const resetPassword = (input: { email: string; token: string; password: string }) =>
  dataOf(client.POST('/auth/reset-password', { body: input }));

export function useResetPassword({ onSuccess }: { onSuccess?: () => void } = {}) {
  return useMutation({ mutationFn: resetPassword, meta: { errorToast: false }, onSuccess });
}
