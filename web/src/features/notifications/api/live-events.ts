import type { QueryClient } from '@tanstack/react-query';

import { getNotificationsQueryOptions, NOTIFICATION_LIST_SIZE } from '@/features/notifications/api/get-notifications';
import type { LiveEvent } from '@/lib/live';
import type { NotificationFeed } from '@/types/api';

type FeedItem = NotificationFeed['items'][number];

/** A new notification goes on top of the bell's list with the server's unread count; no request is made. */
export function applyNotificationLiveEvent(queryClient: QueryClient, event: LiveEvent): void {
  if (event.type !== 'notification.created') return;
  const { notification, unreadCount } = event.data as { notification: FeedItem; unreadCount: number };
  const { queryKey } = getNotificationsQueryOptions();
  const current = queryClient.getQueryData(queryKey);
  if (!current) {
    void queryClient.invalidateQueries({ queryKey });
    return;
  }
  if (current.items.some((item) => item.id === notification.id)) return;
  queryClient.setQueryData(queryKey, {
    unreadCount,
    items: [notification, ...current.items].slice(0, NOTIFICATION_LIST_SIZE),
  });
}
