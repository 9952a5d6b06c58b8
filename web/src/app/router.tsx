import { useState } from 'react';
import { createBrowserRouter, Navigate, type PatchRoutesOnNavigationFunction, type RouteObject, RouterProvider } from 'react-router';

import { RouteErrorBoundary } from '@/components/errors/route-error-boundary';
import { RootLayout } from '@/components/layouts/root-layout';
import { SellerLayout } from '@/components/layouts/seller-layout';
import { PageLoading } from '@/components/ui/page-loading';
import { RequireShopper } from '@/features/auth/components/require-shopper';
import { RequireAuth, RequireSeller } from '@/features/auth/components/route-guards';

/**
 * The chrome is eager (every page needs it); each page is a lazy chunk exporting `Component`, so the first load
 * carries only the shell. Pages sit under a pathless route with its own error boundary, which keeps the header
 * and footer on screen when a page fails; the root boundary only catches a failure of the chrome itself.
 * Guards are pathless layout routes: signed-in pages under `RequireAuth` (cart and checkout also under
 * `RequireShopper`), the seller portal under `RequireSeller`. The operator console (its route table, its
 * `RequireAdmin` guard with the 403 page, its pages) is discovered lazily (`discoverRoutes`).
 */
const PAGES_ROUTE_ID = 'pages';

export const appRoutes: RouteObject[] = [
  {
    Component: RootLayout,
    ErrorBoundary: RouteErrorBoundary,
    HydrateFallback: PageLoading,
    children: [
      {
        id: PAGES_ROUTE_ID,
        ErrorBoundary: RouteErrorBoundary,
        children: [
          { index: true, lazy: () => import('@/app/routes/home') },
          { path: 'products', lazy: () => import('@/app/routes/catalog/products') },
          { path: 'products/:id', lazy: () => import('@/app/routes/catalog/product') },
          { path: 'categories', lazy: () => import('@/app/routes/catalog/categories') },
          { path: 'categories/:slug', lazy: () => import('@/app/routes/catalog/category') },
          { path: 'sellers/:id', lazy: () => import('@/app/routes/catalog/seller') },
          { path: 'login', lazy: () => import('@/app/routes/auth/login') },
          { path: 'register', lazy: () => import('@/app/routes/auth/register') },
          { path: 'verify-email', lazy: () => import('@/app/routes/auth/verify-email') },
          { path: 'forgot-password', lazy: () => import('@/app/routes/auth/forgot-password') },
          { path: 'reset-password', lazy: () => import('@/app/routes/auth/reset-password') },
          {
            Component: RequireAuth,
            children: [
              {
                Component: RequireShopper,
                children: [
                  { path: 'cart', lazy: () => import('@/app/routes/shop/cart') },
                  { path: 'checkout', lazy: () => import('@/app/routes/shop/checkout') },
                  { path: 'launch/:productId', lazy: () => import('@/app/routes/shop/launch') },
                ],
              },
              { path: 'orders', lazy: () => import('@/app/routes/shop/orders') },
              { path: 'orders/:id', lazy: () => import('@/app/routes/shop/order') },
              { path: 'orders/:id/confirmation', lazy: () => import('@/app/routes/shop/order-confirmation') },
              { path: 'checkouts/:id/confirmation', lazy: () => import('@/app/routes/shop/checkout-confirmation') },
              { path: 'profile', lazy: () => import('@/app/routes/shop/profile') },
              // The provider's card forms: full page loads under /checkout/ only (web/public/_headers admits its origins there).
              { path: 'checkout/pay/:orderId', lazy: () => import('@/app/routes/shop/checkout-pay') },
              { path: 'checkout/cards/new', lazy: () => import('@/app/routes/shop/checkout-card') },
            ],
          },
          {
            Component: RequireSeller,
            children: [
              { path: 'seller', element: <Navigate to="/seller/products" replace /> },
              {
                Component: SellerLayout,
                children: [
                  { path: 'seller/products', lazy: () => import('@/app/routes/seller/products') },
                  { path: 'seller/products/new', lazy: () => import('@/app/routes/seller/product-new') },
                  { path: 'seller/products/:id/edit', lazy: () => import('@/app/routes/seller/product-edit') },
                  { path: 'seller/orders', lazy: () => import('@/app/routes/seller/orders') },
                  { path: 'seller/orders/:id', lazy: () => import('@/app/routes/seller/order') },
                  { path: 'seller/returns', lazy: () => import('@/app/routes/seller/returns') },
                  { path: 'seller/shipping', lazy: () => import('@/app/routes/seller/shipping') },
                  { path: 'seller/earnings', lazy: () => import('@/app/routes/seller/earnings') },
                  { path: 'seller/promotions', lazy: () => import('@/app/routes/seller/promotions') },
                ],
              },
            ],
          },
          { path: '*', lazy: () => import('@/app/routes/not-found') },
        ],
      },
    ],
  },
];

/**
 * Lazy route discovery: the operator console's route table is itself a lazy chunk, added to the tree the first time
 * a navigation reaches `/admin`, so shopper routes download not even the console's paths.
 */
export const discoverRoutes: PatchRoutesOnNavigationFunction = async ({ path, patch }) => {
  if (!/^\/admin(\/|$)/.test(path)) return;
  const { consoleRoutes } = await import('@/app/routes/admin/routes');
  patch(PAGES_ROUTE_ID, consoleRoutes);
};

export function AppRouter() {
  const [router] = useState(() => createBrowserRouter(appRoutes, { patchRoutesOnNavigation: discoverRoutes }));
  return <RouterProvider router={router} />;
}
