import { fireEvent, screen, waitFor } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import { cart, countries } from '@/testing/fixtures';
import { errorResponse, mockFetch, successResponse } from '@/testing/mock-fetch';
import { renderApp } from '@/testing/render-app';
import { logInAs } from '@/testing/session';

const profile = {
  id: 'u-2',
  email: 'customer@example.com',
  role: 'customer',
  first_name: 'John',
  last_name: 'Doe',
  phone: null,
  avatar_url: null,
  addresses: [
    { id: 'a1', label: 'Home', address_line1: '1 Main St', address_line2: null, city: 'Hue', state: null, country: 'Vietnam', postal_code: null, is_default: true },
  ],
};

beforeEach(() => {
  logInAs();
});

describe('/profile', () => {
  it('saves names and updates the header greeting', async () => {
    const { requestsTo } = mockFetch({
      'GET /api/v1/cart': () => successResponse(cart([])),
      'GET /api/v1/orders/notifications': () => successResponse({ unreadCount: 0, items: [] }),
      'GET /api/v1/users/profile': () => successResponse(profile),
      'GET /api/v1/payments/methods': () => successResponse([]),
      'PUT /api/v1/users/profile': (r) => successResponse({ ...profile, ...(r.body as object) }),
    });
    renderApp('/profile');

    const first = await screen.findByLabelText('First name *');
    fireEvent.change(first, { target: { value: 'Johnny' } });
    fireEvent.change(screen.getByLabelText('Phone'), { target: { value: '+84 123' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save details' }));

    await waitFor(() => expect(screen.getByText('Hi, Johnny')).toBeTruthy());
    expect(requestsTo('PUT /api/v1/users/profile')[0]?.body).toEqual({ first_name: 'Johnny', last_name: 'Doe', phone: '+84 123' });
  });

  it('validates a new address and shows the server’s field errors', async () => {
    const { requestsTo } = mockFetch({
      'GET /api/v1/cart': () => successResponse(cart([])),
      'GET /api/v1/orders/notifications': () => successResponse({ unreadCount: 0, items: [] }),
      'GET /api/v1/users/profile': () => successResponse(profile),
      'GET /api/v1/payments/methods': () => successResponse([]),
      'GET /api/v1/countries': () => successResponse(countries()),
      'POST /api/v1/users/addresses': () =>
        errorResponse(400, 'VALIDATION_ERROR', 'Invalid body', { details: { postal_code: 'too long for this country' } }),
    });
    renderApp('/profile');

    fireEvent.click(await screen.findByRole('button', { name: '+ Add address' }));
    fireEvent.click(screen.getByRole('button', { name: 'Add address' }));
    expect(await screen.findByText('Enter the street address.')).toBeTruthy();
    expect(requestsTo('POST /api/v1/users/addresses')).toHaveLength(0);

    fireEvent.change(screen.getByLabelText('Street address *'), { target: { value: '2 Side St' } });
    fireEvent.change(screen.getByLabelText('City *'), { target: { value: 'Hanoi' } });
    fireEvent.change(screen.getByLabelText('Recipient name'), { target: { value: 'Lan Pham' } });
    await screen.findByRole('option', { name: 'Vietnam' });
    fireEvent.change(screen.getByLabelText('Country *'), { target: { value: 'VN' } });
    fireEvent.change(screen.getByLabelText('Postal code (if any)'), { target: { value: '12345' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add address' }));

    expect(await screen.findByText('too long for this country')).toBeTruthy();
    expect(requestsTo('POST /api/v1/users/addresses')[0]?.body).toEqual({
      label: null,
      recipient_name: 'Lan Pham',
      phone: null,
      address_line1: '2 Side St',
      address_line2: null,
      city: 'Hanoi',
      state: null,
      country: 'VN',
      postal_code: '12345',
    });
  });

  it('lists saved cards, changes the default, removes one and sends "Add a card" to the provider page', async () => {
    let cards = [
      { id: 'm1', brand: 'visa', last4: '4242', expMonth: 12, expYear: 2029, isDefault: true, createdAt: '2026-12-01T00:00:00Z' },
      { id: 'm2', brand: 'visa', last4: '9995', expMonth: 3, expYear: 2030, isDefault: false, createdAt: '2026-12-02T00:00:00Z' },
    ];
    const setupUrl = '/pay/sim/setup/seti_sim_1?client_secret=s&return_url=%2Fprofile';
    const assign = vi.spyOn(window.location, 'assign').mockImplementation(() => undefined);
    const { requestsTo } = mockFetch({
      'GET /api/v1/cart': () => successResponse(cart([])),
      'GET /api/v1/orders/notifications': () => successResponse({ unreadCount: 0, items: [] }),
      'GET /api/v1/users/profile': () => successResponse(profile),
      'GET /api/v1/payments/methods': () => successResponse(cards),
      'PUT /api/v1/payments/methods/m2/default': () => {
        cards = cards.map((card) => ({ ...card, isDefault: card.id === 'm2' }));
        return successResponse(cards[1]);
      },
      'DELETE /api/v1/payments/methods/m1': () => {
        cards = cards.filter((card) => card.id !== 'm1');
        return new Response(null, { status: 204 });
      },
      'POST /api/v1/payments/methods/setup': () => successResponse({ setupIntentId: 'seti_sim_1', nextAction: { type: 'redirect', url: setupUrl, clientSecret: 's' } }, 201),
    });
    renderApp('/profile');

    expect(await screen.findByText('VISA ending 4242', { selector: 'strong' })).toBeTruthy();
    expect(screen.getByText('Expires 03/2030')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Make default (VISA ending 9995)' }));
    await waitFor(() => expect(screen.getByRole('button', { name: 'Make default (VISA ending 4242)' })).toBeTruthy());
    expect(requestsTo('PUT /api/v1/payments/methods/m2/default')).toHaveLength(1);

    fireEvent.click(screen.getByRole('button', { name: 'Remove VISA ending 4242' }));
    fireEvent.click(screen.getByRole('button', { name: 'Confirm remove' }));
    await waitFor(() => expect(screen.queryByText('VISA ending 4242', { selector: 'strong' })).toBeNull());
    expect(requestsTo('DELETE /api/v1/payments/methods/m1')).toHaveLength(1);

    fireEvent.click(screen.getByRole('button', { name: '+ Add a card' }));
    await waitFor(() => expect(assign).toHaveBeenCalledWith(setupUrl));
  });

  it("with the real provider, Add a card opens the shop's card page, the setup's client secret in the fragment only", async () => {
    const assign = vi.spyOn(window.location, 'assign').mockImplementation(() => undefined);
    mockFetch({
      'GET /api/v1/cart': () => successResponse(cart([])),
      'GET /api/v1/orders/notifications': () => successResponse({ unreadCount: 0, items: [] }),
      'GET /api/v1/users/profile': () => successResponse(profile),
      'GET /api/v1/payments/methods': () => successResponse([]),
      'POST /api/v1/payments/methods/setup': () => successResponse({ setupIntentId: 'seti_1', nextAction: { type: 'use_provider_js', url: null, clientSecret: 'seti_1_secret_xyz' } }, 201),
    });
    renderApp('/profile');

    fireEvent.click(await screen.findByRole('button', { name: '+ Add a card' }));
    await waitFor(() => expect(assign).toHaveBeenCalledWith('/checkout/cards/new#seti_1_secret_xyz'));
  });
});
