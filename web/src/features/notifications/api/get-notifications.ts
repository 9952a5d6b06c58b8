import { queryOptions, useQuery } from '@tanstack/react-query';

import { client, dataOf } from '@/lib/api-client';
import { useIsAuthenticated } from '@/stores/auth-store';
import { useIsLive } from '@/stores/live-store';

export const NOTIFICATIONS_POLL_MS = 30_000;
/** The API answers the 20 newest. */
export const NOTIFICATION_LIST_SIZE = 20;

/** `GET /orders/notifications`: unread count + the 20 newest. */
export const getNotifications = (signal?: AbortSignal) => dataOf(client.GET('/orders/notifications', { signal }));

export const getNotificationsQueryOptions = () =>
  queryOptions({ queryKey: ['notifications'], queryFn: ({ signal }) => getNotifications(signal) });

/**
 * Polled every 30 s while logged in and the live socket is down; while it is up, events update the
 * cache instead. A hidden tab pauses polling (TanStack default).
 */
export function useNotifications() {
  const isAuthenticated = useIsAuthenticated();
  const isLive = useIsLive();
  return useQuery({
    ...getNotificationsQueryOptions(),
    enabled: isAuthenticated,
    refetchInterval: isLive ? false : NOTIFICATIONS_POLL_MS,
    // A failed poll is not worth a toast every 30 s; the bell just keeps its last count.
    meta: { errorToast: false },
  });
}
