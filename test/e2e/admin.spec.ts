import { randomUUID } from 'node:crypto';

import { type APIRequestContext, type Browser, expect } from '@playwright/test';

import { apiToken, logIn, newVerifiedCustomer, placeConfirmedOrder, seriousAxeViolations, test, withDatabase } from './fixtures.ts';

/** The operator console against the real API and database (seeded admin: the only admin of a fresh e2e database). */

const ADMIN = { email: 'admin@example.com', password: 'Admin@123' };
const CUSTOMER = { email: 'customer@example.com', password: 'Customer@123' };
const SELLER = { email: 'outdoors.seller@example.com', password: 'Seller@123' };
const SAGA_TIMEOUT = 20_000;
const DEAD_LETTER_REASON = 'Error: stock service unreachable';

// Journeys wait on the saga and log in twice on a shared two-core machine: more room than the 30 s default.
test.describe.configure({ timeout: 90_000 });

const shortNumber = (id: string) => id.replaceAll('-', '').slice(-8).toUpperCase();

/** An order placed through the API and paid by the saga. */
const confirmedOrder = async (request: APIRequestContext) => placeConfirmedOrder(request, await apiToken(request, CUSTOMER), [{ productId: 32, quantity: 1 }], SAGA_TIMEOUT);

/**
 * A paid order is turned back into one whose payment outcome dead-lettered: the order returns to PENDING (its payment
 * stays COMPLETED) and the `payment.completed` event is stored as a dead letter of `payment-events`, exactly what the
 * orders consumer stores after its last failed delivery. Replaying it confirms the order. A late duplicate of the
 * same event from the first run of the saga would confirm it the same way, so the fabricated state is consistent.
 */
async function orderWithDeadLetter(request: APIRequestContext): Promise<string> {
  const orderId = await confirmedOrder(request);
  await withDatabase(async (db) => {
    const { rows } = await db.query<{ id: string; amount_cents: string; updated_at: Date }>(`select id, amount_cents, updated_at from payments where order_id = $1 and status = 'COMPLETED'`, [orderId]);
    expect(rows).toHaveLength(1);
    const payment = rows[0]!;
    const event = {
      type: 'payment.completed',
      version: 1,
      correlationId: randomUUID(),
      eventId: `${payment.id}:COMPLETED`,
      orderId,
      paymentId: payment.id,
      amount: Number(payment.amount_cents) / 100,
      occurredAt: payment.updated_at.toISOString(),
    };
    await db.query(`delete from order_status_history where order_id = $1 and new_status <> 'PENDING'`, [orderId]);
    await db.query(`update orders set status = 'PENDING', payment_id = null where id = $1`, [orderId]);
    await db.query(
      `insert into dead_letters (queue, message_id, original_body, original_key, error_stage, error_reason, attempts, correlation_id)
       values ('payment-events', $1, $2, $3, 'process', $4, 5, $5)`,
      [`e2e-${orderId}`, Buffer.from(JSON.stringify(event)).toString('base64'), orderId, DEAD_LETTER_REASON, event.correlationId],
    );
  });
  return orderId;
}

test('an operator finds a dead letter from the overview, replays it and sees the order CONFIRMED', async ({ page, request }) => {
  const orderId = await orderWithDeadLetter(request);
  await logIn(page, ADMIN, '/admin');
  await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();

  await page.getByRole('link', { name: /Dead letters waiting/ }).click();
  await expect(page).toHaveURL(/\/admin\/dead-letters\?open=true$/);
  const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: `order ${shortNumber(orderId)}` }) });
  await expect(row.getByText(DEAD_LETTER_REASON)).toBeVisible();
  await row.getByRole('button', { name: /^Replay letter \d+$/ }).click();
  await expect(page.getByRole('status').getByText(/sent back to its queue/)).toBeVisible();

  // A second replay of the same letter is not offered: it is no longer waiting.
  await expect(row).toBeHidden();
  await page.getByRole('link', { name: 'All', exact: true }).click();
  await page.getByRole('link', { name: `order ${shortNumber(orderId)}` }).click();
  await expect(page.getByRole('heading', { level: 1, name: new RegExp(`Order ${shortNumber(orderId)}`) })).toBeVisible();
  // The page re-reads a PENDING order until the saga has finished it.
  await expect(page.getByRole('heading', { level: 1 }).getByText('Confirmed', { exact: true })).toBeVisible({ timeout: SAGA_TIMEOUT });
  await expect(page.getByRole('region', { name: 'Payment and refunds' }).getByText('Completed', { exact: true }).first()).toBeVisible();

  await page.getByRole('navigation', { name: 'Operator console' }).getByRole('link', { name: 'Audit log' }).click();
  const entry = page.getByRole('row').filter({ hasText: 'dead_letter.replayed' }).filter({ hasText: orderId });
  await expect(entry.first()).toBeVisible();
  await expect(entry.first()).toContainText(ADMIN.email);
});

async function signedInPage(browser: Browser, user: { email: string; password: string }, next: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await logIn(page, user, next);
  return { page, close: () => context.close() };
}

