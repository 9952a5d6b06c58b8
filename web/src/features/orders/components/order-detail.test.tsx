import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { cart, pageMeta, SELLER_ID } from '@/testing/fixtures';
import { errorResponse, mockFetch, successResponse } from '@/testing/mock-fetch';
import { renderApp } from '@/testing/render-app';
import { logInAs } from '@/testing/session';

const ORDER_ID = '0193a000-1111-7222-8333-444455556666';
const order = (status: string) => ({
  id: ORDER_ID,
  userId: 'u-2',
  sellerId: SELLER_ID,
  cartId: null,
  totalAmount: 298,
  totals: { subtotal: 310, shipping: 5, discount: 31, tax: 14, taxIncluded: false, total: 298, currency: 'USD' },
  promoCode: 'WELCOME10',
  shippingDiscount: 0,
  shippingTax: 0,
  status,
  shippingAddress: { street: '1 Main St', city: 'Hue', state: 'TTH', country: 'Vietnam', zipCode: '530000' },
  items: [{ id: 'oi-1', productId: 1, productName: 'Aurora Headphones', quantity: 2, unitPrice: 155, subtotal: 310, imageUrl: null, discount: 31, tax: 14, promotionId: 'p-1' }],
  createdAt: '2026-11-20T10:00:00Z',
  updatedAt: '2026-11-20T10:00:00Z',
});
const history = [
  { id: 1, oldStatus: null, newStatus: 'PENDING', reason: null, changedBy: 'u-2', changedAt: '2026-11-20T10:00:00Z' },
  { id: 2, oldStatus: 'PENDING', newStatus: 'CONFIRMED', reason: 'payment completed', changedBy: 'system:payments', changedAt: '2026-11-20T10:01:00Z' },
];

const chrome = {
  'GET /api/v1/cart': () => successResponse(cart([])),
  'GET /api/v1/orders/notifications': () => successResponse({ unreadCount: 0, items: [] }),
  [`GET /api/v1/orders/${ORDER_ID}/history`]: () => successResponse(history),
};

