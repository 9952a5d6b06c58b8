import { randomUUID } from 'node:crypto';

import { type APIRequestContext, type Browser, expect } from '@playwright/test';

import { addToCartViaApi, apiToken, fillAddress, logIn, newVerifiedCustomer, shortId, test } from './fixtures.ts';

/**
 * The marketplace journey against the real API (docs/decisions/marketplace.md): a cart with two sellers' products →
 * one checkout (a shipping choice per seller, one total) → one payment → both orders CONFIRMED → each seller ships
 * only its own → the buyer cancels the other seller's order → only that part is refunded → that seller's Earnings
 * page shows the sale and its reversal.
 */

const JANE = { email: 'seller@example.com', password: 'Seller@123', id: '00000000-0000-0000-0000-000000000003' };
const SAM = { email: 'outdoors.seller@example.com', password: 'Seller@123', id: '00000000-0000-0000-0000-000000000004' };
/** Seeded: Jane sells product 8 (Glide Vertical Wireless Mouse, 39.00), Sam sells product 31. */
const JANE_PRODUCT = 8;
const SAM_PRODUCT = 31;
const SAGA_TIMEOUT = 30_000;

test.describe.configure({ timeout: 120_000 });

async function signedInPage(browser: Browser, user: { email: string; password: string }, next: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await logIn(page, user, next);
  return page;
}

type Checkout = { id: string; status: string; totals: { total: number }; orders: { id: string; sellerId: string; status: string; totalAmount: number }[]; payment: { status: string; amount: number; refundedAmount: number } | null };

async function readCheckout(request: APIRequestContext, token: string, id: string) {
  const response = await request.get(`/api/v1/checkouts/${id}`, { headers: { authorization: `Bearer ${token}` } });
  expect(response.status()).toBe(200);
  return ((await response.json()) as { data: Checkout }).data;
}

