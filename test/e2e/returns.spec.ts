import { expect } from '@playwright/test';

import { apiToken, createProductViaApi, logIn, newVerifiedCustomer, placeConfirmedOrder, seriousAxeViolations, shortId, test } from './fixtures.ts';

const SELLER = { email: 'seller@example.com', password: 'Seller@123' };
const SAGA_TIMEOUT = 30_000;

test('a buyer returns part of a delivered order: requested, approved, sent, received and refunded', async ({ page, browser, request }) => {
  test.setTimeout(90_000);
  // Set-up through the API (ordering, shipping and delivering have their own journeys): two units, delivered.
  const productName = `E2E Lantern ${Date.now()}`;
  const sellerToken = await apiToken(request, SELLER);
  const buyer = await newVerifiedCustomer(request, 'returns');
  const buyerToken = await apiToken(request, buyer);
  const productId = await createProductViaApi(request, sellerToken, productName);
  const orderId = await placeConfirmedOrder(request, buyerToken, [{ productId, quantity: 2 }], SAGA_TIMEOUT);
  expect((await request.put(`/api/v1/orders/${orderId}/ship`, { headers: { authorization: `Bearer ${sellerToken}` }, data: {} })).status()).toBe(200);
  expect((await request.put(`/api/v1/orders/${orderId}/deliver`, { headers: { authorization: `Bearer ${buyerToken}` } })).status()).toBe(200);

  // The buyer asks to return one of the two units (in the dark theme: axe checks both themes across the two sides).
  await page.addInitScript(`localStorage.setItem('edge-shop.theme', 'dark')`);
  await logIn(page, buyer, `/orders/${orderId}`);
  await expect(page.getByRole('heading', { level: 1, name: `Order ${shortId(orderId)}` })).toBeVisible();
  await page.getByRole('button', { name: 'Return items' }).click();
  const form = page.getByRole('form', { name: 'Request a return' });
  await form.getByLabel(`Quantity of ${productName} to return`).fill('1');
  await form.getByLabel('Reason').fill('The handle is bent');
  await form.getByRole('button', { name: 'Send return request' }).click();
  const buyerReturns = page.getByRole('region', { name: 'Returns', exact: true });
  await expect(buyerReturns.getByText('Requested', { exact: true })).toBeVisible();
  await expect(buyerReturns.getByText(`1 × ${productName}`)).toBeVisible();
  expect(await seriousAxeViolations(page)).toEqual([]);

  // The seller approves it with a note.
  const sellerContext = await browser.newContext();
  const sellerPage = await sellerContext.newPage();
  await logIn(sellerPage, SELLER, `/seller/orders/${orderId}`);
  const sellerReturns = sellerPage.getByRole('region', { name: 'Returns', exact: true });
  await sellerReturns.getByLabel('Note to the buyer (optional)').fill('Please use the original box');
  await sellerReturns.getByRole('button', { name: 'Approve return' }).click();
  await expect(sellerReturns.getByText('Approved', { exact: true })).toBeVisible();

  // The buyer sends it back.
  await page.reload();
  await expect(buyerReturns.getByText('Please use the original box')).toBeVisible();
  await buyerReturns.getByRole('button', { name: 'I have sent it back' }).click();
  await expect(buyerReturns.getByText('Sent', { exact: true })).toBeVisible();

  // The seller receives it, puts it back on sale, and the refund goes through.
  await sellerPage.reload();
  await expect(sellerReturns.getByText('Sent', { exact: true })).toBeVisible();
  await expect(sellerReturns.getByLabel('Put the items back on sale')).toBeChecked();
  await sellerReturns.getByRole('button', { name: 'Mark as received and refund' }).click();
  await expect(sellerReturns.getByText('Refunded', { exact: true })).toBeVisible();
  await expect(sellerReturns.getByText('$12.50', { exact: true })).toBeVisible();
  expect(await seriousAxeViolations(sellerPage)).toEqual([]);
  await sellerPage.goto('/seller/returns');
  await expect(sellerPage.getByLabel('Return window (days after delivery)')).toHaveValue('30');
  await expect(sellerPage.getByRole('row', { name: new RegExp(shortId(orderId)) }).getByText('Refunded', { exact: true })).toBeVisible();
  expect(await seriousAxeViolations(sellerPage)).toEqual([]);
  await sellerContext.close();

  // The buyer sees the refund and the whole history of the return.
  await page.reload();
  await expect(buyerReturns.getByText('Refunded', { exact: true })).toBeVisible();
  const history = buyerReturns.getByRole('list', { name: /^History of return/ });
  for (const step of ['Return requested', 'Approved by the seller', 'Sent back by the buyer', 'Received by the seller', 'Refund issued']) await expect(history.getByText(step, { exact: true })).toBeVisible();
  // The order's own timeline shows the money coming back, not only the bell.
  const timeline = page.getByRole('list', { name: 'Status history' });
  await expect(timeline.getByText('Refunded $12.50', { exact: true })).toBeVisible();
  await expect(timeline.getByText('for returned items, to the original payment method.')).toBeVisible();
  const payment = await request.get(`/api/v1/payments/order/${orderId}`, { headers: { authorization: `Bearer ${buyerToken}` } });
  expect(((await payment.json()) as { data: { refundedAmount: number } }).data.refundedAmount).toBe(12.5);
  // 20 units, 2 sold, the returned one back on sale.
  await expect
    .poll(async () => ((await (await request.get(`/api/v1/inventory/${productId}`)).json()) as { data: { availableStock: number } }).data.availableStock)
    .toBe(19);
});

test('a paid order the buyer cancels says how much was refunded, in its summary and its timeline', async ({ page, request }) => {
  const sellerToken = await apiToken(request, SELLER);
  const buyer = await newVerifiedCustomer(request, 'refund');
  const productId = await createProductViaApi(request, sellerToken, `E2E Kettle ${Date.now()}`);
  const orderId = await placeConfirmedOrder(request, await apiToken(request, buyer), [{ productId, quantity: 1 }], SAGA_TIMEOUT);

  await logIn(page, buyer, `/orders/${orderId}`);
  await page.getByRole('button', { name: 'Cancel order' }).click();
  await page.getByRole('button', { name: 'Yes, cancel' }).click();
  // The refund is the payment side's next step: the page shows it once it is done.
  await expect(async () => {
    await page.reload();
    await expect(page.getByRole('list', { name: 'Status history' }).getByText('Refunded $12.50', { exact: true })).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: SAGA_TIMEOUT });
  await expect(page.locator('.summary-row').filter({ hasText: 'Refund' }).getByText('$12.50 to your payment method')).toBeVisible();
});