describe('/orders/:id (buyer)', () => {
  it('a PENDING order whose payment waits for the buyer offers the payment page, with the last decline', async () => {
    logInAs('customer');
    const url = '/pay/sim/pi_sim_1?client_secret=s&return_url=%2Forders';
    mockFetch({
      ...chrome,
      [`GET /api/v1/orders/${ORDER_ID}`]: () => successResponse(order('PENDING')),
      [`GET /api/v1/payments/order/${ORDER_ID}`]: () =>
        successResponse({ id: 'p1', orderId: ORDER_ID, status: 'PENDING', amount: 298, confirmation: 'client', failureReason: 'gateway declined: card_declined (paymentId=p1)', nextAction: { type: 'redirect', url, clientSecret: 's' } }),
    });
    renderApp(`/orders/${ORDER_ID}`);

    const notice = (await screen.findByRole('heading', { name: 'Payment needed' })).closest('section')!;
    expect(within(notice).getByText('Your last card was declined. Try another card.')).toBeTruthy();
    expect(within(notice).getByRole('link', { name: 'Pay now' }).getAttribute('href')).toBe(url);
  });

  it("with the real provider, Pay now opens the shop's payment page holding the provider's form", async () => {
    logInAs('customer');
    mockFetch({
      ...chrome,
      [`GET /api/v1/orders/${ORDER_ID}`]: () => successResponse(order('PENDING')),
      [`GET /api/v1/payments/order/${ORDER_ID}`]: () =>
        successResponse({ id: 'p1', orderId: ORDER_ID, status: 'PENDING', amount: 298, confirmation: 'client', failureReason: null, nextAction: { type: 'use_provider_js', url: null, clientSecret: 'pi_1_secret_abc' } }),
    });
    renderApp(`/orders/${ORDER_ID}`);

    const notice = (await screen.findByRole('heading', { name: 'Payment needed' })).closest('section')!;
    expect(within(notice).getByRole('link', { name: 'Pay now' }).getAttribute('href')).toBe(`/checkout/pay/${ORDER_ID}`);
  });

  it('shows items, address and the status timeline, and cancels after an inline confirm', async () => {
    logInAs('customer');
    let status = 'CONFIRMED';
    const { requestsTo } = mockFetch({
      ...chrome,
      [`GET /api/v1/orders/${ORDER_ID}`]: () => successResponse(order(status)),
      [`PUT /api/v1/orders/${ORDER_ID}/cancel`]: () => {
        status = 'CANCELLED';
        return successResponse(order(status));
      },
    });
    renderApp(`/orders/${ORDER_ID}`);

    expect(await screen.findByRole('heading', { level: 1, name: 'Order 55556666' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Aurora Headphones' }).getAttribute('href')).toBe('/products/1');
    expect(screen.getByText(/1 Main St/)).toBeTruthy();
    // The breakdown: what the code took off and the tax, adding up to the total.
    expect(screen.getByText('Discount (WELCOME10)').nextElementSibling?.textContent).toBe('−$31.00');
    expect(screen.getByText('Tax').nextElementSibling?.textContent).toBe('$14.00');
    expect(screen.getByText('Total').nextElementSibling?.textContent).toBe('$298.00');
    const timeline = await screen.findByRole('list', { name: 'Status history' });
    expect(within(timeline).getByText('Payment received')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Mark as Delivered' })).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: 'Cancel order' }));
    expect(requestsTo(`PUT /api/v1/orders/${ORDER_ID}/cancel`)).toHaveLength(0);
    fireEvent.click(screen.getByRole('button', { name: 'Yes, cancel' }));

    await waitFor(() => expect(requestsTo(`PUT /api/v1/orders/${ORDER_ID}/cancel`)).toHaveLength(1));
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Cancel order' })).toBeNull());
    expect(screen.getAllByText('Cancelled').length).toBeGreaterThan(0);
  });

  it('says the tax was included when the shop\u2019s prices include it, and does not add it', async () => {
    logInAs('customer');
    const placed = order('CONFIRMED');
    const included = { ...placed, totalAmount: 284, totals: { ...placed.totals, taxIncluded: true, total: 284 } };
    mockFetch({ ...chrome, [`GET /api/v1/orders/${ORDER_ID}`]: () => successResponse(included) });
    renderApp(`/orders/${ORDER_ID}`);

    expect(await screen.findByRole('heading', { level: 1, name: 'Order 55556666' })).toBeTruthy();
    expect(screen.queryByText('Tax')).toBeNull();
    expect(screen.getByText('Tax (included in prices)').nextElementSibling?.textContent).toBe('$14.00');
    expect(screen.getByText('Total').nextElementSibling?.textContent).toBe('$284.00');
  });

  it('marks a shipped order delivered, then opens the review dialog and creates a review', async () => {
    logInAs('customer');
    let status = 'SHIPPED';
    const { requestsTo } = mockFetch({
      ...chrome,
      [`GET /api/v1/orders/${ORDER_ID}`]: () => successResponse(order(status)),
      [`PUT /api/v1/orders/${ORDER_ID}/deliver`]: () => {
        status = 'DELIVERED';
        return successResponse(order(status));
      },
      'GET /api/v1/products/1/reviews/by-order-item/oi-1': () => successResponse(null),
      'POST /api/v1/products/1/reviews': (r) => successResponse({ id: 5, productId: 1, ...(r.body as object) }, undefined, 201),
    });
    renderApp(`/orders/${ORDER_ID}`);

    fireEvent.click(await screen.findByRole('button', { name: 'Mark as Delivered' }));
    // Delivery is confirmed once more before it is recorded.
    expect(requestsTo(`PUT /api/v1/orders/${ORDER_ID}/deliver`)).toHaveLength(0);
    fireEvent.click(within(screen.getByRole('group', { name: 'Confirm delivery' })).getByRole('button', { name: 'Yes, it arrived' }));
    const form = await screen.findByRole('form', { name: 'Review of Aurora Headphones' });
    fireEvent.click(within(form).getByRole('button', { name: 'Submit review' }));
    expect(await within(form).findByText('Choose a rating from 1 to 5 stars.')).toBeTruthy();

    fireEvent.click(within(form).getByRole('radio', { name: '4 stars' }));
    fireEvent.change(within(form).getByLabelText('Comment (optional)'), { target: { value: 'Comfortable.' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Submit review' }));

    await waitFor(() =>
      expect(requestsTo('POST /api/v1/products/1/reviews')[0]?.body).toEqual({ orderItemId: 'oi-1', rating: 4, comment: 'Comfortable.' }),
    );
    expect(await within(form).findByRole('button', { name: 'Update review' })).toBeTruthy();
  });

  it('edits an existing review with PUT', async () => {
    logInAs('customer');
    const { requestsTo } = mockFetch({
      ...chrome,
      [`GET /api/v1/orders/${ORDER_ID}`]: () => successResponse(order('DELIVERED')),
      'GET /api/v1/products/1/reviews/by-order-item/oi-1': () =>
        successResponse({ id: 9, productId: 1, customerId: 'u-2', orderItemId: 'oi-1', rating: 2, comment: 'Meh', createdAt: 'x', updatedAt: 'x' }),
      'PUT /api/v1/products/1/reviews/9': (r) => successResponse({ id: 9, productId: 1, orderItemId: 'oi-1', ...(r.body as object) }),
    });
    renderApp(`/orders/${ORDER_ID}`);

    fireEvent.click(await screen.findByRole('button', { name: 'Write / Edit Reviews' }));
    const form = await screen.findByRole('form', { name: 'Review of Aurora Headphones' });
    expect((within(form).getByRole('radio', { name: '2 stars' }) as HTMLInputElement).checked).toBe(true);
    fireEvent.click(within(form).getByRole('radio', { name: '5 stars' }));
    fireEvent.click(within(form).getByRole('button', { name: 'Update review' }));

    await waitFor(() => expect(requestsTo('PUT /api/v1/products/1/reviews/9')[0]?.body).toEqual({ rating: 5, comment: 'Meh' }));
  });
});

describe('seller orders', () => {
  it('filters by status tab and ships a confirmed order', async () => {
    logInAs('seller', { id: SELLER_ID });
    const { requestsTo } = mockFetch({
      ...chrome,
      'GET /api/v1/orders/seller': () =>
        successResponse(
          [
            {
              id: ORDER_ID,
              totalAmount: 298,
              status: 'CONFIRMED',
              itemCount: 2,
              unitCount: 3,
              firstItem: { productId: 1, productName: 'Aurora ANC Headphones', imageUrl: null },
              sellerId: SELLER_ID,
              sellerName: 'Jane Seller',
              recipientName: 'Minh Tran',
              userId: '01a212fb-2ced-73e1-9eff-7059abcdef12',
              createdAt: '2026-11-20T10:00:00Z',
            },
          ],
          pageMeta(1),
        ),
      [`PUT /api/v1/orders/${ORDER_ID}/ship`]: () => successResponse(order('SHIPPED')),
    });
    const { router } = renderApp('/seller/orders');

    fireEvent.click(await screen.findByRole('link', { name: 'Confirmed' }));
    await waitFor(() => expect(router.state.location.search).toBe('?status=CONFIRMED'));
    await waitFor(() => expect(requestsTo('GET /api/v1/orders/seller').some((r) => r.url.includes('status=CONFIRMED'))).toBe(true));
    // Recognisable rows: the first product and how many more lines, units, and who it ships to (not the buyer's id).
    expect(screen.getByText('Aurora ANC Headphones + 1 more')).toBeTruthy();
    expect(screen.getByText('3 items')).toBeTruthy();
    expect(screen.getByText('Minh Tran')).toBeTruthy();
    expect(screen.queryByText('ABCDEF12')).toBeNull();

    // Shipping needs a carrier and a tracking number: the row leads to the order page, which asks for them.
    fireEvent.click(screen.getByRole('link', { name: 'Ship Order 55556666' }));
    await waitFor(() => expect(router.state.location.pathname).toBe(`/seller/orders/${ORDER_ID}`));
  });

  it('ships with a carrier and tracking number after a confirmation; a bad tracking number is refused first', async () => {
    logInAs('seller', { id: SELLER_ID });
    const { requestsTo } = mockFetch({
      ...chrome,
      [`GET /api/v1/orders/seller/${ORDER_ID}`]: () => successResponse(order('CONFIRMED')),
      [`GET /api/v1/orders/${ORDER_ID}/history`]: () => successResponse([]),
      [`PUT /api/v1/orders/${ORDER_ID}/ship`]: () => successResponse(order('SHIPPED')),
    });
    renderApp(`/seller/orders/${ORDER_ID}`);

    const form = await screen.findByRole('form', { name: 'Ship this order' });
    fireEvent.change(within(form).getByLabelText(/Tracking number/), { target: { value: '<x>' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Mark as Shipped' }));
    expect(await within(form).findByText('Use 4–40 letters, digits, spaces or dashes')).toBeTruthy();
    expect(screen.queryByRole('group', { name: 'Confirm shipping' })).toBeNull();

    fireEvent.change(within(form).getByLabelText(/Carrier/), { target: { value: 'FedEx' } });
    fireEvent.change(within(form).getByLabelText(/Tracking number/), { target: { value: '7946 1234 5678' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Mark as Shipped' }));
    const confirm = await screen.findByRole('group', { name: 'Confirm shipping' });
    expect(requestsTo(`PUT /api/v1/orders/${ORDER_ID}/ship`)).toHaveLength(0);
    fireEvent.click(within(confirm).getByRole('button', { name: 'Yes, ship it' }));
    await waitFor(() => expect(requestsTo(`PUT /api/v1/orders/${ORDER_ID}/ship`)[0]?.body).toEqual({ carrier: 'FedEx', trackingNumber: '7946 1234 5678' }));
  });

  it('a seller following a notification to a buyer order page lands on the seller view', async () => {
    logInAs('seller', { id: SELLER_ID });
    mockFetch({
      ...chrome,
      [`GET /api/v1/orders/${ORDER_ID}`]: () => errorResponse(403, 'ACCESS_DENIED', 'not your order'),
      [`GET /api/v1/orders/seller/${ORDER_ID}`]: () => successResponse(order('CONFIRMED')),
    });
    const { router } = renderApp(`/orders/${ORDER_ID}`);

    expect(await screen.findByRole('form', { name: 'Ship this order' })).toBeTruthy();
    expect(router.state.location.pathname).toBe(`/seller/orders/${ORDER_ID}`);
  });
});
