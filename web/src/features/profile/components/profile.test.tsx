import { fireEvent, screen, waitFor } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';

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
});
