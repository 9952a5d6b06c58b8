import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';

import { useToastStore } from '@/stores/toast-store';
import { cart, pageMeta, productDetail } from '@/testing/fixtures';
import { deferred, errorResponse, mockFetch, successResponse } from '@/testing/mock-fetch';
import { renderApp } from '@/testing/render-app';
import { logInAs } from '@/testing/session';

const catalogRoutes = {
  'GET /api/v1/products/5': () => successResponse(productDetail(5, { name: 'Beacon Speaker', price: 79, stockAvailable: 4 })),
  'GET /api/v1/products/5/launch': () => successResponse(null),
  'GET /api/v1/products/5/related': () => successResponse([], pageMeta(0)),
  'GET /api/v1/products/5/reviews': () => successResponse([], pageMeta(0, 1, 10)),
  'GET /api/v1/categories': () => successResponse([{ id: 1, name: 'Electronics', slug: 'electronics', parentId: null, sortOrder: 1 }]),
  'GET /api/v1/users/sellers/00000000-0000-0000-0000-000000000003': () =>
    successResponse({ id: '3', firstName: 'Jane', lastName: 'Smith', avatarUrl: null, createdAt: '2025-01-01T00:00:00Z' }),
  'GET /api/v1/orders/notifications': () => successResponse({ unreadCount: 0, items: [] }),
};

const badgeCount = () => screen.queryByTestId('cart-count')?.textContent ?? '0';

beforeEach(() => {
  logInAs();
});

describe('cart badge', () => {
  it('counts an add at once and rolls back with a toast when the server refuses it', async () => {
    const addGate = deferred<Response>();
    const { requestsTo } = mockFetch({
      ...catalogRoutes,
      'GET /api/v1/cart': () => successResponse(cart([{ productId: 1, quantity: 2 }])),
      'POST /api/v1/cart/items': () => addGate.promise,
    });
    renderApp('/products/5');
    await screen.findByRole('heading', { name: 'Beacon Speaker' });
    await waitFor(() => expect(badgeCount()).toBe('2'));

    fireEvent.click(screen.getByRole('button', { name: 'Increase quantity' }));
    fireEvent.click(screen.getByRole('button', { name: 'Add to Cart' }));

    // Optimistic: 2 already in the cart + 2 being added, before the server has answered.
    await waitFor(() => expect(badgeCount()).toBe('4'));
    expect(screen.getByRole('link', { name: 'Cart, 4 items' })).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Adding…' }) as HTMLButtonElement).disabled).toBe(true);

    addGate.resolve(errorResponse(409, 'INSUFFICIENT_STOCK', 'Only 1 left'));

    await waitFor(() => expect(badgeCount()).toBe('2'));
    expect(screen.getByRole('alert').textContent).toContain('Not enough stock for that quantity. Try fewer items.');
    expect(requestsTo('POST /api/v1/cart/items')[0]?.body).toEqual({ product_id: 5, quantity: 2 });
  });

  it('keeps the server’s cart after a successful add', async () => {
    mockFetch({
      ...catalogRoutes,
      'GET /api/v1/cart': () => successResponse(cart([])),
      'POST /api/v1/cart/items': () => successResponse(cart([{ productId: 5, quantity: 1, price: 79 }]), undefined, 201),
    });
    renderApp('/products/5');
    await screen.findByRole('heading', { name: 'Beacon Speaker' });

    fireEvent.click(await screen.findByRole('button', { name: 'Add to Cart' }));

    await waitFor(() => expect(badgeCount()).toBe('1'));
    await waitFor(() => expect(useToastStore.getState().toasts[0]?.message).toBe('Added 1 × Beacon Speaker to your cart.'));
  });

  it('clamps the quantity stepper to the available stock and toasts a refused own-product add', async () => {
    mockFetch({
      ...catalogRoutes,
      'GET /api/v1/cart': () => successResponse(cart([])),
      'POST /api/v1/cart/items': () => errorResponse(403, 'SELLER_CANNOT_BUY_OWN_PRODUCT', 'own product'),
    });
    renderApp('/products/5');
    await screen.findByRole('heading', { name: 'Beacon Speaker' });
    expect(screen.getByText('Only 4 left')).toBeTruthy();

    const input = (await screen.findByLabelText('Quantity')) as HTMLInputElement;
    fireEvent.change(input, { target: { value: '50' } });
    expect(input.value).toBe('4');
    expect((screen.getByRole('button', { name: 'Increase quantity' }) as HTMLButtonElement).disabled).toBe(true);

    fireEvent.click(screen.getByRole('button', { name: 'Add to Cart' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('You can’t buy your own product.'));
  });
});

describe('quantities', () => {
  it('says what a typed quantity above the stock became, and how many more fit when the server refuses an add', async () => {
    mockFetch({
      ...catalogRoutes,
      'GET /api/v1/cart': () => successResponse(cart([{ productId: 5, quantity: 2 }])),
      'POST /api/v1/cart/items': () =>
        errorResponse(409, 'INSUFFICIENT_STOCK', 'Only 3 units of product 5 are available', { details: { quantity: 'Requested 4, available 3', available: '3' } }),
    });
    renderApp('/products/5');
    await screen.findByRole('heading', { name: 'Beacon Speaker' });
    await waitFor(() => expect(badgeCount()).toBe('2'));

    // Product 5 has 4 available: typing 500 is capped at 4, and the page says so.
    fireEvent.change(screen.getByLabelText('Quantity'), { target: { value: '500' } });
    expect((screen.getByLabelText('Quantity') as HTMLInputElement).value).toBe('4');
    expect(screen.getByText('Only 4 available, so the quantity is 4.').getAttribute('role')).toBe('status');
    fireEvent.change(screen.getByLabelText('Quantity'), { target: { value: '2' } });
    expect(screen.queryByText(/so the quantity is/)).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: 'Add to Cart' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('Only 1 more available (your cart already holds 2).'));
  });
});

describe('admins', () => {
  it('are not offered a cart: no badge, no cart request, a note instead of Add to Cart, a clear page at /cart', async () => {
    logInAs('admin', { id: 'u-1', email: 'admin@example.com', first_name: 'Ada', last_name: 'Admin' });
    const { requestsTo } = mockFetch({ ...catalogRoutes, 'GET /api/v1/cart': () => errorResponse(403, 'FORBIDDEN', 'Admins have no cart') });
    renderApp('/products/5');
    await screen.findByRole('heading', { name: 'Beacon Speaker' });

    expect(await screen.findByText(/Admin accounts can’t buy/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Add to Cart' })).toBeNull();
    expect(screen.queryByRole('link', { name: /^Cart/ })).toBeNull();
    cleanup();

    renderApp('/cart');
    expect(await screen.findByRole('heading', { name: 'Admin accounts don’t shop' })).toBeTruthy();
    expect(requestsTo('GET /api/v1/cart')).toHaveLength(0);
  });
});
