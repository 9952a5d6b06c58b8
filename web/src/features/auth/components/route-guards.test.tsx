import { cleanup, render, screen } from '@testing-library/react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { RequireAuth, RequireSeller, safeNextPath } from '@/features/auth/components/route-guards';
import { useAuthStore } from '@/stores/auth-store';
import { logInAs } from '@/testing/session';

function renderAt(url: string) {
  const router = createMemoryRouter(
    [
      { index: true, element: <h1>Home</h1> },
      { path: 'login', element: <h1>Login</h1> },
      { Component: RequireAuth, children: [{ path: 'orders', element: <h1>Orders</h1> }] },
      { Component: RequireSeller, children: [{ path: 'seller/products', element: <h1>My products</h1> }] },
    ],
    { initialEntries: [url] },
  );
  render(<RouterProvider router={router} />);
  return router;
}

beforeEach(() => {
  localStorage.clear();
  useAuthStore.getState().clearAuth();
});
afterEach(cleanup);

describe('route guards', () => {
  it('sends a logged-out visitor of a protected page to /login with the page as next', async () => {
    const router = renderAt('/orders?page=3');
    expect(await screen.findByRole('heading', { name: 'Login' })).toBeTruthy();
    expect(router.state.location.search).toBe(`?next=${encodeURIComponent('/orders?page=3')}`);
  });

  it('lets a logged-in user in (also after a reload, with only the refresh token)', async () => {
    logInAs('customer');
    useAuthStore.setState({ accessToken: null });
    renderAt('/orders');
    expect(await screen.findByRole('heading', { name: 'Orders' })).toBeTruthy();
  });

  it('sends a logged-out visitor of the seller portal to /login', async () => {
    const router = renderAt('/seller/products');
    expect(await screen.findByRole('heading', { name: 'Login' })).toBeTruthy();
    expect(router.state.location.search).toBe(`?next=${encodeURIComponent('/seller/products')}`);
  });

  it('sends a customer away from the seller portal to the home page', async () => {
    logInAs('customer');
    const router = renderAt('/seller/products');
    expect(await screen.findByRole('heading', { name: 'Home' })).toBeTruthy();
    expect(router.state.location.pathname).toBe('/');
  });

  it('lets a seller into the seller portal', async () => {
    logInAs('seller');
    renderAt('/seller/products');
    expect(await screen.findByRole('heading', { name: 'My products' })).toBeTruthy();
  });

  it('only follows same-site next paths', () => {
    expect(safeNextPath('/cart')).toBe('/cart');
    expect(safeNextPath('//evil.example')).toBe('/');
    expect(safeNextPath('https://evil.example')).toBe('/');
    expect(safeNextPath('/\\evil.example')).toBe('/');
    expect(safeNextPath(null)).toBe('/');
  });
});
