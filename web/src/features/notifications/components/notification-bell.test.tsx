import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { useAuthStore } from '@/stores/auth-store';
import { cart, pageMeta, productSummary } from '@/testing/fixtures';
import { mockFetch, successResponse } from '@/testing/mock-fetch';
import { renderApp } from '@/testing/render-app';

const ORDER_ID = '0193a000-1111-7222-8333-444455556666';
const feed = (unread: boolean) => ({
  unreadCount: unread ? 2 : 0,
  items: [
    { id: 'n1', orderId: ORDER_ID, productId: null, title: 'Order 55556666 is on its way', body: null, isRead: !unread, createdAt: '2026-11-20T10:00:00Z' },
    { id: 'n2', orderId: null, productId: 7, title: 'Keyboard received a review', body: '5/5 great', isRead: !unread, createdAt: '2026-11-19T10:00:00Z' },
  ],
});

beforeEach(() => {
  useAuthStore.getState().setSession({
    access_token: 'a',
    refresh_token: 'r',
    user: { id: 'u-3', email: 'seller@example.com', role: 'seller', first_name: 'Jane', last_name: 'Smith' },
  });
});

afterEach(() => {
  vi.useRealTimers();
});

describe('notification bell', () => {
  it('shows the unread count, lists notifications with links and marks all read', async () => {
    let unread = true;
    const { requestsTo } = mockFetch({
      'GET /api/v1/products': () => successResponse([productSummary(1)], pageMeta(1)),
      'GET /api/v1/cart': () => successResponse(cart([])),
      'GET /api/v1/orders/notifications': () => successResponse(feed(unread)),
      'PUT /api/v1/orders/notifications/mark-read': () => {
        unread = false;
        return successResponse(null);
      },
    });
    renderApp('/');

    const bell = await screen.findByRole('button', { name: 'Notifications, 2 unread' });
    expect(bell.getAttribute('aria-expanded')).toBe('false');
    fireEvent.click(bell);

    const panel = screen.getByRole('region', { name: 'Your notifications' });
    expect(within(panel).getByRole('link', { name: /on its way/ }).getAttribute('href')).toBe(`/orders/${ORDER_ID}`);
    expect(within(panel).getByRole('link', { name: /received a review/ }).getAttribute('href')).toBe('/products/7');

    fireEvent.click(within(panel).getByRole('button', { name: 'Mark all read' }));
    expect(await screen.findByRole('button', { name: 'Notifications' })).toBeTruthy();
    await waitFor(() => expect(requestsTo('PUT /api/v1/orders/notifications/mark-read')).toHaveLength(1));

    fireEvent.keyDown(document, { key: 'Escape' });
    expect(screen.queryByRole('region', { name: 'Your notifications' })).toBeNull();
  });

  it('polls every 30 seconds and shows the seller portal in the nav', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const { requestsTo } = mockFetch({
      'GET /api/v1/products': () => successResponse([], pageMeta(0)),
      'GET /api/v1/cart': () => successResponse(cart([])),
      'GET /api/v1/orders/notifications': () => successResponse(feed(false)),
    });
    renderApp('/');

    await screen.findByRole('button', { name: 'Notifications' });
    const nav = screen.getByRole('navigation', { name: 'Main' });
    expect(within(nav).getByRole('link', { name: 'Seller portal' }).getAttribute('href')).toBe('/seller');
    await waitFor(() => expect(requestsTo('GET /api/v1/orders/notifications')).toHaveLength(1));
    await act(() => vi.advanceTimersByTimeAsync(29_000));
    expect(requestsTo('GET /api/v1/orders/notifications')).toHaveLength(1);
    await act(() => vi.advanceTimersByTimeAsync(1_500));
    await waitFor(() => expect(requestsTo('GET /api/v1/orders/notifications')).toHaveLength(2));
  });
});
