import type { RouteObject } from 'react-router';

/**
 * The operator console's route table, a lazy chunk of its own: the router adds it the first time a navigation
 * reaches `/admin` (`discoverRoutes` in the app router), so shopper routes download neither these paths nor the
 * console's guard, 403 page and pages. Logged-out visitors go to /login, any other role sees the 403 page.
 */
export const consoleRoutes: RouteObject[] = [
  {
    path: 'admin',
    lazy: () => import('@/app/routes/admin/guard'),
    children: [
      {
        lazy: () => import('@/app/routes/admin/layout'),
        children: [
          // Absolute paths: each console page reads (and is benchmarked) under its full URL.
          { path: '/admin/', lazy: () => import('@/app/routes/admin/overview') },
          { path: '/admin/orders', lazy: () => import('@/app/routes/admin/orders') },
          { path: '/admin/orders/:id', lazy: () => import('@/app/routes/admin/order') },
          { path: '/admin/dead-letters', lazy: () => import('@/app/routes/admin/dead-letters') },
          { path: '/admin/users', lazy: () => import('@/app/routes/admin/users') },
          { path: '/admin/catalog', lazy: () => import('@/app/routes/admin/catalog') },
          { path: '/admin/audit-log', lazy: () => import('@/app/routes/admin/audit-log') },
          { path: '/admin/promotions', lazy: () => import('@/app/routes/admin/promotions') },
          { path: '/admin/tax-rates', lazy: () => import('@/app/routes/admin/tax-rates') },
        ],
      },
    ],
  },
];
