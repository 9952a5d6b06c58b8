import { expect, type Page } from '@playwright/test';

import { logIn, newVerifiedCustomer, test } from './fixtures.ts';

/**
 * Hardening item 6: the SPA is served with a strict CSP (no inline script) and the other security headers, the
 * pages still work under it, and the refresh token never reaches localStorage.
 */

/** Collects CSP violations the page reports while it runs. */
function watchCsp(page: Page): string[] {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  return violations;
}

test('HTML and assets carry the CSP and the other security headers', async ({ page, request }) => {
  for (const path of ['/', '/products/1', '/theme-init.js']) {
    const headers = (await request.get(path)).headers();
    expect(headers['content-security-policy'], path).toContain("script-src 'self'");
    expect(headers['content-security-policy'], path).not.toContain('unsafe-inline');
    expect(headers['content-security-policy'], path).toContain("frame-ancestors 'none'");
    expect(headers['x-frame-options'], path).toBe('DENY');
    expect(headers['strict-transport-security'], path).toContain('max-age=');
    expect(headers['referrer-policy'], path).toBe('strict-origin-when-cross-origin');
    expect(headers['x-content-type-options'], path).toBe('nosniff');
  }
  const html = await (await request.get('/')).text();
  expect(html).not.toMatch(/<script>(?!\s*<\/script>)/);
  const violations = watchCsp(page);
  await page.goto('/');
  await expect(page.locator('html')).toHaveAttribute('data-theme', /light|dark/);
  await page.goto('/products/1');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  expect(violations).toEqual([]);
});

const TURNSTILE = 'https://challenges.cloudflare.com';

/** One directive's sources in a CSP header, e.g. `directive(csp, 'script-src')` → `["'self'"]`. */
const directive = (csp: string, name: string) =>
  csp
    .split(';')
    .map((part) => part.trim().split(/\s+/))
    .find(([key]) => key === name)
    ?.slice(1) ?? [];

test('only the launch page lets Turnstile in (script and frame), under one policy; other pages do not', async ({ page, request }) => {
  const launch = (await request.get('/launch/1')).headers();
  const csp = launch['content-security-policy'] ?? '';
  // One policy, not the site-wide one joined with the launch page's (the rule detaches the first).
  expect(csp.split(',')).toHaveLength(1);
  expect(directive(csp, 'script-src')).toEqual(["'self'", TURNSTILE]);
  expect(directive(csp, 'frame-src')).toEqual([TURNSTILE]);
  expect(csp).not.toContain('unsafe-inline');
  expect(csp).toContain("frame-ancestors 'none'");
  expect(launch['x-frame-options']).toBe('DENY');
  for (const path of ['/', '/products/1', '/launches', '/theme-init.js']) {
    const other = (await request.get(path)).headers()['content-security-policy'] ?? '';
    expect(other, path).not.toContain(TURNSTILE);
    expect(directive(other, 'script-src'), path).toEqual(["'self'"]);
  }
  // The page itself runs under that policy without a violation (no site key locally: nothing is loaded).
  const violations = watchCsp(page);
  await page.goto('/launch/1');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  expect(violations).toEqual([]);
});

const STRIPE_JS = 'https://js.stripe.com';

test("only the checkout's payment pages let the payment provider in (script, frames, API), under one policy", async ({ page, request }) => {
  for (const path of ['/checkout/pay/00000000-0000-4000-8000-000000000001', '/checkout/cards/new']) {
    const headers = (await request.get(path)).headers();
    const csp = headers['content-security-policy'] ?? '';
    expect(csp.split(','), path).toHaveLength(1);
    expect(directive(csp, 'script-src'), path).toEqual(["'self'", STRIPE_JS]);
    expect(directive(csp, 'frame-src'), path).toEqual([STRIPE_JS, 'https://hooks.stripe.com']);
    expect(directive(csp, 'connect-src'), path).toEqual(["'self'", 'https://api.stripe.com']);
    expect(csp, path).not.toContain('unsafe-inline');
    expect(csp, path).toContain("frame-ancestors 'none'");
    expect(headers['x-frame-options'], path).toBe('DENY');
  }
  for (const path of ['/', '/products', '/orders', '/profile', '/checkout', '/checkouts/00000000-0000-4000-8000-000000000001/confirmation', '/launch/1']) {
    const other = (await request.get(path)).headers()['content-security-policy'] ?? '';
    expect(other, path).not.toContain('stripe.com');
    expect(directive(other, 'connect-src'), path).toEqual(["'self'"]);
  }
  // The page itself runs under that policy without a violation (signed out: the sign-in page; nothing is loaded).
  const violations = watchCsp(page);
  await page.goto('/checkout/cards/new');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  expect(violations).toEqual([]);
});

/**
 * A stand-in for the provider's script, served as if from its origin (no network here): the Payment Element is a
 * frame from js.stripe.com and confirming calls api.stripe.com — each allowed by the page's CSP or not at all.
 */
