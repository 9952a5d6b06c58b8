import { useMutation } from '@tanstack/react-query';

import { client, dataOf } from '@/lib/api-client';

/** `POST /auth/forgot-password`: always 200 (no account enumeration), 60 s cooldown. */
export const forgotPassword = (input: { email: string }) =>
  dataOf(client.POST('/auth/forgot-password', { body: input }));

export function useForgotPassword({ onSuccess }: { onSuccess?: () => void } = {}) {
  return useMutation({ mutationFn: forgotPassword, meta: { errorToast: false }, onSuccess });
}
