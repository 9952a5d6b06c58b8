import { useMutation } from '@tanstack/react-query';

import { client, dataOf } from '@/lib/api-client';
import type { RegisteredUser, RegisterInput } from '@/types/api';

/** `POST /auth/register`: creates an unverified customer and emails a 6-digit code; no tokens. */
export const register = (input: RegisterInput) => dataOf(client.POST('/auth/register', { body: input }));

export function useRegister({ onSuccess }: { onSuccess?: (user: RegisteredUser) => void } = {}) {
  return useMutation({ mutationFn: register, meta: { errorToast: false }, onSuccess });
}
