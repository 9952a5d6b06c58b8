import { useMutation } from '@tanstack/react-query';

import { admissionHeaders, forgetAdmissions } from '@/lib/admissions';
import { client, dataOf } from '@/lib/api-client';
import type { CreateOrderInput, Order } from '@/types/api';

/**
 * `POST /orders` with an `Idempotency-Key`: a retried submit (double click, timeout) replays the first
 * answer instead of placing a second order.
 */
export async function createOrder({ input, idempotencyKey }: { input: CreateOrderInput; idempotencyKey: string }) {
  const order = await dataOf(client.POST('/orders', { body: input, headers: { 'Idempotency-Key': idempotencyKey, ...admissionHeaders() } }));
  // The launched products' admissions it carried are used now.
  forgetAdmissions(input.items.map((item) => item.productId));
  return order;
}

export function useCreateOrder({ onSuccess }: { onSuccess?: (order: Order) => void } = {}) {
  return useMutation({ mutationFn: createOrder, meta: { errorToast: false }, onSuccess });
}
