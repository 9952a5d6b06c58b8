import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { useAuthStore } from '@/stores/auth-store';
import { useToastStore } from '@/stores/toast-store';
import { pageMeta, productSummary } from '@/testing/fixtures';
import { mockFetch, successResponse } from '@/testing/mock-fetch';
import { renderApp } from '@/testing/render-app';

beforeEach(() => {
  localStorage.clear();
  useAuthStore.getState().clearAuth();
  useToastStore.setState({ toasts: [] });
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('/products', () => {
  it('lists the page from ?page=, shows the count and links to the next page', async () => {
    const { requestsTo } = mockFetch({
      'GET /api/v1/products': () => successResponse([productSummary(21), productSummary(22)], pageMeta(42, 2)),
    });
    renderApp('/products?page=2');

    const grid = await screen.findByRole('list', { name: 'Products' });
    expect(within(grid).getAllByRole('listitem')).toHaveLength(2);
    expect(screen.getByText('42 products')).toBeTruthy();
    expect(screen.getByText('Page 2 of 3')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Next →' }).getAttribute('href')).toBe('/products?page=3');
    expect(screen.getByRole('link', { name: '← Previous' }).getAttribute('href')).toBe('/products');
    expect(requestsTo('GET /api/v1/products')[0]?.url).toContain('page=2');
  });

  it('searches by keyword after typing 2+ characters, resetting the page', async () => {
    const { requestsTo } = mockFetch({
      'GET /api/v1/products': () => successResponse([productSummary(1)], pageMeta(40, 3)),
      'GET /api/v1/products/search': () => successResponse([productSummary(7, { name: 'Keystone Keyboard' })], pageMeta(1)),
    });
    const { router } = renderApp('/products?page=3');
    await screen.findByRole('list', { name: 'Products' });

    fireEvent.change(screen.getByLabelText('Search products'), { target: { value: 'k' } });
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect(requestsTo('GET /api/v1/products/search')).toHaveLength(0);

    fireEvent.change(screen.getByLabelText('Search products'), { target: { value: 'keyboard' } });
    expect(await screen.findByRole('link', { name: 'Keystone Keyboard' })).toBeTruthy();
    expect(screen.getByText('1 result for “keyboard”')).toBeTruthy();
    expect(router.state.location.search).toBe('?q=keyboard');
    expect(requestsTo('GET /api/v1/products/search')).toHaveLength(1);
    expect(requestsTo('GET /api/v1/products/search')[0]?.url).toContain('q=keyboard');
  });

  it('empties the search box when the URL loses its query (nav link back to all products)', async () => {
    mockFetch({
      'GET /api/v1/products': () => successResponse([productSummary(1)], pageMeta(1)),
      'GET /api/v1/products/search': () => successResponse([productSummary(7)], pageMeta(1)),
    });
    const { router } = renderApp('/products?q=keyboard');
    await screen.findByText('1 result for “keyboard”');
    expect((screen.getByLabelText('Search products') as HTMLInputElement).value).toBe('keyboard');

    fireEvent.click(within(screen.getByRole('navigation', { name: 'Main' })).getByRole('link', { name: 'Products' }));

    await waitFor(() => expect((screen.getByLabelText('Search products') as HTMLInputElement).value).toBe(''));
    expect(await screen.findByText('1 product')).toBeTruthy();
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect(router.state.location.search).toBe('');
  });

  it('uses smart search for ?mode=ai and toasts when it fell back to keywords', async () => {
    const { requestsTo } = mockFetch({
      'GET /api/v1/products/ai-search': () =>
        successResponse({ query: 'warm jacket', results: [productSummary(19, { name: 'Puffer Jacket' })], scores: null, mode: 'fallback-keyword' }),
    });
    renderApp('/products?q=warm+jacket&mode=ai');

    expect(await screen.findByRole('link', { name: 'Puffer Jacket' })).toBeTruthy();
    await waitFor(() =>
      expect(useToastStore.getState().toasts.map((t) => t.message)).toContain(
        'Smart search is unavailable right now, so these are keyword results.',
      ),
    );
    expect(screen.queryByText('✨ Smart match')).toBeNull();
    expect(requestsTo('GET /api/v1/products/ai-search')[0]?.url).toContain('q=warm+jacket');
    expect(requestsTo('GET /api/v1/products/ai-search')[0]?.url).toContain('mode=ai');
  });

  it('switches to hybrid mode from the toggle', async () => {
    const { requestsTo } = mockFetch({
      'GET /api/v1/products/search': () => successResponse([productSummary(3)], pageMeta(1)),
      'GET /api/v1/products/ai-search': () =>
        successResponse({ query: 'phone', results: [productSummary(3, { name: 'Lumen Phone' })], scores: [0.9], mode: 'hybrid' }),
    });
    const { router } = renderApp('/products?q=phone');
    await screen.findByRole('list', { name: 'Products' });

    fireEvent.click(screen.getByRole('radio', { name: 'Hybrid' }));

    expect(await screen.findByRole('link', { name: 'Lumen Phone' })).toBeTruthy();
    expect(screen.getByText('✨ Smart match')).toBeTruthy();
    expect(router.state.location.search).toBe('?q=phone&mode=hybrid');
    expect(requestsTo('GET /api/v1/products/ai-search')[0]?.url).toContain('mode=hybrid');
  });
});
