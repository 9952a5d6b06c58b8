import { queryOptions, useQuery } from '@tanstack/react-query';

import { client, dataOf, isApiError } from '@/lib/api-client';
import { useIsLive } from '@/stores/live-store';
import type { Payment } from '@/types/api';

const POLL_MS = 2_000;

/** `GET /payments/order/:orderId`: 404 until the payment saga has created the row, so 404 → null. */
export async function getOrderPayment(orderId: string, signal?: AbortSignal): Promise<Payment | null> {
  try {
    return await dataOf(client.GET('/payments/order/{orderId}', { params: { path: { orderId } }, signal }));
  } catch (error) {
    if (isApiError(error) && error.status === 404) return null;
    throw error;
  }
}

const isSettled = (payment: Payment | null | undefined) =>
  payment?.status === 'COMPLETED' || payment?.status === 'FAILED' || payment?.status === 'REFUNDED';

export const getOrderPaymentQueryOptions = (orderId: string) =>
  queryOptions({
    queryKey: ['payments', 'order', orderId],
    queryFn: ({ signal }) => getOrderPayment(orderId, signal),
    staleTime: 0,
  });

/**
 * Polls every 2 s until the payment is COMPLETED or FAILED, then stops on its own; `stop` ends it early. While the
 * live socket is healthy it does not poll: every change of a payment, from its creation on, comes as a `payment.updated`
 * event written into the cache. `enabled: false` asks nothing (yet).
 */
export function useOrderPayment(orderId: string, { stop = false, enabled = true } = {}) {
  const isLive = useIsLive();
  return useQuery({
    ...getOrderPaymentQueryOptions(orderId),
    enabled,
    refetchInterval: (query) => (stop || isSettled(query.state.data) || isLive ? false : POLL_MS),
    // A transient failure keeps polling rather than ending on an error screen.
    retry: 3,
  });
}
