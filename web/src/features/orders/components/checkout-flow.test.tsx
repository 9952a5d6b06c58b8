import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { cart, countries, pageMeta, SELLER_ID } from '@/testing/fixtures';
import { deferred, errorResponse, mockFetch, successResponse } from '@/testing/mock-fetch';
import { renderApp } from '@/testing/render-app';
import { logInAs } from '@/testing/session';

const OTHER_SELLER = '00000000-0000-0000-0000-000000000004';
const ORDER_ID = '0193a000-1111-7222-8333-444455556666';

const sellerCard = (first: string) => () =>
  successResponse({ id: 's', firstName: first, lastName: 'Seller', avatarUrl: null, createdAt: '2025-01-01T00:00:00Z' });

const baseRoutes = {
  'GET /api/v1/orders/notifications': () => successResponse({ unreadCount: 0, items: [] }),
  'GET /api/v1/countries': () => successResponse(countries()),
  [`GET /api/v1/users/sellers/${SELLER_ID}`]: sellerCard('Jane'),
  [`GET /api/v1/users/sellers/${OTHER_SELLER}`]: sellerCard('Sam'),
};

const address = (id: string, isDefault: boolean, label: string) => ({
  id,
  label,
  recipient_name: null,
  phone: null,
  address_line1: `${label} street 1`,
  address_line2: null,
  city: 'Hanoi',
  state: 'HN',
  country: 'Vietnam',
  postal_code: '100000',
  is_default: isDefault,
});

const profile = (addresses: ReturnType<typeof address>[]) => ({
  id: 'u-2',
  email: 'customer@example.com',
  role: 'customer',
  first_name: 'John',
  last_name: 'Doe',
  phone: null,
  avatar_url: null,
  addresses,
});

/** Place Order once it is offered: it waits for the server's totals (here the preview, unmocked, fails: the form's own sums). */
const placeOrder = async (scope: Pick<typeof screen, 'findByRole'> = screen) => fireEvent.click(await scope.findByRole('button', { name: 'Place Order' }));

