import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { errorResponse, mockFetch, successResponse } from '@/testing/mock-fetch';
import { renderApp } from '@/testing/render-app';
import { logInAs } from '@/testing/session';

const ORDER_ID = '0193a000-1111-7222-8333-444455556666';
const chrome = {
  'GET /api/v1/orders/notifications': () => successResponse({ unreadCount: 0, items: [] }),
  'GET /api/v1/cart': () => errorResponse(403, 'FORBIDDEN', 'Your role does not allow this action'),
};
const meta = (total: number) => ({ page: 1, size: 20, totalElements: total, totalPages: total > 0 ? 1 : 0 });
const counts = { outboxBacklog: 0, dlqDepth: 1, pendingOrders: { total: 1, olderThan2m: 1, olderThan15m: 0, oldestAgeSeconds: 400 } };
const letter = (replayedAt: string | null) => ({
  id: 7,
  queue: 'order-events',
  messageId: 'm-7',
  originalKey: ORDER_ID,
  errorStage: 'process',
  errorReason: 'TransientGatewayError: simulated gateway timeout',
  attempts: 5,
  correlationId: 'c',
  failedAt: '2026-11-20T10:00:00Z',
  replayedAt,
  body: { type: 'order.created', orderId: ORDER_ID },
});

describe('operator console pages', () => {
  it('dead letters: shows the reason and message, replays one and reports the outcome', async () => {
    logInAs('admin', { id: 'admin-1', email: 'admin@example.com' });
    let replayed: string | null = null;
    const { requestsTo } = mockFetch({
      ...chrome,
      'GET /api/v1/admin/dead-letters': () => successResponse({ counts, items: [letter(replayed)] }, meta(1)),
      'POST /api/v1/admin/dead-letters/7/replay': () => {
        replayed = '2026-11-20T10:05:00Z';
        return successResponse({ requeued: true, deadLetter: letter(replayed) });
      },
    });
    renderApp('/admin/dead-letters?open=true');
    const row = (await screen.findByText('TransientGatewayError: simulated gateway timeout', { exact: false })).closest('tr')!;
    expect(within(row).getByRole('link', { name: `order ${ORDER_ID.replaceAll('-', '').slice(-8).toUpperCase()}` })).toBeTruthy();
    fireEvent.click(within(row).getByRole('button', { name: 'Replay letter 7' }));
    expect(await screen.findByText('Letter 7: sent back to its queue.')).toBeTruthy();
    expect(requestsTo('POST /api/v1/admin/dead-letters/7/replay')).toHaveLength(1);
    // The list is re-read: the letter is no longer replayable.
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Replay letter 7' })).toBeNull());
  });

  it('order detail: a stale cancel (409) is explained and the page shows the current state', async () => {
    logInAs('admin', { id: 'admin-1', email: 'admin@example.com' });
    let status = 'CONFIRMED';
    const detail = () => ({
      order: {
        id: ORDER_ID,
        userId: 'u-2',
        sellerId: 's-1',
        cartId: null,
        totalAmount: 20,
        currency: 'USD',
        status,
        shippingAddress: { street: '1', city: 'c', state: 's', country: 'x', zipCode: '1' },
        cancelReason: null,
        paymentId: null,
        items: [],
        createdAt: '2026-11-20T10:00:00Z',
        updatedAt: '2026-11-20T10:00:00Z',
      },
      orderNumber: '55556666',
      buyerEmail: 'buyer@example.com',
      sellerEmail: 'seller@example.com',
      history: [],
      payment: null,
      paymentHistory: [],
    });
    mockFetch({
      ...chrome,
      [`GET /api/v1/admin/orders/${ORDER_ID}`]: () => successResponse(detail()),
      [`PUT /api/v1/orders/${ORDER_ID}/cancel`]: () => {
        status = 'SHIPPED';
        return errorResponse(409, 'INVALID_STATE_TRANSITION', 'Cannot move an order from SHIPPED to CANCELLED.');
      },
    });
    renderApp(`/admin/orders/${ORDER_ID}`);
    fireEvent.click(await screen.findByRole('button', { name: 'Cancel order' }));
    fireEvent.click(screen.getByRole('button', { name: 'Yes, cancel' }));
    expect(await screen.findByText(/This record changed since you loaded it/)).toBeTruthy();
    await waitFor(() => expect(within(screen.getByRole('heading', { level: 1 })).getByText('Shipped')).toBeTruthy());
    expect(screen.queryByRole('button', { name: 'Cancel order' })).toBeNull();
  });
});
