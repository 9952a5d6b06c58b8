import { QueryClient } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import { createMemoryRouter, RouterProvider } from 'react-router';

import { AppProvider } from '@/app/provider';
import { appRoutes, discoverRoutes } from '@/app/router';

/** No retries and no caching between tests: a failure shows up at once and nothing leaks across tests. */
export function createTestQueryClient() {
  return new QueryClient({
    defaultOptions: { queries: { retry: false, gcTime: Infinity }, mutations: { retry: false } },
  });
}

/** Renders the real route tree (lazy pages included) at `url` in memory, with the app's providers. */
export function renderApp(url = '/') {
  const router = createMemoryRouter(appRoutes, { initialEntries: [url], patchRoutesOnNavigation: discoverRoutes });
  const queryClient = createTestQueryClient();
  const view = render(
    <AppProvider queryClient={queryClient} live={false}>
      <RouterProvider router={router} />
    </AppProvider>,
  );
  return { ...view, router, queryClient };
}
