import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { saveAdmission } from '@/lib/admissions';
import { client, dataOf, isApiError } from '@/lib/api-client';
import type { LaunchInput, WaitingRoomTicket } from '@/types/api';

/** While waiting, the page asks for its place every 2 s (docs/decisions/flash-sales.md says why not the live socket). */
export const TICKET_POLL_MS = 2_000;

export const getLaunchQueryOptions = (productId: number) =>
  queryOptions({
    queryKey: ['launches', productId],
    queryFn: ({ signal }) => dataOf(client.GET('/products/{id}/launch', { params: { path: { id: productId } }, signal })),
  });

/** `GET /products/{id}/launch`: the launch under way, or null. */
export const useLaunch = (productId: number, options: { enabled?: boolean } = {}) => useQuery({ ...getLaunchQueryOptions(productId), ...options });

const ticketKey = (productId: number) => ['launches', productId, 'ticket'] as const;

/** Keeps an admission the ticket carries for the checkout to send. */
function remember(ticket: WaitingRoomTicket): WaitingRoomTicket {
  if (ticket.admission) saveAdmission({ productId: ticket.productId, token: ticket.admission.token, expiresAt: ticket.admission.expiresAt });
  return ticket;
}

/**
 * The caller's place (`GET …/waiting-room/ticket`); a 404 before joining is `null`. Polled while waiting; an
 * admission it carries is stored for the checkout.
 */
export function useTicket(productId: number) {
  return useQuery({
    queryKey: ticketKey(productId),
    queryFn: async ({ signal }) => {
      try {
        return remember(await dataOf(client.GET('/products/{id}/waiting-room/ticket', { params: { path: { id: productId } }, signal })));
      } catch (error) {
        if (isApiError(error) && error.status === 404) return null;
        throw error;
      }
    },
    refetchInterval: (query) => (query.state.data?.state === 'waiting' ? TICKET_POLL_MS : false),
    meta: { errorToast: false },
  });
}

/** `POST …/waiting-room/ticket`: joins the line, or answers the place already held. */
export function useJoinLine(productId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (turnstileToken?: string) =>
      dataOf(client.POST('/products/{id}/waiting-room/ticket', { params: { path: { id: productId } }, body: turnstileToken ? { turnstileToken } : {} })),
    meta: { errorToast: false },
    onSuccess: (ticket) => queryClient.setQueryData(ticketKey(productId), remember(ticket)),
  });
}

/** The seller's launch control: `PUT` (create or change) and `DELETE` (end now). */
export function useLaunchWrites(productId: number) {
  const queryClient = useQueryClient();
  const onSuccess = () => queryClient.invalidateQueries({ queryKey: ['launches', productId] });
  return {
    save: useMutation({ mutationFn: (input: LaunchInput) => dataOf(client.PUT('/products/{id}/launch', { params: { path: { id: productId } }, body: input })), onSuccess }),
    end: useMutation({ mutationFn: () => dataOf(client.DELETE('/products/{id}/launch', { params: { path: { id: productId } } })), onSuccess }),
  };
}
