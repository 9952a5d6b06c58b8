import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { AppProvider } from '@/app/provider';
import { RouteErrorBoundary } from '@/components/errors/route-error-boundary';
import { RootLayout } from '@/components/layouts/root-layout';
import { useAuthStore } from '@/stores/auth-store';
import { THEME_STORAGE_KEY, useThemeStore } from '@/stores/theme-store';
import { toast } from '@/stores/toast-store';
import { pageMeta, productSummary } from '@/testing/fixtures';
import { mockFetch, successResponse } from '@/testing/mock-fetch';
import { createTestQueryClient, renderApp } from '@/testing/render-app';

beforeEach(() => {
  document.documentElement.removeAttribute('data-theme');
  useThemeStore.setState({ preference: 'system', resolved: 'light' });
  useAuthStore.getState().clearAuth();
  mockFetch({
    'GET /api/v1/products': () => successResponse([productSummary(40), productSummary(39)], pageMeta(2)),
    'GET /api/v1/cart': () => successResponse({ user_id: 'u1', status: 'ACTIVE', items: [], total: 0, updated_at: null }),
    'GET /api/v1/orders/notifications': () => successResponse({ unreadCount: 0, items: [] }),
  });
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('app shell', () => {
  it('renders the home page inside the header and footer', async () => {
    renderApp('/');

    const hero = await screen.findByRole('heading', { level: 1 });
    expect(hero.textContent).toMatch(/made with care/i);
    expect(screen.getByRole('link', { name: 'Browse the catalog' }).getAttribute('href')).toBe('/products');
    expect(screen.getByRole('link', { name: 'Skip to content' }).getAttribute('href')).toBe('#main-content');
    expect(screen.getByRole('link', { name: 'Edge Shop' }).getAttribute('href')).toBe('/');
    const mainNav = screen.getByRole('navigation', { name: 'Main' });
    expect(within(mainNav).getByRole('link', { name: 'Categories' }).getAttribute('href')).toBe('/categories');
    expect(within(mainNav).getByRole('link', { name: 'Products' }).getAttribute('href')).toBe('/products');
    expect(screen.getByRole('link', { name: 'Log in' }).getAttribute('href')).toBe('/login');
    expect(screen.getByRole('link', { name: 'Register' }).getAttribute('href')).toBe('/register');
    expect(screen.getByRole('contentinfo').textContent).toContain('Edge Shop');
    const featured = await screen.findByRole('list', { name: 'Featured products' });
    expect(within(featured).getByRole('link', { name: 'Product 40' }).getAttribute('href')).toBe('/products/40');
  });

  it('shows the user and a Log out button instead of Log in when a session exists', async () => {
    useAuthStore.getState().setSession({
      access_token: 'a',
      refresh_token: 'r',
      user: { id: 'u1', email: 'seller@example.com', role: 'seller', first_name: 'Sam', last_name: 'Rivera' },
    });
    renderApp('/');

    expect(await screen.findByRole('button', { name: 'Log out' })).toBeTruthy();
    expect(screen.getByText('Hi, Sam')).toBeTruthy();
    expect(screen.queryByRole('link', { name: 'Log in' })).toBeNull();
  });

  it('switches data-theme on <html> from the theme toggle and remembers the choice', async () => {
    renderApp('/');
    await screen.findByRole('heading', { level: 1 });
    // Let the featured products settle first so no re-render races the clicks below.
    await screen.findByRole('list', { name: 'Featured products' });
    expect(document.documentElement.dataset.theme).toBe('light');
    expect(screen.getByRole<HTMLInputElement>('radio', { name: 'System' }).checked).toBe(true);

    fireEvent.click(screen.getByRole('radio', { name: 'Dark' }));
    expect(document.documentElement.dataset.theme).toBe('dark');
    expect(localStorage.getItem(THEME_STORAGE_KEY)).toBe('dark');
    expect(screen.getByRole<HTMLInputElement>('radio', { name: 'Dark' }).checked).toBe(true);

    fireEvent.click(screen.getByRole('radio', { name: 'Light' }));
    expect(document.documentElement.dataset.theme).toBe('light');
    expect(localStorage.getItem(THEME_STORAGE_KEY)).toBe('light');
  });

  it('renders a friendly 404 with a link home for an unknown route, keeping the chrome', async () => {
    renderApp('/products/123/no-such-tab');

    expect(await screen.findByRole('heading', { level: 1, name: /couldn’t find that page/ })).toBeTruthy();
    expect(screen.getByText('/products/123/no-such-tab')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Go to the home page' }).getAttribute('href')).toBe('/');
    expect(screen.getByRole('navigation', { name: 'Main' })).toBeTruthy();
    await waitFor(() => expect(document.title).toBe('Page not found · Edge Shop'));
  });

  it('announces error toasts in an alert region and lets them be dismissed', async () => {
    renderApp('/');
    await screen.findByRole('heading', { level: 1 });
    await screen.findByRole('list', { name: 'Featured products' });

    act(() => {
      toast.error('Payment service is unavailable', 'req-99');
    });

    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('Payment service is unavailable');
    expect(alert.textContent).toContain('req-99');
    fireEvent.click(within(alert).getByRole('button', { name: 'Dismiss notification' }));
    expect(screen.getByRole('alert').textContent).toBe('');
  });
});

describe('route error boundary', () => {
  it('shows a friendly message inside the chrome and recovers on "Try again"', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    let failing = true;
    function Flaky() {
      if (failing) throw new Error('boom');
      return <h1>Recovered page</h1>;
    }
    const router = createMemoryRouter([
      {
        Component: RootLayout,
        children: [{ ErrorBoundary: RouteErrorBoundary, children: [{ index: true, Component: Flaky }] }],
      },
    ]);
    render(
      <AppProvider queryClient={createTestQueryClient()} live={false}>
        <RouterProvider router={router} />
      </AppProvider>,
    );

    expect(await screen.findByRole('heading', { name: 'Something went wrong' })).toBeTruthy();
    expect(screen.queryByText('boom')).toBeNull();
    expect(screen.getByRole('navigation', { name: 'Main' })).toBeTruthy();

    failing = false;
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));

    expect(await screen.findByRole('heading', { name: 'Recovered page' })).toBeTruthy();
    expect(screen.queryByRole('heading', { name: 'Something went wrong' })).toBeNull();
  });
});
