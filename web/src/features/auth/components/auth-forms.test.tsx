import { fireEvent, screen, waitFor } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';

import { ACCEPTED_PASSWORDS, REFUSED_REGISTRATIONS } from '@contract/identity.examples';
import { validateRegistration } from '@/features/auth/components/register-form';
import { useAuthStore } from '@/stores/auth-store';
import { deferred, errorResponse, mockFetch, successResponse } from '@/testing/mock-fetch';
import { renderApp } from '@/testing/render-app';

const session = {
  access_token: 'access-1',
  refresh_token: 'refresh-1',
  token_type: 'Bearer',
  expires_in: 900,
  user: { id: 'u-2', email: 'customer@example.com', role: 'customer', first_name: 'John', last_name: 'Doe' },
};

const type = (label: string | RegExp, value: string) =>
  fireEvent.change(screen.getByLabelText(label), { target: { value } });

beforeEach(() => {
  useAuthStore.getState().clearAuth();
});

describe('register form validation', () => {
  const valid = { first_name: 'Ann', last_name: 'Lee', email: 'ann@example.com', password: 'Customer@123' };

  // The same list the server's route test answers 400 for: the form refuses each value on the same field.
  it.each(REFUSED_REGISTRATIONS)('refuses %s, as the server does', (_name, override, field) => {
    const errors = validateRegistration({ ...valid, ...override });
    expect(Object.keys(errors)).toEqual([field]);
  });

  it.each(ACCEPTED_PASSWORDS)('accepts the password %s, as the server does (a letter from any alphabet counts)', (password) => {
    expect(validateRegistration({ ...valid, password })).toEqual({});
  });

  it('words a password problem as the server’s own schema does', () => {
    expect(validateRegistration({ ...valid, password: 'abcdefgh' }).password).toBe('Password must contain a digit');
    expect(validateRegistration({ ...valid, password: 'Ab1' }).password).toBe('Password must be at least 8 characters');
    expect(validateRegistration({ ...valid, password: '' }).password).toBe('Enter a password.');
  });

  it('requires names (≤100) and a valid email', () => {
    const errors = validateRegistration({ first_name: ' ', last_name: 'x'.repeat(101), email: 'nope', password: 'abc12345' });
    expect(Object.keys(errors).sort()).toEqual(['email', 'first_name', 'last_name']);
  });

  it('shows client errors next to the fields, marks them invalid and sends nothing', async () => {
    const { fetchMock } = mockFetch({});
    renderApp('/register');
    await screen.findByRole('heading', { name: 'Create an account' });

    type('Email *', 'not-an-email');
    type(/^Password/, 'short');
    fireEvent.click(screen.getByRole('button', { name: 'Create account' }));

    expect(await screen.findByText('Invalid email address')).toBeTruthy();
    expect(screen.getByText('Password must be at least 8 characters')).toBeTruthy();
    expect(screen.getByLabelText('Email *').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByLabelText(/^Password/).getAttribute('aria-describedby')).toContain('-error');
    expect(fetchMock).not.toHaveBeenCalled();

    // Correcting a field clears its message at once; the other field keeps its own until it changes too.
    type('Email *', 'ann@example.com');
    expect(screen.queryByText('Invalid email address')).toBeNull();
    expect(screen.getByLabelText('Email *').getAttribute('aria-invalid')).not.toBe('true');
    expect(screen.getByText('Password must be at least 8 characters')).toBeTruthy();
  });

  it('shows the server’s field errors next to the fields and goes to verification on success', async () => {
    let attempt = 0;
    const { requestsTo } = mockFetch({
      'POST /api/v1/auth/register': (request) =>
        ++attempt === 1
          ? errorResponse(409, 'DUPLICATE_EMAIL', 'Email already registered', { details: { email: 'is already registered' } })
          : successResponse({ id: 'u9', role: 'customer', ...(request.body as object) }, undefined, 201),
    });
    const { router } = renderApp('/register');
    await screen.findByRole('heading', { name: 'Create an account' });

    type('First name *', 'Ann');
    type('Last name *', 'Lee');
    type('Email *', 'ann@example.com');
    type(/^Password/, 'secret123');
    fireEvent.click(screen.getByRole('button', { name: 'Create account' }));

    expect(await screen.findByText('is already registered')).toBeTruthy();
    expect(screen.getByLabelText('Email *').getAttribute('aria-invalid')).toBe('true');
    expect(requestsTo('POST /api/v1/auth/register')[0]?.body).toEqual({
      first_name: 'Ann',
      last_name: 'Lee',
      email: 'ann@example.com',
      password: 'secret123',
    });

    type('Email *', 'ann2@example.com');
    fireEvent.click(screen.getByRole('button', { name: 'Create account' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/verify-email'));
    expect(router.state.location.search).toBe('?email=ann2%40example.com');
  });
});

describe('login form', () => {
  it('disables submit while pending, stores the session and follows ?next=', async () => {
    const gate = deferred<Response>();
    mockFetch({ 'POST /api/v1/auth/login': () => gate.promise });
    const { router } = renderApp('/login?next=%2Forders%3Fpage%3D2');
    await screen.findByRole('heading', { name: 'Log in' });

    type('Email *', 'customer@example.com');
    type('Password *', 'Customer@123');
    fireEvent.click(screen.getByRole('button', { name: 'Log in' }));

    const pending = await screen.findByRole('button', { name: 'Logging in…' });
    expect((pending as HTMLButtonElement).disabled).toBe(true);
    gate.resolve(successResponse(session));

    await waitFor(() => expect(router.state.location.pathname).toBe('/orders'));
    expect(router.state.location.search).toBe('?page=2');
    expect(useAuthStore.getState()).toMatchObject({ accessToken: 'access-1', refreshToken: null });
    expect(localStorage.getItem('edge-shop.auth') ?? '').not.toContain('refresh-1');
    expect(useAuthStore.getState().user?.email).toBe('customer@example.com');
  });

  it('shows wrong credentials inline and never follows an off-site next', async () => {
    let attempt = 0;
    mockFetch({
      'POST /api/v1/auth/login': () =>
        ++attempt === 1 ? errorResponse(401, 'INVALID_CREDENTIALS', 'Invalid email or password') : successResponse(session),
    });
    const { router } = renderApp('/login?next=%2F%2Fevil.example');
    await screen.findByRole('heading', { name: 'Log in' });

    type('Email *', 'customer@example.com');
    type('Password *', 'wrong-pass1');
    fireEvent.click(screen.getByRole('button', { name: 'Log in' }));
    await waitFor(() => expect(screen.getAllByRole('alert').some((a) => a.textContent === 'Invalid email or password')).toBe(true));
    expect(useAuthStore.getState().user).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: 'Log in' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/'));
  });

  it('links an unverified account to the verification page', async () => {
    mockFetch({ 'POST /api/v1/auth/login': () => errorResponse(403, 'EMAIL_NOT_VERIFIED', 'Email not verified') });
    renderApp('/login');
    await screen.findByRole('heading', { name: 'Log in' });

    type('Email *', 'new@example.com');
    type('Password *', 'abc12345');
    fireEvent.click(screen.getByRole('button', { name: 'Log in' }));

    const link = await screen.findByRole('link', { name: 'Verify your email address' });
    expect(link.getAttribute('href')).toBe('/verify-email?email=new%40example.com');
  });
});

describe('reset password', () => {
  it('sends email, token and the new password from the link', async () => {
    const { requestsTo } = mockFetch({ 'POST /api/v1/auth/reset-password': () => successResponse({ message: 'ok' }) });
    const { router } = renderApp('/reset-password?token=abc&email=a%40b.co');
    await screen.findByRole('heading', { name: 'Choose a new password' });

    type(/^New password/, 'newpass99');
    type(/^Confirm new password/, 'newpass98');
    fireEvent.click(screen.getByRole('button', { name: 'Set new password' }));
    expect(await screen.findByText('The passwords do not match.')).toBeTruthy();

    type(/^Confirm new password/, 'newpass99');
    fireEvent.click(screen.getByRole('button', { name: 'Set new password' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/login'));
    expect(requestsTo('POST /api/v1/auth/reset-password')[0]?.body).toEqual({
      email: 'a@b.co',
      token: 'abc',
      password: 'newpass99',
    });
  });
});

describe('verify email', () => {
  it('verifies the 6-digit code, signs the account in and goes on to where the visitor was going', async () => {
    const { requestsTo } = mockFetch({
      'POST /api/v1/auth/verify-email': () => successResponse({ message: 'verified', ...session }),
      'GET /api/v1/products/32': () => errorResponse(404, 'PRODUCT_NOT_FOUND', 'gone'),
    });
    const { router } = renderApp('/verify-email?email=ann%40example.com&next=%2Fproducts%2F32%3Fadd%3D2');
    await screen.findByRole('heading', { name: 'Verify your email' });

    type(/^Verification code/, '12a3');
    fireEvent.click(screen.getByRole('button', { name: 'Verify email' }));
    expect(await screen.findByText('Enter the 6-digit code from the email.')).toBeTruthy();

    type(/^Verification code/, '123456');
    fireEvent.click(screen.getByRole('button', { name: 'Verify email' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/products/32'));
    expect(router.state.location.search).toBe('?add=2');
    expect(requestsTo('POST /api/v1/auth/verify-email')[0]?.body).toEqual({ email: 'ann@example.com', code: '123456' });
    expect(useAuthStore.getState().user?.email).toBe(session.user.email);
  });
});