beforeEach(() => {
  logInAs();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('/cart', () => {
  it('groups lines by seller with subtotals, per-group checkout links and a stock warning', async () => {
    mockFetch({
      ...baseRoutes,
      'GET /api/v1/cart': () =>
        successResponse(
          cart([
            { productId: 1, quantity: 2, price: 10 },
            { productId: 31, quantity: 3, price: 5, sellerId: OTHER_SELLER, stock: 2 },
            { productId: 2, quantity: 1, price: 7.5 },
          ]),
        ),
    });
    renderApp('/cart');

    const janeGroup = (await screen.findByRole('heading', { name: 'Sold by Jane Seller' })).closest('section')!;
    expect(within(janeGroup).getByText('$27.50')).toBeTruthy();
    expect(within(janeGroup).getByRole('link', { name: 'Checkout 3 items' }).getAttribute('href')).toBe(
      `/checkout?seller=${SELLER_ID}`,
    );
    const samGroup = (await screen.findByRole('heading', { name: 'Sold by Sam Seller' })).closest('section')!;
    expect(within(samGroup).getByText('Only 2 available. Lower the quantity to check out.')).toBeTruthy();
    expect(within(samGroup).queryByRole('link', { name: /Checkout/ })).toBeNull();
  });

  it('sends the new quantity from the stepper and removes a line', async () => {
    const { requestsTo } = mockFetch({
      ...baseRoutes,
      'GET /api/v1/cart': () => successResponse(cart([{ productId: 1, quantity: 2 }])),
      'PUT /api/v1/cart/items/1': () => successResponse(cart([{ productId: 1, quantity: 3 }])),
      'DELETE /api/v1/cart/items/1': () => new Response(null, { status: 204 }),
    });
    renderApp('/cart');

    fireEvent.click(await screen.findByRole('button', { name: 'Increase quantity of product 1' }));
    await waitFor(() => expect(requestsTo('PUT /api/v1/cart/items/1')[0]?.body).toEqual({ quantity: 3 }));

    fireEvent.click(screen.getByRole('button', { name: 'Remove Product 1' }));
    await waitFor(() => expect(requestsTo('DELETE /api/v1/cart/items/1')).toHaveLength(1));
  });
});

describe('/checkout', () => {
  it('preselects the default address, sends one Idempotency-Key per attempt and opens the confirmation', async () => {
    let attempt = 0;
    const { requestsTo } = mockFetch({
      ...baseRoutes,
      'GET /api/v1/cart': () =>
        successResponse(cart([{ productId: 1, quantity: 2, price: 10 }, { productId: 31, quantity: 1, sellerId: OTHER_SELLER }])),
      'GET /api/v1/users/profile': () => successResponse(profile([address('a1', false, 'Work'), address('a2', true, 'Home')])),
      'POST /api/v1/orders': () =>
        ++attempt === 1
          ? errorResponse(503, 'SERVICE_UNAVAILABLE', 'try again')
          : successResponse({ id: ORDER_ID, status: 'PENDING' }, undefined, 201),
      [`GET /api/v1/payments/order/${ORDER_ID}`]: () => errorResponse(404, 'NOT_FOUND', 'not yet'),
    });
    const { router } = renderApp(`/checkout?seller=${SELLER_ID}`);

    const home = await screen.findByRole('radio', { name: /Home/ });
    expect((home as HTMLInputElement).checked).toBe(true);
    expect(screen.getByText('2 × Product 1')).toBeTruthy();
    expect(screen.queryByText(/Product 31/)).toBeNull();

    await placeOrder();
    await screen.findByText('Something went wrong on our side. Please try again in a moment.');
    await placeOrder();
    await waitFor(() => expect(router.state.location.pathname).toBe(`/orders/${ORDER_ID}/confirmation`));

    const posts = requestsTo('POST /api/v1/orders');
    expect(posts).toHaveLength(2);
    const key = posts[0]?.headers.get('Idempotency-Key');
    expect(key).toMatch(/^[0-9a-f-]{36}$/);
    expect(posts[1]?.headers.get('Idempotency-Key')).toBe(key);
    expect(posts[0]?.body).toEqual({
      items: [{ productId: 1, quantity: 2 }],
      shippingAddress: { street: 'Home street 1', city: 'Hanoi', state: 'HN', country: 'Vietnam', zipCode: '100000' },
    });
  });

  it('validates the manual address form and starts a new key when the order changes', async () => {
    const { requestsTo } = mockFetch({
      ...baseRoutes,
      'GET /api/v1/cart': () => successResponse(cart([{ productId: 1, quantity: 1 }])),
      'GET /api/v1/users/profile': () => successResponse(profile([])),
      'POST /api/v1/orders': () => errorResponse(409, 'INSUFFICIENT_STOCK', 'no stock'),
    });
    renderApp('/checkout');

    await placeOrder();
    expect(await screen.findByText('Enter the street address.')).toBeTruthy();
    expect(requestsTo('POST /api/v1/orders')).toHaveLength(0);

    await screen.findByRole('option', { name: 'Vietnam' });
    fireEvent.change(screen.getByLabelText('Country *'), { target: { value: 'VN' } });
    await placeOrder();
    // Vietnam has postal codes: once it is chosen, one is asked for.
    expect(await screen.findByText('Enter the postal code.')).toBeTruthy();
    for (const [label, value] of [
      ['Street address *', '1 Main St'],
      ['Apartment, suite, unit (optional)', 'Unit 4'],
      ['City *', 'Hue'],
      ['Postal code *', '530000'],
    ] as const) {
      fireEvent.change(screen.getByLabelText(label), { target: { value } });
    }
    await placeOrder();
    expect(await screen.findByText(/no longer have enough stock/)).toBeTruthy();
    expect((requestsTo('POST /api/v1/orders')[0]?.body as { shippingAddress: unknown }).shippingAddress).toEqual({ street: '1 Main St', line2: 'Unit 4', city: 'Hue', country: 'VN', zipCode: '530000' });

    fireEvent.change(screen.getByLabelText('City *'), { target: { value: 'Da Nang' } });
    await placeOrder();
    await waitFor(() => expect(requestsTo('POST /api/v1/orders')).toHaveLength(2));
    const [first, second] = requestsTo('POST /api/v1/orders');
    expect(first?.headers.get('Idempotency-Key')).not.toBe(second?.headers.get('Idempotency-Key'));
  });
});

describe('/checkout for a cart of several sellers', () => {
  const CHECKOUT_ID = '0193a000-9999-7222-8333-444455556666';
  const option = (sellerId: string, id: string, name: string, price: number, freeOver: number | null = null) => ({
    id,
    sellerId,
    name,
    price,
    freeOver,
    minDays: 1,
    maxDays: 3,
    active: true,
    platformDefault: id === 'platform-default',
  });

  it('shows each seller with its shipping choice and one total, and places one checkout', async () => {
    const { requestsTo } = mockFetch({
      ...baseRoutes,
      'GET /api/v1/cart': () =>
        successResponse(cart([{ productId: 1, quantity: 2, price: 10 }, { productId: 31, quantity: 1, price: 60, sellerId: OTHER_SELLER }])),
      'GET /api/v1/users/profile': () => successResponse(profile([address('a2', true, 'Home')])),
      'GET /api/v1/shipping-options': (request) =>
        successResponse(
          request.url.includes(SELLER_ID)
            ? [option(SELLER_ID, 'opt-std', 'Standard', 3), option(SELLER_ID, 'opt-exp', 'Express', 12)]
            : [option(OTHER_SELLER, 'platform-default', 'Standard shipping', 4.99, 50)],
        ),
      'POST /api/v1/checkouts': () => successResponse({ id: CHECKOUT_ID, status: 'PENDING', orders: [] }, undefined, 201),
      [`GET /api/v1/checkouts/${CHECKOUT_ID}`]: () =>
        successResponse({
          id: CHECKOUT_ID,
          status: 'PENDING',
          totals: { subtotal: 80, shipping: 12, discount: 0, tax: 0, taxIncluded: false, total: 92, currency: 'USD' },
          orders: [],
          payment: null,
        }),
    });
    const { router } = renderApp('/checkout');

    const jane = (await screen.findByRole('heading', { name: 'Sold by Jane Seller' })).closest('section')!;
    expect(within(jane).getByText('2 × Product 1')).toBeTruthy();
    const summary = screen.getByRole('complementary', { name: 'Checkout summary' });
    // Standard 3.00 for Jane, free platform default for Sam (60.00 ≥ 50.00).
    expect(within(summary).getByText('$83.00')).toBeTruthy();
    fireEvent.click(within(jane).getByRole('radio', { name: /Express/ }));
    expect(within(summary).getByText('$92.00')).toBeTruthy();

    await placeOrder(within(summary));
    await waitFor(() => expect(router.state.location.pathname).toBe(`/checkouts/${CHECKOUT_ID}/confirmation`));
    const [post] = requestsTo('POST /api/v1/checkouts');
    expect(post?.headers.get('Idempotency-Key')).toMatch(/^[0-9a-f-]{36}$/);
    expect(post?.body).toEqual({
      items: [
        { productId: 1, quantity: 2 },
        { productId: 31, quantity: 1 },
      ],
      shippingAddress: { street: 'Home street 1', city: 'Hanoi', state: 'HN', country: 'Vietnam', zipCode: '100000' },
      shipping: { [SELLER_ID]: 'opt-exp', [OTHER_SELLER]: 'platform-default' },
      expectedTotal: 92,
    });
    expect(await screen.findByRole('heading', { name: 'Confirming your payment…' })).toBeTruthy();
  });

  it('offers Place Order only once the server priced exactly what is on screen, from the first answer on', async () => {
    const held: ReturnType<typeof deferred<Response>>[] = [];
    const priced = (total: number) =>
      successResponse({ totals: { subtotal: 80, shipping: total - 80, discount: 0, tax: 0, taxIncluded: false, total, currency: 'USD' }, orders: [], promotions: [], promoCode: null });
    const { requestsTo } = mockFetch({
      ...baseRoutes,
      'GET /api/v1/cart': () => successResponse(cart([{ productId: 1, quantity: 2, price: 10 }, { productId: 31, quantity: 1, price: 60, sellerId: OTHER_SELLER }])),
      'GET /api/v1/users/profile': () => successResponse(profile([address('a2', true, 'Home')])),
      'GET /api/v1/shipping-options': (request) =>
        successResponse(
          request.url.includes(SELLER_ID)
            ? [option(SELLER_ID, 'opt-std', 'Standard', 3), option(SELLER_ID, 'opt-exp', 'Express', 12)]
            : [option(OTHER_SELLER, 'platform-default', 'Standard shipping', 0)],
        ),
      'POST /api/v1/checkouts/preview': () => {
        held.push(deferred<Response>());
        return held.at(-1)!.promise;
      },
      'POST /api/v1/checkouts': () => successResponse({ id: CHECKOUT_ID, status: 'PENDING', orders: [] }, undefined, 201),
      [`GET /api/v1/checkouts/${CHECKOUT_ID}`]: () => errorResponse(404, 'NOT_FOUND', 'not yet'),
    });
    renderApp('/checkout');
    const summary = await screen.findByRole('complementary', { name: 'Checkout summary' });
    const button = () => within(summary).getByRole('button', { name: /Place Order|Updating totals/ }) as HTMLButtonElement;

    // Before the first answer: no total of the server's yet, so a click is refused by the button itself.
    await waitFor(() => expect(held).toHaveLength(1));
    expect(button().disabled).toBe(true);
    fireEvent.click(button());
    held[0]!.resolve(priced(83));
    await waitFor(() => expect(button().textContent).toBe('Place Order'));
    expect(button().disabled).toBe(false);

    // A change disables it in the same render, before the debounced preview is even asked.
    fireEvent.click(within(screen.getByRole('region', { name: `Seller ${SELLER_ID}` })).getByRole('radio', { name: /Express/ }));
    expect(button().disabled).toBe(true);
    await waitFor(() => expect(held).toHaveLength(2));
    held[1]!.resolve(priced(92));
    await waitFor(() => expect(button().disabled).toBe(false));
    fireEvent.click(button());
    await waitFor(() => expect(requestsTo('POST /api/v1/checkouts')).toHaveLength(1));
    expect(requestsTo('POST /api/v1/checkouts')[0]?.body).toMatchObject({ shipping: { [SELLER_ID]: 'opt-exp' }, expectedTotal: 92 });
  });

  it('opts the checkout in to paying on the provider page, whose Pay now the confirmation page then offers', async () => {
    const FIRST_ORDER = '0193a000-9999-7222-8333-444455550001';
    const url = `/pay/sim/pi_sim_1?client_secret=s&return_url=%2Fcheckouts%2F${CHECKOUT_ID}%2Fconfirmation`;
    const { requestsTo } = mockFetch({
      ...baseRoutes,
      'GET /api/v1/cart': () => successResponse(cart([{ productId: 1, quantity: 1, price: 10 }, { productId: 31, quantity: 1, price: 60, sellerId: OTHER_SELLER }])),
      'GET /api/v1/users/profile': () => successResponse(profile([address('a2', true, 'Home')])),
      'GET /api/v1/shipping-options': (request) => successResponse([option(request.url.includes(SELLER_ID) ? SELLER_ID : OTHER_SELLER, 'platform-default', 'Standard shipping', 0)]),
      'POST /api/v1/checkouts': () => successResponse({ id: CHECKOUT_ID, status: 'PENDING', orders: [] }, undefined, 201),
      [`GET /api/v1/checkouts/${CHECKOUT_ID}`]: () =>
        successResponse({
          id: CHECKOUT_ID,
          status: 'PENDING',
          totals: { subtotal: 70, shipping: 0, discount: 0, tax: 0, taxIncluded: false, total: 70, currency: 'USD' },
          orders: [{ id: FIRST_ORDER, sellerId: SELLER_ID, status: 'PENDING', totalAmount: 10, shipping: null }],
          payment: { id: 'p1', status: 'PENDING', confirmation: 'client', amount: 70, refundedAmount: 0, nextAction: null },
        }),
      [`GET /api/v1/payments/order/${FIRST_ORDER}`]: () =>
        successResponse({ id: 'p1', orderId: null, checkoutId: CHECKOUT_ID, status: 'PENDING', amount: 70, confirmation: 'client', failureReason: null, nextAction: { type: 'redirect', url, clientSecret: 's' } }),
    });
    const { router } = renderApp('/checkout');

    fireEvent.click(await screen.findByRole('radio', { name: /Pay with a card now/ }));
    await placeOrder(within(screen.getByRole('complementary', { name: 'Checkout summary' })));
    await waitFor(() => expect(router.state.location.pathname).toBe(`/checkouts/${CHECKOUT_ID}/confirmation`));
    expect(requestsTo('POST /api/v1/checkouts')[0]?.body).toMatchObject({ paymentConfirmation: 'client' });
    expect(await screen.findByRole('heading', { name: 'Finish your payment' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Pay now' }).getAttribute('href')).toBe(url);
  });
});

describe('/checkout promo code and tax (the preview)', () => {
  const previewOf = (body: { promoCode?: string; shippingAddress?: unknown }) => {
    const applied = body.promoCode === 'WELCOME10';
    const discount = applied ? 2 : 0;
    const tax = body.shippingAddress ? 1.8 : 0;
    return {
      totals: { subtotal: 20, shipping: 0, discount, tax, total: Math.round((20 - discount + tax) * 100) / 100, currency: 'USD' },
      orders: [],
      promotions: applied ? [{ id: 'p1', code: 'WELCOME10', name: 'Welcome', type: 'percentage', fundedBy: 'platform', discount: 2 }] : [],
      promoCode: body.promoCode
        ? applied
          ? { code: 'WELCOME10', applied: true, discount: 2, refusal: null }
          : { code: body.promoCode.toUpperCase(), applied: false, discount: 0, refusal: { code: 'PROMO_CODE_EXPIRED', message: 'This promotion ended at 2026-01-01T00:00:00.000Z' } }
        : null,
    };
  };

  it('shows why a code was refused, what an accepted one took off and the tax, and sends the code with the previewed total', async () => {
    const { requestsTo } = mockFetch({
      ...baseRoutes,
      'GET /api/v1/cart': () => successResponse(cart([{ productId: 1, quantity: 2, price: 10 }])),
      'GET /api/v1/users/profile': () => successResponse(profile([address('a2', true, 'Home')])),
      'POST /api/v1/orders/preview': (request) => successResponse(previewOf(request.body as { promoCode?: string })),
      'POST /api/v1/orders': () => successResponse({ id: ORDER_ID, status: 'PENDING' }, undefined, 201),
      [`GET /api/v1/payments/order/${ORDER_ID}`]: () => errorResponse(404, 'NOT_FOUND', 'not yet'),
    });
    renderApp('/checkout');
    const summary = await screen.findByRole('complementary', { name: 'Order summary' });
    const amountOf = (label: string) => within(summary).getByText(label).nextElementSibling?.textContent;
    await waitFor(() => expect(amountOf('Tax')).toBe('$1.80'));
    expect(amountOf('Total')).toBe('$21.80');

    fireEvent.change(within(summary).getByLabelText('Promo code'), { target: { value: 'old2020' } });
    fireEvent.click(within(summary).getByRole('button', { name: 'Apply code' }));
    const refusal = await within(summary).findByText(/Code OLD2020 was not applied: This promotion ended/);
    expect(refusal.getAttribute('role')).toBe('alert');
    expect(amountOf('Discount')).toBe('$0.00');

    fireEvent.change(within(summary).getByLabelText('Promo code'), { target: { value: 'WELCOME10' } });
    fireEvent.click(within(summary).getByRole('button', { name: 'Apply code' }));
    expect((await within(summary).findByRole('status')).textContent).toBe('Code WELCOME10 applied: −$2.00');
    await waitFor(() => expect(amountOf('Discount')).toBe('−$2.00'));
    expect(amountOf('Total')).toBe('$19.80');

    const place = within(summary).getByRole('button', { name: 'Place Order' });
    await waitFor(() => expect((place as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(place);
    await waitFor(() => expect(requestsTo('POST /api/v1/orders')).toHaveLength(1));
    expect(requestsTo('POST /api/v1/orders')[0]!.body).toMatchObject({ promoCode: 'WELCOME10', expectedTotal: 19.8 });
  });
});

describe('/orders/:id/confirmation', () => {
  it('polls the payment until it completes, then goes to /orders after 3 s', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const answers = [
      () => errorResponse(404, 'NOT_FOUND', 'not yet'),
      () => successResponse({ id: 'p1', orderId: ORDER_ID, status: 'PENDING', amount: 20 }),
      () => successResponse({ id: 'p1', orderId: ORDER_ID, status: 'COMPLETED', amount: 20 }),
    ];
    const { requestsTo } = mockFetch({
      ...baseRoutes,
      'GET /api/v1/cart': () => successResponse(cart([])),
      [`GET /api/v1/payments/order/${ORDER_ID}`]: () => (answers.shift() ?? answers[0]!)(),
      'GET /api/v1/orders': () => successResponse([], pageMeta(0)),
    });
    const { router } = renderApp(`/orders/${ORDER_ID}/confirmation`);

    expect(await screen.findByRole('heading', { name: 'Confirming your payment…' })).toBeTruthy();
    await act(() => vi.advanceTimersByTimeAsync(4_100));
    expect(await screen.findByRole('heading', { name: 'Payment confirmed' })).toBeTruthy();
    expect(requestsTo(`GET /api/v1/payments/order/${ORDER_ID}`)).toHaveLength(3);

    await act(() => vi.advanceTimersByTimeAsync(3_100));
    await waitFor(() => expect(router.state.location.pathname).toBe('/orders'));
  });

  it('says the confirmation is delayed after 60 s without an outcome', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    mockFetch({
      ...baseRoutes,
      'GET /api/v1/cart': () => successResponse(cart([])),
      [`GET /api/v1/payments/order/${ORDER_ID}`]: () => errorResponse(404, 'NOT_FOUND', 'not yet'),
    });
    renderApp(`/orders/${ORDER_ID}/confirmation`);

    await screen.findByRole('heading', { name: 'Confirming your payment…' });
    await act(() => vi.advanceTimersByTimeAsync(60_500));
    expect(await screen.findByRole('heading', { name: 'Confirmation delayed' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'View Order' }).getAttribute('href')).toBe(`/orders/${ORDER_ID}`);
  });

  it('a payment waiting for the buyer offers the provider page and says why the last card failed', async () => {
    const url = '/pay/sim/pi_sim_1?client_secret=s&return_url=%2Forders';
    mockFetch({
      ...baseRoutes,
      'GET /api/v1/cart': () => successResponse(cart([])),
      [`GET /api/v1/payments/order/${ORDER_ID}`]: () =>
        successResponse({ id: 'p1', orderId: ORDER_ID, status: 'PENDING', amount: 20, confirmation: 'client', failureReason: 'gateway declined: insufficient_funds (paymentId=p1)', nextAction: { type: 'redirect', url, clientSecret: 's' } }),
    });
    renderApp(`/orders/${ORDER_ID}/confirmation`);

    expect(await screen.findByRole('heading', { name: 'Finish your payment' })).toBeTruthy();
    expect(screen.getByText('Your last card has insufficient funds. Try another card.').getAttribute('role')).toBe('alert');
    expect(screen.getByRole('link', { name: 'Pay now' }).getAttribute('href')).toBe(url);
  });
});

describe('/checkout payment choice', () => {
  it('charges the saved card by default and opts in to paying on the provider page when asked', async () => {
    const { requestsTo } = mockFetch({
      ...baseRoutes,
      'GET /api/v1/cart': () => successResponse(cart([{ productId: 1, quantity: 1, price: 10 }])),
      'GET /api/v1/users/profile': () => successResponse(profile([address('a2', true, 'Home')])),
      'POST /api/v1/orders': () => successResponse({ id: ORDER_ID, status: 'PENDING' }, undefined, 201),
      [`GET /api/v1/payments/order/${ORDER_ID}`]: () => errorResponse(404, 'NOT_FOUND', 'not yet'),
    });
    renderApp(`/checkout?seller=${SELLER_ID}`);

    const saved = await screen.findByRole('radio', { name: /Saved card/ });
    expect((saved as HTMLInputElement).checked).toBe(true);
    fireEvent.click(screen.getByRole('radio', { name: /Pay with a card now/ }));
    await placeOrder();
    await waitFor(() => expect(requestsTo('POST /api/v1/orders')).toHaveLength(1));
    expect(requestsTo('POST /api/v1/orders')[0]?.body).toMatchObject({ paymentConfirmation: 'client' });
  });
});
