import { createHash, randomUUID } from 'node:crypto';

import AxeBuilder from '@axe-core/playwright';
import { type APIRequestContext, test as base, expect, type Page } from '@playwright/test';
import pg from 'pg';

/**
 * Every spec's `test`: each test is a shopper of its own on an address of its own (`CF-Connecting-IP`, which the
 * local runtime keeps as sent), for its page, its `request` and any context it opens, as real shoppers are. The
 * shop's per-address limits — 60 auth requests a minute locally, every page load refreshing the session — are for
 * one client, and the whole suite from one address went past them once it ran in four minutes.
 */
export const test = base.extend({
  extraHTTPHeaders: async ({ extraHTTPHeaders }, use, testInfo) => {
    const [a = 0, b = 0] = createHash('sha256').update(testInfo.testId).digest();
    await use({ ...extraHTTPHeaders, 'cf-connecting-ip': `10.77.${a}.${b}` });
  },
});

/** The e2e shop's own database (playwright.config.ts serves it on E2E_PORT + 1). */
export const DATABASE_URL = `postgres://postgres:postgres@127.0.0.1:${Number(process.env.E2E_PORT ?? 8851) + 1}/postgres`;

/**
 * Runs `fn` in one transaction on the e2e database. Always a transaction: the local PGlite socket server keeps one
 * connection's protocol messages together only inside a transaction, so a bare parameterized query could interleave
 * with the shop's own statements ("unnamed prepared statement does not exist").
 */
export async function withDatabase<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  try {
    await client.query('begin');
    const result = await fn(client);
    await client.query('commit');
    return result;
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}

/**
 * A new, verified customer with an empty cart: a journey that runs again after a failed attempt (or beside
 * another journey) never finds someone else's lines in its cart.
 */
export async function newVerifiedCustomer(request: APIRequestContext, prefix = 'e2e') {
  const user = { email: `${prefix}-${randomUUID()}@example.com`, password: 'Sturdy4Pass' };
  const registered = await request.post('/api/v1/auth/register', { data: { ...user, first_name: 'Role', last_name: 'Change' } });
  expect(registered.status()).toBe(201);
  // The verification e-mail only reaches the log here; the code's own flow is covered by the identity tests.
  await withDatabase((db) => db.query('update users set is_verified = true where lower(email) = $1', [user.email]));
  return user;
}

/** The short order number the pages show: the last 8 hex characters of the id. */
export const shortId = (id: string) => id.replace(/-/g, '').slice(-8).toUpperCase();

/** Signs in through the login page and waits until it has sent the browser on to `next`. */
export async function logIn(page: Page, user: { email: string; password: string }, next: string) {
  await page.goto(`/login?next=${encodeURIComponent(next)}`);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page).toHaveURL((url) => url.pathname + url.search === next);
}

/** An access token for API set-up steps. */
export async function apiToken(request: APIRequestContext, user: { email: string; password: string }) {
  const response = await request.post('/api/v1/auth/login', { data: { email: user.email, password: user.password } });
  expect(response.status()).toBe(200);
  return ((await response.json()) as { data: { access_token: string } }).data.access_token;
}

/** One unit of each product in `buyerToken`'s user's cart, put there through the API (for journeys that start at the cart). */
export async function addToCartViaApi(request: APIRequestContext, buyerToken: string, productIds: number[]) {
  for (const productId of productIds) {
    const added = await request.post('/api/v1/cart/items', { headers: { authorization: `Bearer ${buyerToken}` }, data: { product_id: productId, quantity: 1 } });
    expect(added.status()).toBe(201);
  }
}

/** An order placed through the API by `buyerToken`'s user, returned once the saga has CONFIRMED it. */
export async function placeConfirmedOrder(request: APIRequestContext, buyerToken: string, items: { productId: number; quantity: number }[], timeout = 20_000): Promise<string> {
  const placed = await request.post('/api/v1/orders', {
    headers: { authorization: `Bearer ${buyerToken}`, 'idempotency-key': randomUUID() },
    data: { items, shippingAddress: { street: '9 Test Way', city: 'Hue', state: 'Thua Thien', country: 'Vietnam', zipCode: '530000' } },
  });
  expect(placed.status()).toBe(201);
  const orderId = ((await placed.json()) as { data: { id: string } }).data.id;
  await expect
    .poll(
      async () => {
        const order = await request.get(`/api/v1/orders/${orderId}`, { headers: { authorization: `Bearer ${buyerToken}` } });
        return ((await order.json()) as { data: { status: string } }).data.status;
      },
      { timeout },
    )
    .toBe('CONFIRMED');
  return orderId;
}

/** A new ACTIVE product of `sellerToken`'s seller at 12.50 with 20 units, created through the API. */
export async function createProductViaApi(request: APIRequestContext, sellerToken: string, name: string) {
  const response = await request.post('/api/v1/products', {
    headers: { authorization: `Bearer ${sellerToken}` },
    data: { name, description: 'Made by the e2e suite.', price: 12.5, stockQuantity: 20 },
  });
  expect(response.status()).toBe(201);
  return ((await response.json()) as { data: { id: number } }).data.id;
}

/** Serious or critical axe violations of WCAG 2.x A/AA on the page as it is now (an empty list passes). */
export async function seriousAxeViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) }));
}

/**
 * Runs `check` on the page in the light theme, then switches that same page to dark in place and runs it again: one
 * page load for both palettes. The page must have been opened with no saved theme (the app then follows the system
 * setting, which starts light here); the switch is the system setting changing, which the app applies at once. CSS
 * transitions of the switch (button colours) are waited out first, so contrast is measured on the final colours.
 */
export async function inLightAndDark(page: Page, check: (theme: 'light' | 'dark') => Promise<void>) {
  for (const theme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: theme });
    await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
    // A string keeps browser globals out of the Node-typed test project.
    await page.evaluate('Promise.allSettled(document.getAnimations().filter((a) => a instanceof CSSTransition).map((a) => a.finished))');
    await check(theme);
  }
}

/** Fills the shop's one address form (profile and checkout); the country is chosen from the list by its code. */
export async function fillAddress(page: Page, address: { recipient?: string; street: string; line2?: string; city: string; state?: string; country: string; postalCode?: string }) {
  if (address.recipient) await page.getByLabel('Recipient name').fill(address.recipient);
  await page.getByLabel('Street address').fill(address.street);
  if (address.line2) await page.getByLabel('Apartment, suite, unit (optional)').fill(address.line2);
  await page.getByLabel('City').fill(address.city);
  if (address.state) await page.getByLabel('State / region (optional)').fill(address.state);
  await page.getByLabel('Country').selectOption(address.country);
  if (address.postalCode) await page.getByLabel(/^Postal code/).fill(address.postalCode);
}
