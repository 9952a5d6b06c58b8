import { type APIRequestContext, expect, type Page } from '@playwright/test';

import { addToCartViaApi, apiToken, fillAddress, logIn, newVerifiedCustomer, seriousAxeViolations, shortId, test } from './fixtures.ts';

/**
 * The buyer pays on the (simulated) provider's page (issue 19): checkout with "Pay with a card now", the local
 * payment page with its test cards, signed webhooks back to the shop, and the confirmation page following the
 * payment. No stubs: `npm start` runs the simulated provider, which speaks the real provider's protocol.
 */

const SELLER_ID = '00000000-0000-0000-0000-000000000003';
const PRODUCT_ID = 8;
/** Another seller's product: a cart with both is one multi-seller checkout. */
const OTHER_SELLER_PRODUCT_ID = 31;
const SAGA_TIMEOUT = 30_000;

test.describe.configure({ timeout: 90_000 });

/** A new buyer with one product in the cart, on the checkout page, who places the order to pay by card now. */
async function placeOrderPayingNow(page: Page, request: APIRequestContext) {
  const buyer = await newVerifiedCustomer(request, 'pay');
  await addToCartViaApi(request, await apiToken(request, buyer), [PRODUCT_ID]);
  await logIn(page, buyer, `/checkout?seller=${SELLER_ID}`);
  await expect(page.getByRole('heading', { level: 1, name: 'Checkout' })).toBeVisible();
  await page.getByRole('radio', { name: 'Enter an address' }).check();
  await fillAddress(page, { street: '3 Provider Page Street', city: 'Hanoi', state: 'HN', country: 'VN', postalCode: '100000' });
  await page.getByRole('radio', { name: /Pay with a card now/ }).check();
  await page.getByRole('button', { name: 'Place Order' }).click();

  await expect(page).toHaveURL(/\/orders\/[0-9a-f-]{36}\/confirmation$/);
  const orderId = /\/orders\/([0-9a-f-]{36})\/confirmation$/.exec(page.url())?.[1] ?? '';
  await expect(page.getByRole('heading', { level: 1, name: 'Finish your payment' })).toBeVisible({ timeout: SAGA_TIMEOUT });
  await page.getByRole('link', { name: 'Pay now' }).click();
  await expect(page.getByRole('heading', { level: 1, name: /^Pay \d+\.\d{2} USD$/ })).toBeVisible();
  return orderId;
}

async function payWith(page: Page, card: string) {
  await page.getByLabel('Card number').fill(card);
  await page.getByRole('button', { name: /^Pay / }).click();
}

async function expectConfirmedBackInShop(page: Page, orderId: string) {
  await expect(page.getByRole('heading', { level: 1, name: 'Payment succeeded' })).toBeVisible();
  await page.getByRole('link', { name: 'Return to the shop' }).click();
  await expect(page).toHaveURL(new RegExp(`/orders/${orderId}/confirmation$`));
  await expect(page.getByRole('heading', { level: 1, name: 'Payment confirmed' })).toBeVisible({ timeout: SAGA_TIMEOUT });
  await expect(page.getByText(`Order ${shortId(orderId)} is paid`)).toBeVisible();
}

test('pays with a card on the provider page: success', async ({ page, request }) => {
  const orderId = await placeOrderPayingNow(page, request);
  expect(await seriousAxeViolations(page)).toEqual([]);
  await payWith(page, '4242 4242 4242 4242');
  await expectConfirmedBackInShop(page, orderId);
});

