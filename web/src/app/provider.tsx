import { type QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { type ReactNode, useEffect, useState } from 'react';

import { LiveSync } from '@/app/live-sync';
import { Toaster } from '@/components/ui/toaster';
import { onSessionExpired } from '@/lib/api-client';
import { LiveEnabledContext } from '@/lib/live';
import { createQueryClient } from '@/lib/react-query';
import { syncTheme } from '@/stores/theme-store';
import { toast } from '@/stores/toast-store';

interface AppProviderProps {
  children: ReactNode;
  /** Tests pass their own client so cached data never leaks between them. */
  queryClient?: QueryClient;
  /** Live updates over a WebSocket while signed in; tests of single pages turn them off. */
  live?: boolean;
}

/** App-wide providers and side effects; the router is a child so error pages still get toasts and the theme. */
export function AppProvider({ children, queryClient, live = true }: AppProviderProps) {
  const [client] = useState(() => queryClient ?? createQueryClient());

  useEffect(() => syncTheme(), []);

  useEffect(
    () =>
      onSessionExpired(() => {
        // Protected pages redirect to /login on their own once the user is gone; the toast says why.
        client.clear();
        toast.info('Your session has expired. Please log in again.');
      }),
    [client],
  );

  return (
    <QueryClientProvider client={client}>
      <LiveEnabledContext value={live}>
        {live ? <LiveSync /> : null}
        {children}
        <Toaster />
      </LiveEnabledContext>
    </QueryClientProvider>
  );
}