test('an operator changes a user’s role; that user’s open session ends; the change is in the audit log', async ({ page, browser, request }) => {
  const user = await newVerifiedCustomer(request, 'console');
  const other = await signedInPage(browser, user, '/profile');
  await expect(other.page.getByRole('heading', { level: 1, name: 'Your profile' })).toBeVisible();

  await logIn(page, ADMIN, '/admin/users');
  await page.getByLabel('E-mail, name or id').fill(user.email);
  await page.getByRole('button', { name: 'Search' }).click();
  const row = page.getByRole('row').filter({ hasText: user.email });
  await row.getByLabel(`Role of ${user.email}`).selectOption('seller');
  await row.getByRole('button', { name: 'Change role' }).click();
  await row.getByRole('button', { name: 'Yes, change' }).click();
  await expect(page.getByText(`${user.email} is now seller; their session has ended.`)).toBeVisible();
  await expect(row.getByLabel(`Role of ${user.email}`)).toHaveValue('seller');

  // The other browser's next request finds its access and refresh tokens dead and lands on the login page.
  await other.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Orders' }).click();
  await expect(other.page).toHaveURL(/\/login\?next=%2Forders$/);
  await expect(other.page.getByText('Your session has expired. Please log in again.')).toBeVisible();
  await other.close();

  await page.getByRole('navigation', { name: 'Operator console' }).getByRole('link', { name: 'Audit log' }).click();
  await page.getByLabel('Action').fill('user.role_changed');
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page).toHaveURL(/action=user.role_changed/);
  const entry = page.getByRole('row').filter({ hasText: '{"role":"customer"} → {"role":"seller"}' });
  await expect(entry.first()).toContainText(ADMIN.email);
});

test('the only admin cannot demote themself: refused with a clear message, nothing changes', async ({ page }) => {
  await logIn(page, ADMIN, '/admin/users');
  await page.getByLabel('E-mail, name or id').fill(ADMIN.email);
  await page.getByRole('button', { name: 'Search' }).click();
  const row = page.getByRole('row').filter({ hasText: ADMIN.email });
  await row.getByLabel(`Role of ${ADMIN.email}`).selectOption('customer');
  await row.getByRole('button', { name: 'Change role' }).click();
  await row.getByRole('button', { name: 'Yes, change' }).click();
  await expect(page.getByRole('main').getByRole('alert').getByText('This is the only admin account; make another user admin first')).toBeVisible();
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Users' })).toBeVisible();
});

test('an admin action on an order that moved on is refused with a clear 409 message', async ({ page, request }) => {
  const orderId = await confirmedOrder(request);
  await logIn(page, ADMIN, `/admin/orders/${orderId}`);
  await expect(page.getByRole('button', { name: 'Cancel order' })).toBeVisible();
  // Meanwhile the order is delivered elsewhere.
  await withDatabase((db) => db.query(`update orders set status = 'DELIVERED' where id = $1`, [orderId]));
  await page.getByRole('button', { name: 'Cancel order' }).click();
  await page.getByRole('button', { name: 'Yes, cancel' }).click();
  await expect(page.getByRole('main').getByRole('alert').getByText(/This record changed since you loaded it/)).toBeVisible();
  await expect(page.getByRole('heading', { level: 1 }).getByText('Delivered', { exact: true })).toBeVisible();
});

test('a non-admin gets the 403 page and the browser never asks for admin data', async ({ page }) => {
  const adminCalls: string[] = [];
  page.on('request', (req) => {
    if (req.url().includes('/api/v1/admin/')) adminCalls.push(req.url());
  });
  for (const path of ['/admin', '/admin/users', '/admin/dead-letters', '/admin/audit-log']) {
    // Signed in on the way in (the login page follows `next` inside the app).
    await logIn(page, SELLER, path);
    await expect(page.getByRole('heading', { level: 1, name: 'You don’t have access to this page' })).toBeVisible();
  }
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' })).toBeHidden();
  expect(adminCalls).toEqual([]);
});

const CONSOLE_PAGES = ['/admin', '/admin/orders', '/admin/dead-letters', '/admin/users', '/admin/catalog', '/admin/audit-log', '/admin/promotions', '/admin/tax-rates'];

test.describe('console pages at 320 px', () => {
  test.use({ viewport: { width: 320, height: 640 } });

  for (const path of CONSOLE_PAGES) {
    test(`${path}: no serious or critical axe violations, no horizontal overflow`, async ({ page }) => {
      await logIn(page, ADMIN, path);
      await expect(page.getByRole('heading', { level: 1 }).first()).toBeVisible();
      await page.waitForLoadState('networkidle');
      expect(await seriousAxeViolations(page)).toEqual([]);
      const overflow = Number(await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth'));
      expect(overflow).toBeLessThanOrEqual(0);
    });
  }
});

test('an admin is never offered shopping: the product page says why, the cart page explains, no cart is requested', async ({ page }) => {
  const cartRequests: string[] = [];
  page.on('request', (request) => {
    if (new URL(request.url()).pathname.startsWith('/api/v1/cart')) cartRequests.push(request.url());
  });
  await logIn(page, ADMIN, '/products/1');
  await expect(page.getByText(/Admin accounts can’t buy/)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Add to Cart' })).toHaveCount(0);
  await page.goto('/cart');
  await expect(page.getByRole('heading', { level: 1, name: 'Admin accounts don’t shop' })).toBeVisible();
  expect(cartRequests).toEqual([]);
});
