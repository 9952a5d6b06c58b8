import { useState } from 'react';
import { createBrowserRouter, type RouteObject, RouterProvider } from 'react-router';

import { RouteErrorBoundary } from '@/components/errors/route-error-boundary';
import { RootLayout } from '@/components/layouts/root-layout';
import { PageLoading } from '@/components/ui/page-loading';

/**
 * The chrome is eager (every page needs it); each page is a lazy chunk exporting `Component`, so the first load
 * carries only the shell. Pages sit under a pathless route with its own error boundary, which keeps the header
 * and footer on screen when a page fails; the root boundary only catches a failure of the chrome itself.
 */
export const appRoutes: RouteObject[] = [
  {
    Component: RootLayout,
    ErrorBoundary: RouteErrorBoundary,
    HydrateFallback: PageLoading,
    children: [
      {
        ErrorBoundary: RouteErrorBoundary,
        children: [
          { index: true, lazy: () => import('@/app/routes/home') },
          { path: '*', lazy: () => import('@/app/routes/not-found') },
        ],
      },
    ],
  },
];

export function AppRouter() {
  const [router] = useState(() => createBrowserRouter(appRoutes));
  return <RouterProvider router={router} />;
}
