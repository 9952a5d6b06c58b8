import { fireEvent, screen, waitFor } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import { cart } from '@/testing/fixtures';
import { mockFetch, successResponse } from '@/testing/mock-fetch';
import { renderApp } from '@/testing/render-app';
import { logInAs } from '@/testing/session';

// The provider's script is never fetched in tests: its loader hands back a fake provider whose calls are recorded.
const stripe = vi.hoisted(() => {
  const element = { mount: vi.fn(), destroy: vi.fn() };
  const elements = { create: vi.fn(() => element) };
  const provider = { elements: vi.fn(() => elements), confirmPayment: vi.fn(), confirmSetup: vi.fn() };
  return { element, elements, provider, loadStripe: vi.fn(async () => provider) };
});
vi.mock('@stripe/stripe-js/pure', () => ({ loadStripe: stripe.loadStripe }));

const ORDER_ID = '55556666-0000-4000-8000-000000000001';
const chrome = {
  'GET /api/v1/cart': () => successResponse(cart([])),
  'GET /api/v1/orders/notifications': () => successResponse({ unreadCount: 0, items: [] }),
  'GET /api/v1/payments/provider': () => successResponse({ provider: 'stripe', publishableKey: 'pk_test_123' }),
};
const waitingPayment = (failureReason: string | null = null) => ({
  id: 'p1',
  orderId: ORDER_ID,
  checkoutId: null,
  status: 'PENDING',
  amount: 298,
  confirmation: 'client',
  failureReason,
  nextAction: { type: 'use_provider_js', url: null, clientSecret: 'pi_1_secret_abc' },
});

beforeEach(() => {
  logInAs('customer');
  vi.clearAllMocks();
});

/** Opens the order's payment page and waits until the provider's form is mounted. */
async function openPaymentPage(payment = waitingPayment()) {
  mockFetch({ ...chrome, [`GET /api/v1/payments/order/${ORDER_ID}`]: () => successResponse(payment) });
  const view = renderApp(`/checkout/pay/${ORDER_ID}`);
  await waitFor(() => expect(stripe.element.mount).toHaveBeenCalledWith(screen.getByTestId('provider-payment-element')));
  return view;
}

describe('/checkout/pay/:orderId with the real provider', () => {
  it('loads the provider with the publishable key and mounts its Payment Element with the client secret', async () => {
    const view = await openPaymentPage();
    expect(stripe.loadStripe).toHaveBeenCalledWith('pk_test_123');
    expect(stripe.provider.elements).toHaveBeenCalledWith({ clientSecret: 'pi_1_secret_abc' });
    expect(stripe.elements.create).toHaveBeenCalledWith('payment');
    expect(stripe.element.destroy).not.toHaveBeenCalled();
    view.unmount();
    expect(stripe.element.destroy).toHaveBeenCalledTimes(1);
  });

  it('shows a decline, lets the buyer try again, and follows the payment once the provider accepts the card', async () => {
    stripe.provider.confirmPayment
      .mockResolvedValueOnce({ error: { type: 'card_error', code: 'card_declined', decline_code: 'insufficient_funds', message: 'Your card has insufficient funds.' } })
      .mockResolvedValueOnce({ paymentIntent: { status: 'succeeded' } });
    const { router } = await openPaymentPage();

    fireEvent.click(await screen.findByRole('button', { name: 'Pay $298.00' }));
    expect(await screen.findByText('Your last card has insufficient funds. Try another card.')).toBeTruthy();
    expect(stripe.provider.confirmPayment).toHaveBeenCalledWith({
      elements: stripe.elements,
      confirmParams: { return_url: `${window.location.origin}/orders/${ORDER_ID}/confirmation` },
      redirect: 'if_required',
    });
    expect(router.state.location.pathname).toBe(`/checkout/pay/${ORDER_ID}`);

    fireEvent.click(screen.getByRole('button', { name: 'Pay $298.00' }));
    await waitFor(() => expect(router.state.location.pathname).toBe(`/orders/${ORDER_ID}/confirmation`));
  });

  it('says a failed 3-D Secure check failed, and a generic decline was declined', async () => {
    stripe.provider.confirmPayment
      .mockResolvedValueOnce({ error: { type: 'invalid_request_error', code: 'payment_intent_authentication_failure', message: 'We are unable to authenticate your payment method.' } })
      .mockResolvedValueOnce({ error: { type: 'card_error', code: 'card_declined', decline_code: 'generic_decline', message: 'Your card was declined.' } });
    await openPaymentPage();

    fireEvent.click(await screen.findByRole('button', { name: 'Pay $298.00' }));
    expect(await screen.findByText('The 3-D Secure check of your last card failed. Try again or use another card.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Pay $298.00' }));
    expect(await screen.findByText('Your last card was declined. Try another card.')).toBeTruthy();
  });

  it('mounts nothing when no payment waits for the buyer', async () => {
    mockFetch({ ...chrome, [`GET /api/v1/payments/order/${ORDER_ID}`]: () => successResponse({ ...waitingPayment(), status: 'COMPLETED', nextAction: null }) });
    renderApp(`/checkout/pay/${ORDER_ID}`);
    expect(await screen.findByText(/Nothing is waiting for your payment here/)).toBeTruthy();
    expect(stripe.loadStripe).not.toHaveBeenCalled();
  });
});

describe('/checkout/cards/new with the real provider', () => {
  it('mounts the form for the setup intent in the fragment and saves the card with confirmSetup', async () => {
    stripe.provider.confirmSetup.mockResolvedValueOnce({ setupIntent: { status: 'succeeded' } });
    mockFetch({ ...chrome, 'GET /api/v1/payments/methods': () => successResponse([]), 'GET /api/v1/users/profile': () => successResponse({ id: 'u-2', email: 'c@example.com', role: 'customer', first_name: 'J', last_name: 'D', phone: null, avatar_url: null, addresses: [] }) });
    const { router } = renderApp('/checkout/cards/new#seti_1_secret_xyz');
    await waitFor(() => expect(stripe.element.mount).toHaveBeenCalled());
    expect(stripe.provider.elements).toHaveBeenCalledWith({ clientSecret: 'seti_1_secret_xyz' });

    fireEvent.click(screen.getByRole('button', { name: 'Save card' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/profile'));
    expect(stripe.provider.confirmSetup).toHaveBeenCalledWith(expect.objectContaining({ elements: stripe.elements, redirect: 'if_required', confirmParams: { return_url: `${window.location.origin}/profile` } }));
  });
});
