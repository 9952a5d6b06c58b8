import { useMutation, useQueryClient } from '@tanstack/react-query';

import { getNotificationsQueryOptions } from '@/features/notifications/api/get-notifications';
import { client, dataOf } from '@/lib/api-client';

/** `PUT /orders/notifications/mark-read`: every notification of the caller. */
export const markAllNotificationsRead = () => dataOf(client.PUT('/orders/notifications/mark-read'));

/** `PUT /orders/notifications/:id/read`. */
export const markNotificationRead = (id: string) => dataOf(client.PUT('/orders/notifications/{id}/read', { params: { path: { id } } }));

function useNotificationMutation<T>(mutationFn: (input: T) => Promise<unknown>, apply: (id: T) => (n: { id: string; isRead: boolean }) => boolean) {
  const queryClient = useQueryClient();
  const { queryKey } = getNotificationsQueryOptions();
  return useMutation({
    mutationFn,
    onMutate: async (input: T) => {
      await queryClient.cancelQueries({ queryKey });
      const previous = queryClient.getQueryData(queryKey);
      if (previous) {
        const shouldRead = apply(input);
        const items = previous.items.map((n) => (shouldRead(n) ? { ...n, isRead: true } : n));
        const cleared = previous.items.filter((n) => !n.isRead && shouldRead(n)).length;
        queryClient.setQueryData(queryKey, { items, unreadCount: Math.max(0, previous.unreadCount - cleared) });
      }
      return { previous };
    },
    onError: (_error, _input, context) => {
      if (context?.previous) queryClient.setQueryData(queryKey, context.previous);
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey }),
  });
}

export const useMarkAllNotificationsRead = () =>
  useNotificationMutation<void>(markAllNotificationsRead, () => () => true);

export const useMarkNotificationRead = () =>
  useNotificationMutation<string>(markNotificationRead, (id) => (n) => n.id === id);