test('a declined card is explained, the shop says so too, and another card pays while the items stay held', async ({ page, request }) => {
  const orderId = await placeOrderPayingNow(page, request);
  await payWith(page, '4000 0000 0000 0002');
  await expect(page.getByRole('alert')).toHaveText('Your card was declined. Try another card.');
  await payWith(page, '4000 0000 0000 9995');
  await expect(page.getByRole('alert')).toHaveText('Your card has insufficient funds. Try another card.');

  // Back in the shop the order waits for the buyer, who is told why, and goes on paying from there.
  await page.getByRole('link', { name: 'Back to the shop' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Finish your payment' })).toBeVisible({ timeout: SAGA_TIMEOUT });
  await expect(page.getByRole('alert').filter({ hasText: 'Your last card has insufficient funds. Try another card.' })).toBeVisible();
  await page.getByRole('link', { name: 'Pay now' }).click();
  await payWith(page, '4242424242424242');
  await expectConfirmedBackInShop(page, orderId);
});

test('a card that asks for 3-D Secure pays once the challenge is completed', async ({ page, request }) => {
  const orderId = await placeOrderPayingNow(page, request);
  await payWith(page, '4000 0025 0000 3220');
  await expect(page.getByRole('heading', { level: 1, name: '3-D Secure authentication' })).toBeVisible();
  expect(await seriousAxeViolations(page)).toEqual([]);
  await page.getByRole('button', { name: 'Complete authentication' }).click();
  await expectConfirmedBackInShop(page, orderId);
});

test('a saved 3-D Secure card: saved on the provider setup page, the order placed without a payment step waits, and the buyer finishes it', async ({ page, request }) => {
  const buyer = await newVerifiedCustomer(request, 'saved');
  await addToCartViaApi(request, await apiToken(request, buyer), [PRODUCT_ID]);
  await logIn(page, buyer, '/profile');
  await expect(page.getByText('No saved cards yet.')).toBeVisible();
  await page.getByRole('button', { name: '+ Add a card' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Save a card' })).toBeVisible();
  expect(await seriousAxeViolations(page)).toEqual([]);
  await page.getByLabel('Card number').fill('4000 0025 0000 3220');
  await page.getByRole('button', { name: 'Save card' }).click();
  await page.getByRole('button', { name: 'Complete authentication' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Card saved' })).toBeVisible();
  await page.getByRole('link', { name: 'Return to the shop' }).click();
  await expect(page).toHaveURL(/\/profile$/);
  await expect(page.locator('strong', { hasText: 'VISA ending 3220' })).toBeVisible();

  // "Saved card" (the default choice): charged off-session, the bank asks for the buyer, the order waits.
  await page.goto(`/checkout?seller=${SELLER_ID}`);
  await page.getByRole('radio', { name: 'Enter an address' }).check();
  await fillAddress(page, { street: '4 Saved Card Street', city: 'Hanoi', state: 'HN', country: 'VN', postalCode: '100000' });
  await page.getByRole('button', { name: 'Place Order' }).click();
  await expect(page).toHaveURL(/\/orders\/[0-9a-f-]{36}\/confirmation$/);
  const orderId = /\/orders\/([0-9a-f-]{36})\/confirmation$/.exec(page.url())?.[1] ?? '';
  await expect(page.getByRole('heading', { level: 1, name: 'Finish your payment' })).toBeVisible({ timeout: SAGA_TIMEOUT });
  await expect(page.getByRole('alert').filter({ hasText: 'Your bank asks you to confirm this payment' })).toBeVisible();
  await page.getByRole('link', { name: 'Pay now' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '3-D Secure authentication' })).toBeVisible();
  await page.getByRole('button', { name: 'Complete authentication' }).click();
  await expectConfirmedBackInShop(page, orderId);
});

test('a multi-seller checkout paid on the provider page: a declined card, then another pays every order of the checkout', async ({ page, request }) => {
  const buyer = await newVerifiedCustomer(request, 'paymulti');
  const token = await apiToken(request, buyer);
  await addToCartViaApi(request, token, [PRODUCT_ID, OTHER_SELLER_PRODUCT_ID]);
  await logIn(page, buyer, '/cart');
  await page.getByRole('link', { name: 'Check out', exact: true }).click();
  const summary = page.getByRole('complementary', { name: 'Checkout summary' });
  await expect(summary.getByText('Sellers')).toBeVisible();
  await page.getByRole('radio', { name: 'Enter an address' }).check();
  await fillAddress(page, { street: '5 Two Sellers Lane', city: 'Hanoi', state: 'HN', country: 'VN', postalCode: '100000' });
  await page.getByRole('radio', { name: /Pay with a card now/ }).check();
  await summary.getByRole('button', { name: 'Place Order' }).click();

  await expect(page).toHaveURL(/\/checkouts\/[0-9a-f-]{36}\/confirmation$/);
  const checkoutId = /\/checkouts\/([0-9a-f-]{36})\/confirmation$/.exec(page.url())?.[1] ?? '';
  await expect(page.getByRole('heading', { level: 1, name: 'Finish your payment' })).toBeVisible({ timeout: SAGA_TIMEOUT });
  expect(await seriousAxeViolations(page)).toEqual([]);
  await page.getByRole('link', { name: 'Pay now' }).click();
  await expect(page.getByRole('heading', { level: 1, name: /^Pay \d+\.\d{2} USD$/ })).toBeVisible();
  await payWith(page, '4000 0000 0000 0002');
  await expect(page.getByRole('alert')).toHaveText('Your card was declined. Try another card.');
  await payWith(page, '4242 4242 4242 4242');
  await expect(page.getByRole('heading', { level: 1, name: 'Payment succeeded' })).toBeVisible();
  await page.getByRole('link', { name: 'Return to the shop' }).click();

  await expect(page).toHaveURL(new RegExp(`/checkouts/${checkoutId}/confirmation$`));
  await expect(page.getByRole('heading', { level: 1, name: 'Payment confirmed' })).toBeVisible({ timeout: SAGA_TIMEOUT });
  await expect(page.getByRole('table', { name: 'Orders of this checkout' }).getByText('Confirmed', { exact: true })).toHaveCount(2);
  const checkout = await request.get(`/api/v1/checkouts/${checkoutId}`, { headers: { authorization: `Bearer ${token}` } });
  const { data } = (await checkout.json()) as { data: { payment: { status: string; amount: number; confirmation: string }; totals: { total: number } } };
  expect(data.payment).toMatchObject({ status: 'COMPLETED', confirmation: 'client', amount: data.totals.total });
});
