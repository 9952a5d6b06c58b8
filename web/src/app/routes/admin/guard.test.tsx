import { QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { beforeEach, describe, expect, it } from 'vitest';

import { appRoutes } from '@/app/router';
import { RequireAdmin } from '@/app/routes/admin/guard';
import { consoleRoutes } from '@/app/routes/admin/routes';
import { mockFetch } from '@/testing/mock-fetch';
import { createTestQueryClient } from '@/testing/render-app';
import { logInAs } from '@/testing/session';
import { useAuthStore } from '@/stores/auth-store';

function renderAt(url: string) {
  const router = createMemoryRouter(
    [
      { path: 'login', element: <h1>Login</h1> },
      { path: 'admin', Component: RequireAdmin, children: [{ index: true, element: <h1>Overview</h1> }] },
    ],
    { initialEntries: [url] },
  );
  render(
    <QueryClientProvider client={createTestQueryClient()}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  );
  return router;
}

beforeEach(() => {
  useAuthStore.getState().clearAuth();
});

describe('admin guard (its own lazy route module)', () => {
  it('is the lazy module of /admin in the console routes, which are not part of the entry', async () => {
    expect(appRoutes[0]!.children![0]!.children!.some((route) => route.path === 'admin')).toBe(false);
    const admin = consoleRoutes.find((route) => route.path === 'admin')!;
    expect(admin.Component).toBeUndefined();
    expect(typeof admin.lazy).toBe('function');
    expect((await (admin.lazy as () => Promise<{ Component: unknown }>)()).Component).toBe(RequireAdmin);
  });

  it('sends a logged-out visitor of the console to /login', async () => {
    const router = renderAt('/admin');
    expect(await screen.findByRole('heading', { name: 'Login' })).toBeTruthy();
    expect(router.state.location.search).toBe(`?next=${encodeURIComponent('/admin')}`);
  });

  it('shows the 403 page to customers and sellers in the console, without rendering it', async () => {
    for (const role of ['customer', 'seller'] as const) {
      logInAs(role);
      renderAt('/admin');
      expect(await screen.findByRole('heading', { name: 'You don’t have access to this page' })).toBeTruthy();
      expect(screen.queryByRole('heading', { name: 'Overview' })).toBeNull();
      cleanup();
    }
  });

  it('lets an operator signed in with another account switch accounts from the 403 page and come back', async () => {
    const { requests } = mockFetch({ 'POST /api/v1/auth/logout': () => Response.json({ success: true, data: { message: 'Signed out' } }) });
    logInAs('customer');
    const router = renderAt('/admin');
    fireEvent.click(await screen.findByRole('button', { name: 'Sign in with another account' }));
    expect(await screen.findByRole('heading', { name: 'Login' })).toBeTruthy();
    expect(router.state.location.search).toBe(`?next=${encodeURIComponent('/admin')}`);
    expect(requests.map((r) => `${r.method} ${r.url}`)).toEqual(['POST /api/v1/auth/logout']);
    expect(useAuthStore.getState().user).toBeNull();
  });

  it('lets an admin into the console', async () => {
    logInAs('admin');
    renderAt('/admin');
    expect(await screen.findByRole('heading', { name: 'Overview' })).toBeTruthy();
  });
});
