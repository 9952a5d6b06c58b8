import { queryOptions, useMutation, useQueries, useQuery } from '@tanstack/react-query';

import { admissionHeaders, forgetAdmissions } from '@/lib/admissions';
import { client, dataOf } from '@/lib/api-client';
import type { Checkout, CreateCheckoutInput } from '@/types/api';

const POLL_MS = 2_000;

/**
 * `POST /checkouts` with an `Idempotency-Key`: the whole cart in one checkout (one order per seller, one payment).
 * A retried submit replays the first answer instead of placing a second checkout.
 */
export async function createCheckout({ input, idempotencyKey }: { input: CreateCheckoutInput; idempotencyKey: string }) {
  const checkout = await dataOf(client.POST('/checkouts', { body: input, headers: { 'Idempotency-Key': idempotencyKey, ...admissionHeaders() } }));
  // The launched products' admissions it carried are used now (the whole cart's when no lines were named).
  forgetAdmissions(input.items?.map((item) => item.productId));
  return checkout;
}

export function useCreateCheckout({ onSuccess }: { onSuccess?: (checkout: Checkout) => void } = {}) {
  return useMutation({ mutationFn: createCheckout, meta: { errorToast: false }, onSuccess });
}

/** Settled: the payment has an outcome and no order waits for it any more. */
export const isCheckoutSettled = (checkout: Checkout | undefined) =>
  !!checkout &&
  (checkout.payment?.status === 'COMPLETED' || checkout.payment?.status === 'FAILED' || checkout.payment?.status === 'REFUNDED' || checkout.status === 'CANCELLED') &&
  checkout.orders.every((order) => order.status !== 'PENDING');

export const getCheckoutQueryOptions = (id: string) =>
  queryOptions({
    queryKey: ['orders', 'checkout', id],
    queryFn: ({ signal }) => dataOf(client.GET('/checkouts/{id}', { params: { path: { id } }, signal })),
    staleTime: 0,
  });

/** `GET /checkouts/:id`, polled every 2 s until the payment and every order are settled (`stop` ends it early). */
export function useCheckout(id: string, { stop = false } = {}) {
  return useQuery({
    ...getCheckoutQueryOptions(id),
    refetchInterval: (query) => (stop || isCheckoutSettled(query.state.data) ? false : POLL_MS),
    retry: 3,
  });
}

export const getShippingOptionsQueryOptions = (sellerId: string) =>
  queryOptions({
    queryKey: ['shipping-options', sellerId],
    queryFn: ({ signal }) => dataOf(client.GET('/shipping-options', { params: { query: { sellerId } }, signal })),
    staleTime: 60_000,
  });

/** Each seller's active shipping options (the platform default for a seller without any), one query per seller. */
export function useShippingOptionsOf(sellerIds: string[]) {
  return useQueries({
    queries: sellerIds.map((sellerId) => getShippingOptionsQueryOptions(sellerId)),
    combine: (results) => ({
      bySeller: new Map(sellerIds.map((sellerId, i) => [sellerId, results[i]?.data] as const)),
      isPending: results.some((r) => r.isPending),
      error: results.find((r) => r.error)?.error ?? null,
      refetch: () => results.forEach((r) => void r.refetch()),
    }),
  });
}
