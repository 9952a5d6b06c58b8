import { type Query, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';

import { applyLaunchLiveEvent } from '@/features/launches/api/live-events';
import { applyNotificationLiveEvent } from '@/features/notifications/api/live-events';
import { applyOrderLiveEvent } from '@/features/orders/api/live-events';
import { startLive } from '@/lib/live';
import { useIsAuthenticated } from '@/stores/auth-store';

const LIVE_ROOTS = new Set(['orders', 'payments', 'notifications', 'launches']);

/**
 * Holds this tab's live socket while signed in and routes its events into the query cache. After each
 * (re)connection, order, payment and notification data fetched before the socket listened is refetched once.
 */
export function LiveSync() {
  const queryClient = useQueryClient();
  const isAuthenticated = useIsAuthenticated();

  useEffect(() => {
    if (!isAuthenticated) return;
    return startLive({
      onEvent: (event) => {
        void applyOrderLiveEvent(queryClient, event);
        void applyLaunchLiveEvent(queryClient, event);
        applyNotificationLiveEvent(queryClient, event);
      },
      onConnected: () => {
        const listeningSince = Date.now();
        void queryClient.invalidateQueries({
          predicate: (query: Query) => LIVE_ROOTS.has(String(query.queryKey[0])) && query.state.dataUpdatedAt < listeningSince,
        });
      },
    });
  }, [isAuthenticated, queryClient]);

  return null;
}