const FAKE_STRIPE_JS = `
window.Stripe = function (key) {
  window.stripeKey = key;
  return {
    elements: function () {
      return { create: function () { return {
        mount: function (target) { var frame = document.createElement('iframe'); frame.src = '${STRIPE_JS}/elements-frame'; frame.title = 'Secure payment input'; target.appendChild(frame); },
        destroy: function () {},
      }; } };
    },
    confirmPayment: function () {
      return fetch('https://api.stripe.com/v1/payment_intents/pi_e2e/confirm', { method: 'POST' }).then(function (res) { return res.json(); });
    },
  };
};
window.Stripe.version = 3;`;

test("the provider's script, form frame and API run under the payment page's CSP, reached by a full page load", async ({ page, request }) => {
  const orderId = '00000000-0000-4000-8000-00000000e2e1';
  const payment = { id: orderId, orderId, checkoutId: null, userId: 'u', amount: 12.5, refundedAmount: 0, currency: 'USD', status: 'PENDING', method: 'CARD', gatewayReference: 'pi_e2e', failureReason: null, confirmation: 'client', nextAction: { type: 'use_provider_js', url: null, clientSecret: 'pi_e2e_secret_1' }, createdAt: '2026-12-07T00:00:00Z', updatedAt: '2026-12-07T00:00:00Z' };
  await page.route('**/api/v1/payments/provider', (route) => route.fulfill({ json: { success: true, data: { provider: 'stripe', publishableKey: 'pk_test_e2e' } } }));
  await page.route(`**/api/v1/payments/order/${orderId}`, (route) => route.fulfill({ json: { success: true, data: payment } }));
  await page.route(`${STRIPE_JS}/**`, (route) =>
    route.request().resourceType() === 'script' ? route.fulfill({ contentType: 'text/javascript', body: FAKE_STRIPE_JS }) : route.fulfill({ contentType: 'text/html', body: '<p>card form</p>' }),
  );
  await page.route('https://api.stripe.com/**', (route) =>
    route.fulfill({ json: { error: { type: 'card_error', code: 'card_declined', decline_code: 'insufficient_funds' } }, headers: { 'access-control-allow-origin': '*' } }),
  );
  await logIn(page, await newVerifiedCustomer(request, 'csp'), '/orders');
  const violations = watchCsp(page);

  await page.goto(`/checkout/pay/${orderId}`);
  await expect(page.frameLocator('iframe[title="Secure payment input"]').getByText('card form')).toBeVisible();
  expect(await page.evaluate('window.stripeKey')).toBe('pk_test_e2e');
  await page.getByRole('button', { name: 'Pay $12.50' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'insufficient funds' })).toHaveText('Your last card has insufficient funds. Try another card.');
  expect(violations).toEqual([]);

  // The same script is refused on a page without the checkout's policy.
  await page.goto('/orders');
  const refused = await page.evaluate(`new Promise((resolve) => {
    const script = document.createElement('script');
    script.src = '${STRIPE_JS}/endive/stripe.js';
    script.onload = () => resolve(false);
    script.onerror = () => resolve(true);
    document.head.appendChild(script);
  })`);
  expect(refused).toBe(true);
});

test('the API reference renders under its own CSP (a Worker response, not the SPA one) without a violation', async ({ page, request }) => {
  test.setTimeout(90_000);
  const violations = watchCsp(page);
  const script = await request.get('/vendor/scalar/standalone.js');
  expect(script.status()).toBe(200);
  const response = await page.goto('/api/docs');
  const csp = response?.headers()['content-security-policy'] ?? '';
  expect(csp).toMatch(/script-src 'self' 'nonce-[^']+'/);
  expect(csp).toContain("frame-ancestors 'none'");
  await expect(page).toHaveTitle('Edge Shop API');
  // The reference has run: it fetched the OpenAPI document and rendered its title and its tags' sections.
  await expect(page.getByRole('heading', { name: 'Edge Shop API' }).first()).toBeVisible({ timeout: 30_000 });
  await expect(page.locator('a[href="#tag/auth"]').first()).toBeAttached();
  expect(violations).toEqual([]);
});

test('signing in keeps the refresh token out of localStorage; a reload restores the session from the cookie', async ({ page }) => {
  test.setTimeout(90_000);
  await page.goto('/login');
  await page.getByLabel('Email').fill('customer@example.com');
  await page.getByLabel('Password').fill('Customer@123');
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page).not.toHaveURL(/\/login/);
  const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }));
  expect(stored).not.toMatch(/refresh/i);
  expect(stored).not.toMatch(/[0-9a-f]{128}/);
  await page.goto('/profile');
  await page.reload();
  await expect(page).toHaveURL(/\/profile$/);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(page.getByText('customer@example.com').first()).toBeVisible();
});