test('two sellers, one checkout, one payment; each seller ships its own; cancelling one refunds only that part', async ({ page, browser, request }) => {
  // Sam offers a shipping option of his own, added in the seller portal (Jane has none: the platform default).
  const optionName = `Trail courier ${randomUUID().slice(0, 6)}`;
  const sam = await signedInPage(browser, SAM, '/seller/shipping');
  await expect(sam.getByRole('heading', { level: 1, name: 'Shipping' })).toBeVisible();
  await sam.getByLabel('Name').fill(optionName);
  await sam.getByLabel('Price').fill('6.50');
  await sam.getByLabel('Min days').fill('1');
  await sam.getByLabel('Max days').fill('2');
  await sam.getByRole('button', { name: 'Add option' }).click();
  await expect(sam.getByRole('table', { name: 'Your shipping options' }).getByRole('cell', { name: optionName, exact: true })).toBeVisible();

  // A buyer of its own, with one product of each seller in the cart.
  const buyer = await newVerifiedCustomer(request, 'market');
  const buyerToken = await apiToken(request, buyer);
  await addToCartViaApi(request, buyerToken, [JANE_PRODUCT, SAM_PRODUCT]);
  await logIn(page, buyer, '/cart');
  await page.getByRole('link', { name: 'Check out', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Checkout' })).toBeVisible();
  const samGroup = page.getByRole('region', { name: `Seller ${SAM.id}` });
  const janeGroup = page.getByRole('region', { name: `Seller ${JANE.id}` });
  await expect(janeGroup.getByRole('radio', { name: /Standard shipping/ })).toBeChecked();
  await samGroup.getByRole('radio', { name: new RegExp(optionName) }).check();
  const summary = page.getByRole('complementary', { name: 'Checkout summary' });
  await expect(summary.getByText('Sellers')).toBeVisible();
  await page.getByRole('radio', { name: 'Enter an address' }).check();
  await fillAddress(page, { street: '7 Marketplace Road', city: 'Hue', state: 'TTH', country: 'VN', postalCode: '530000' });
  await summary.getByRole('button', { name: 'Place Order' }).click();

  await expect(page).toHaveURL(/\/checkouts\/[0-9a-f-]{36}\/confirmation$/);
  const checkoutId = /\/checkouts\/([0-9a-f-]{36})\/confirmation$/.exec(page.url())?.[1] ?? '';
  await expect(page.getByRole('heading', { level: 1, name: 'Payment confirmed' })).toBeVisible({ timeout: SAGA_TIMEOUT });
  const orders = page.getByRole('table', { name: 'Orders of this checkout' });
  await expect(orders.getByText('Confirmed', { exact: true })).toHaveCount(2);

  const checkout = await readCheckout(request, buyerToken, checkoutId);
  expect(checkout.payment).toMatchObject({ status: 'COMPLETED', amount: checkout.totals.total, refundedAmount: 0 });
  expect(checkout.orders).toHaveLength(2);
  const janeOrder = checkout.orders.find((o) => o.sellerId === JANE.id)!;
  const samOrder = checkout.orders.find((o) => o.sellerId === SAM.id)!;
  expect(Math.round((janeOrder.totalAmount + samOrder.totalAmount) * 100)).toBe(Math.round(checkout.totals.total * 100));

  // Each seller sees and ships only its own order: Sam may not ship Jane's; Jane ships hers in the portal.
  const samToken = await apiToken(request, SAM);
  expect((await request.put(`/api/v1/orders/${janeOrder.id}/ship`, { headers: { authorization: `Bearer ${samToken}` } })).status()).toBe(403);
  const jane = await signedInPage(browser, JANE, '/seller/orders');
  const janeRow = jane.getByRole('row').filter({ has: jane.locator(`a[href="/seller/orders/${janeOrder.id}"]`) });
  await janeRow.getByRole('link', { name: `Ship Order ${shortId(janeOrder.id)}` }).click();
  const shipForm = jane.getByRole('form', { name: 'Ship this order' });
  await shipForm.getByLabel('Tracking number').fill('1Z999AA10123456784');
  await shipForm.getByRole('button', { name: 'Mark as Shipped' }).click();
  await jane.getByRole('group', { name: 'Confirm shipping' }).getByRole('button', { name: 'Yes, ship it' }).click();
  await expect(jane.getByRole('link', { name: /1Z999AA10123456784/ })).toBeVisible();
  await jane.goto('/seller/orders');
  await expect(janeRow.getByText('Shipped', { exact: true })).toBeVisible();
  await expect(jane.locator(`a[href="/seller/orders/${samOrder.id}"]`)).toHaveCount(0);
  await jane.context().close();

  // The buyer cancels Sam's (still CONFIRMED) order from its page.
  await page.goto(`/orders/${samOrder.id}`);
  await page.getByRole('button', { name: 'Cancel order' }).click();
  await page.getByRole('button', { name: 'Yes, cancel' }).click();
  await expect(page.getByText('Order cancelled.')).toBeVisible();

  // Only Sam's part (his line + his shipping) is refunded; Jane's order stays shipped.
  await expect(async () => {
    const now = await readCheckout(request, buyerToken, checkoutId);
    expect(now.payment).toMatchObject({ status: 'COMPLETED', refundedAmount: samOrder.totalAmount });
    expect(now.orders.find((o) => o.id === janeOrder.id)!.status).toBe('SHIPPED');
    expect(now.orders.find((o) => o.id === samOrder.id)!.status).toBe('CANCELLED');
  }).toPass({ timeout: SAGA_TIMEOUT });
  await page.goto(`/checkouts/${checkoutId}/confirmation`);
  await expect(page.getByRole('definition').filter({ hasText: `$${samOrder.totalAmount.toFixed(2)}` }).first()).toBeVisible();

  // Sam's Earnings page shows the sale and its reversal for that order.
  await sam.goto('/seller/earnings');
  await expect(sam.getByRole('heading', { level: 1, name: 'Earnings' })).toBeVisible();
  const ledger = sam.getByRole('table', { name: 'Ledger entries' });
  const rows = ledger.getByRole('row').filter({ has: sam.locator(`a[href="/seller/orders/${samOrder.id}"]`) });
  await expect(rows.filter({ hasText: 'Sale' })).toHaveCount(1);
  await expect(rows.filter({ hasText: 'Refund (reversal)' })).toHaveCount(1);
  await sam.context().close();
});
