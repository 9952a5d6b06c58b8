import { expect } from '@playwright/test';

import { apiToken, createProductViaApi, fillAddress, logIn, newVerifiedCustomer, seriousAxeViolations, test } from './fixtures.ts';

/**
 * A launch's waiting room end to end: the seller marks a product as a launch that opens later, a buyer joins the
 * line and sees a place that survives a reload, the seller opens it now (a high rate: admitted within a tick),
 * the page turns to "It's your turn" by itself, and Buy now goes through the checkout with the admission.
 */

const SELLER = { email: 'seller@example.com', password: 'Seller@123' };
const SAGA_TIMEOUT = 30_000;

test('a buyer joins a launch’s line, keeps the place across a reload, is admitted and buys', async ({ page, request }) => {
  test.setTimeout(90_000);
  const sellerToken = await apiToken(request, SELLER);
  const productName = `Launch sneaker ${Date.now()}`;
  const productId = await createProductViaApi(request, sellerToken, productName);
  const putLaunch = (startsAt: Date) =>
    request.put(`/api/v1/products/${productId}/launch`, { headers: { authorization: `Bearer ${sellerToken}` }, data: { startsAt: startsAt.toISOString(), admitPerSecond: 100 } });
  expect((await putLaunch(new Date(Date.now() + 3_600_000))).status()).toBe(200);

  const buyer = await newVerifiedCustomer(request, 'launch');
  await logIn(page, buyer, `/products/${productId}`);
  // The product page offers the line, not the cart.
  await expect(page.getByRole('button', { name: 'Add to Cart' })).toHaveCount(0);
  // The link loads a new document, so the waiting page runs under its own CSP (the one that admits Turnstile).
  await page.evaluate(() => Object.assign(globalThis, { productPageDocument: true }));
  const launchDocument = page.waitForResponse((response) => response.request().isNavigationRequest() && new URL(response.url()).pathname === `/launch/${productId}`);
  await page.getByRole('link', { name: 'Join the line' }).click();
  await expect(page).toHaveURL(`/launch/${productId}`);
  expect((await launchDocument).headers()['content-security-policy']).toContain('https://challenges.cloudflare.com');
  expect(await page.evaluate(() => 'productPageDocument' in globalThis)).toBe(false);
  await page.getByRole('button', { name: 'Join the line' }).click();
  await expect(page.getByTestId('position')).toHaveText('number 1');
  await expect(page.getByText('Nobody is ahead of you.')).toBeVisible();
  expect(await seriousAxeViolations(page)).toEqual([]);

  await page.reload();
  await expect(page.getByTestId('position')).toHaveText('number 1');

  // The seller opens the launch now: the alarm admits the line, and the page's poll shows it without a reload.
  expect((await putLaunch(new Date())).status()).toBe(200);
  await expect(page.getByText('It’s your turn.')).toBeVisible({ timeout: 15_000 });
  expect(await seriousAxeViolations(page)).toEqual([]);

  await page.getByRole('button', { name: 'Buy now' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Checkout' })).toBeVisible();
  await expect(page.getByRole('complementary', { name: 'Order summary' }).getByText(`1 × ${productName}`, { exact: true })).toBeVisible();
  await page.getByRole('radio', { name: 'Enter an address' }).check();
  await fillAddress(page, { recipient: 'Lan Pham', street: '3 Launch Street', city: 'Hanoi', country: 'VN', postalCode: '100000' });
  await page.getByRole('button', { name: 'Place Order' }).click();
  await expect(page).toHaveURL(/\/orders\/[0-9a-f-]{36}\/confirmation$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Payment confirmed' })).toBeVisible({ timeout: SAGA_TIMEOUT });

  // The turn is used: the line says so.
  await page.goto(`/launch/${productId}`);
  await expect(page.getByText('You have used your turn in this launch.')).toBeVisible();
});
