import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';

import { useAuthStore } from '@/stores/auth-store';
import { cart, countries, SELLER_ID } from '@/testing/fixtures';
import { mockFetch, successResponse } from '@/testing/mock-fetch';
import { renderApp } from '@/testing/render-app';

const ORDER_ID = '0193a000-1111-7222-8333-444455556666';
const RETURN_ID = '0193a000-9999-7222-8333-444455557777';
const order = {
  id: ORDER_ID,
  userId: 'u-2',
  sellerId: SELLER_ID,
  cartId: null,
  totalAmount: 298,
  totals: { subtotal: 298, shipping: 0, discount: 0, tax: 0, taxIncluded: false, total: 298, currency: 'USD' },
  status: 'DELIVERED',
  shippingAddress: { street: '1 Main St', city: 'Hue', state: 'TTH', country: 'Vietnam', zipCode: '530000' },
  items: [{ id: 'oi-1', productId: 1, productName: 'Aurora Headphones', quantity: 2, unitPrice: 149, subtotal: 298, imageUrl: null }],
  createdAt: '2026-11-20T10:00:00Z',
  updatedAt: '2026-11-20T10:00:00Z',
};
const aReturn = (status: string) => ({
  id: RETURN_ID,
  orderId: ORDER_ID,
  buyerId: 'u-2',
  sellerId: SELLER_ID,
  status,
  reason: 'Crackles',
  sellerNote: 'Use the box',
  restock: false,
  refundAmount: null,
  currency: 'USD',
  lines: [{ orderItemId: 'oi-1', productId: 1, productName: 'Aurora Headphones', quantity: 2, unitPrice: 149, refund: 298 }],
  history: [{ oldStatus: null, newStatus: 'REQUESTED', note: 'Crackles', changedBy: 'u-2', changedAt: '2026-11-25T10:00:00Z' }],
  createdAt: '2026-11-25T10:00:00Z',
  updatedAt: '2026-11-25T10:00:00Z',
});

const chrome = {
  'GET /api/v1/cart': () => successResponse(cart([])),
  'GET /api/v1/orders/notifications': () => successResponse({ unreadCount: 0, items: [] }),
  'GET /api/v1/countries': () => successResponse(countries()),
  [`GET /api/v1/orders/${ORDER_ID}/history`]: () => successResponse([]),
  [`GET /api/v1/orders/${ORDER_ID}`]: () => successResponse(order),
  'GET /api/v1/products/1/reviews/by-order-item/oi-1': () => successResponse(null),
};

beforeEach(() => {
  useAuthStore.getState().setSession({ access_token: 'a', refresh_token: 'r', user: { id: 'u-2', email: 'x@example.com', role: 'customer', first_name: 'X', last_name: 'Y' } });
});

describe('returns on the buyer order page', () => {
  it('asks for lines and a reason before sending a return request', async () => {
    let returns: ReturnType<typeof aReturn>[] = [];
    const { requestsTo } = mockFetch({
      ...chrome,
      [`GET /api/v1/orders/${ORDER_ID}/returns`]: () => successResponse(returns),
      [`POST /api/v1/orders/${ORDER_ID}/returns`]: () => {
        returns = [aReturn('REQUESTED')];
        return successResponse(returns[0], undefined, 201);
      },
    });
    renderApp(`/orders/${ORDER_ID}`);

    fireEvent.click(await screen.findByRole('button', { name: 'Return items' }));
    const form = screen.getByRole('form', { name: 'Request a return' });
    fireEvent.click(within(form).getByRole('button', { name: 'Send return request' }));
    expect(await within(form).findByText('Choose at least one item to return.')).toBeTruthy();
    expect(within(form).getByText('Tell the seller why you return it.')).toBeTruthy();
    expect(requestsTo(`POST /api/v1/orders/${ORDER_ID}/returns`)).toHaveLength(0);

    fireEvent.change(within(form).getByLabelText('Quantity of Aurora Headphones to return'), { target: { value: '2' } });
    fireEvent.change(within(form).getByLabelText(/Reason/), { target: { value: ' Crackles ' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Send return request' }));
    await waitFor(() => expect(requestsTo(`POST /api/v1/orders/${ORDER_ID}/returns`)[0]?.body).toEqual({ lines: [{ orderItemId: 'oi-1', quantity: 2 }], reason: 'Crackles' }));
    // Both units are now held by the return: nothing is left to ask for.
    expect(await screen.findByText('Requested')).toBeTruthy();
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Return items' })).toBeNull());
  });

  it('marks an approved return sent', async () => {
    let status = 'APPROVED';
    const { requestsTo } = mockFetch({
      ...chrome,
      [`GET /api/v1/orders/${ORDER_ID}/returns`]: () => successResponse([aReturn(status)]),
      [`POST /api/v1/returns/${RETURN_ID}/sent`]: () => {
        status = 'SENT';
        return successResponse(aReturn(status));
      },
    });
    renderApp(`/orders/${ORDER_ID}`);

    expect(await screen.findByText(/Use the box/)).toBeTruthy();
    fireEvent.click(await screen.findByRole('button', { name: 'I have sent it back' }));
    await waitFor(() => expect(requestsTo(`POST /api/v1/returns/${RETURN_ID}/sent`)).toHaveLength(1));
    expect(await screen.findByText('Sent')).toBeTruthy();
  });
});
