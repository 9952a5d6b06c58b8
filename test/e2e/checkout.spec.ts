import { type Browser, expect, type Page } from '@playwright/test';

import { apiToken, createProductViaApi, fillAddress, logIn, newVerifiedCustomer, placeConfirmedOrder, shortId, test } from './fixtures.ts';

/**
 * Checkout journeys against the real API: search → cart → checkout → payment saga → order history, the seller
 * portal from a new product to shipping it, and the buyer's delivery and review. No stubs; the simulated gateway
 * succeeds locally, and the saga (orders → payments → orders over queues) settles within a few seconds.
 */

const CUSTOMER = { email: 'customer@example.com', password: 'Customer@123' };
const SELLER = { email: 'seller@example.com', password: 'Seller@123', id: '00000000-0000-0000-0000-000000000003' };
/** Payment saga: two queue hops locally, plus polling in the SPA. */
const SAGA_TIMEOUT = 30_000;

// The journeys share customer@example.com's cart, and checkout takes a seller's whole group: run them one after
// another (in one worker) so no journey checks out another's line. A failure does not skip the others.
test.describe.configure({ mode: 'default', timeout: 90_000 });

/** A second signed-in browser (its own storage), for journeys with a buyer and a seller at once. */
async function signedInPage(browser: Browser, user: { email: string; password: string }, next: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await logIn(page, user, next);
  return page;
}

/** Adds the product on the current product page to the cart, checks out its seller's group, returns the order id. */
async function orderFromProductPage(page: Page, productName: string) {
  await page.getByRole('button', { name: 'Add to Cart' }).click();
  await expect(page.getByRole('status').getByText(`Added 1 × ${productName} to your cart.`)).toBeVisible();

  await page.getByRole('link', { name: /^Cart, / }).click();
  await expect(page).toHaveURL(/\/cart$/);
  const group = page.getByRole('region', { name: `Items from seller ${SELLER.id}` });
  await expect(group.getByRole('link', { name: productName })).toBeVisible();
  await group.getByRole('link', { name: /^Checkout \d+ items?$/ }).click();

  await expect(page.getByRole('heading', { level: 1, name: 'Checkout' })).toBeVisible();
  await expect(page.getByRole('complementary', { name: 'Order summary' }).getByText(`1 × ${productName}`, { exact: true })).toBeVisible();
  // The manual form, whatever addresses other journeys saved on the profile.
  await page.getByRole('radio', { name: 'Enter an address' }).check();
  await fillAddress(page, { recipient: 'Minh Tran', street: '12 Checkout Lane', line2: 'Unit 3', city: 'Da Nang', state: 'Da Nang', country: 'VN', postalCode: '550000' });
  await page.getByRole('button', { name: 'Place Order' }).click();

  await expect(page).toHaveURL(/\/orders\/[0-9a-f-]{36}\/confirmation$/);
  const orderId = /\/orders\/([0-9a-f-]{36})\/confirmation$/.exec(page.url())?.[1] ?? '';
  await expect(page.getByRole('heading', { level: 1, name: 'Payment confirmed' })).toBeVisible({ timeout: SAGA_TIMEOUT });
  await expect(page.getByText(`Order ${shortId(orderId)} is paid`)).toBeVisible();
  return orderId;
}

/**
 * The table row of one order, found by its link target: the short order number (originally: the id's first 8 hex
 * characters) is the same for every UUIDv7 id minted within about a minute, so it cannot tell rows apart.
 */
const orderRow = (page: Page, href: string) => page.getByRole('row').filter({ has: page.locator(`a[href="${href}"]`) });

test('a shopper searches, adds to the cart, checks out, sees the payment confirmed and the order in history', async ({ page }) => {
  const productName = 'Aurora ANC Wireless Headphones';
  await logIn(page, CUSTOMER, '/products');

  await page.getByRole('combobox', { name: 'Search products' }).fill('wireless headphones');
  await expect(page).toHaveURL(/[?&]q=wireless\+headphones/);
  await page.getByRole('link', { name: productName }).first().click();
  await expect(page.getByRole('heading', { level: 1, name: productName })).toBeVisible();

  const orderId = await orderFromProductPage(page, productName);

  // The confirmation page moves on to the history by itself after 3 s.
  await expect(page).toHaveURL(/\/orders$/, { timeout: 10_000 });
  const row = orderRow(page, `/orders/${orderId}`);
  await expect(row).toBeVisible();
  await expect(row.getByText('$149.00')).toBeVisible();
  // Recognisable: the product's name, the units and the seller, not only a code.
  await expect(row.getByText(productName, { exact: true })).toBeVisible();
  await expect(row.getByText('1 item', { exact: true })).toBeVisible();
  await expect(row.getByRole('link', { name: 'Jane’s General Store' })).toBeVisible();
  // Payment COMPLETED, then the order follows (one more queue hop): the history shows it confirmed.
  await expect(async () => {
    await page.reload();
    await expect(row.getByText('Confirmed', { exact: true })).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: SAGA_TIMEOUT });

  // A real mouse click on the middle of the link (elementFromPoint there is the link itself). Playwright's own
  // actionability check aims at another point of this inline link, split by its visually hidden "Order " prefix,
  // and keeps reporting the table cell as covering it.
  const box = await row.getByRole('link', { name: `Order ${shortId(orderId)}` }).boundingBox();
  if (!box) throw new Error('the order link has no box');
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  await expect(page.getByRole('heading', { level: 1, name: `Order ${shortId(orderId)}` })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Status history' }).getByText('Payment received', { exact: true })).toBeVisible();
  // The address as a label prints it: the recipient, the second line and the country by its name.
  const address = page.locator('address');
  await expect(address.getByText('Minh Tran')).toBeVisible();
  await expect(address.getByText('12 Checkout Lane, Unit 3')).toBeVisible();
  await expect(address.getByText('Vietnam')).toBeVisible();
});

test('a seller creates a product, a shopper orders it, the seller sees it confirmed and ships it', async ({ page, browser, request }) => {
  const productName = `E2E Lantern ${Date.now()}`;

  await logIn(page, SELLER, '/seller/products/new');
  await expect(page.getByRole('heading', { level: 1, name: 'New product' })).toBeVisible();
  await page.getByLabel('Name').fill(productName);
  await page.getByLabel('Description').fill('A rechargeable camping lantern, made by the e2e suite.');
  await page.getByLabel('Price (USD)').fill('24.90');
  await page.getByLabel('Stock').fill('15');
  await page.getByRole('button', { name: 'Create product' }).click();
  await expect(page).toHaveURL(/\/seller\/products$/);
  await expect(page.getByRole('link', { name: productName, exact: true })).toBeVisible();

  // A buyer of its own: lines left in a shared cart by an earlier attempt would join this seller's checkout.
  const shopper = await signedInPage(browser, await newVerifiedCustomer(request), '/products');
  await shopper.getByRole('combobox', { name: 'Search products' }).fill(productName);
  await shopper.getByRole('link', { name: productName }).click();
  await expect(shopper.getByRole('heading', { level: 1, name: productName })).toBeVisible();
  await expect(shopper.getByText('$24.90').first()).toBeVisible();
  const orderId = await orderFromProductPage(shopper, productName);
  await shopper.context().close();

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Seller portal' }).click();
  await page.getByRole('navigation', { name: 'Seller' }).getByRole('link', { name: 'Seller Orders' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Seller Orders' })).toBeVisible();
  const row = orderRow(page, `/seller/orders/${orderId}`);
  // The order turns CONFIRMED one queue hop after the payment; the list does not poll, so reload until it has.
  await expect(async () => {
    await page.reload();
    await expect(row.getByText('Confirmed', { exact: true })).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: SAGA_TIMEOUT });
  await expect(row.getByText('$24.90')).toBeVisible();

  // Shipping asks for the carrier and tracking number on the order page, then for a confirmation.
  await row.getByRole('link', { name: `Ship Order ${shortId(orderId)}` }).click();
  const shipForm = page.getByRole('form', { name: 'Ship this order' });
  await shipForm.getByLabel('Carrier').selectOption('UPS');
  await shipForm.getByLabel('Tracking number').fill('1Z999AA10123456784');
  await shipForm.getByRole('button', { name: 'Mark as Shipped' }).click();
  await page.getByRole('group', { name: 'Confirm shipping' }).getByRole('button', { name: 'Yes, ship it' }).click();
  await expect(page.getByRole('link', { name: /1Z999AA10123456784/ })).toHaveAttribute('href', 'https://www.ups.com/track?tracknum=1Z999AA10123456784');
  await page.goto('/seller/orders');
  await expect(row.getByText('Shipped', { exact: true })).toBeVisible();
  await expect(row.getByRole('link', { name: /^Ship Order/ })).toBeHidden();
});

test('the buyer marks a shipped order delivered, reviews it, and the product page shows the review', async ({ page, request }) => {
  // Set-up through the API (covered in the UI by the journeys above): a new product, ordered, paid and shipped.
  const productName = `E2E Compass ${Date.now()}`;
  const sellerToken = await apiToken(request, SELLER);
  const customerToken = await apiToken(request, CUSTOMER);
  const productId = await createProductViaApi(request, sellerToken, productName);
  const orderId = await placeConfirmedOrder(request, customerToken, [{ productId, quantity: 1 }], SAGA_TIMEOUT);
  const shipped = await request.put(`/api/v1/orders/${orderId}/ship`, {
    headers: { authorization: `Bearer ${sellerToken}` },
    data: { carrier: 'VNPost', trackingNumber: 'EE123456789VN' },
  });
  expect(shipped.status()).toBe(200);

  await logIn(page, CUSTOMER, `/orders/${orderId}`);
  await expect(page.getByRole('heading', { level: 1, name: `Order ${shortId(orderId)}` })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Status history' }).getByText('Shipped', { exact: true })).toBeVisible();
  // A carrier without a known tracking page: the number is shown, not linked.
  await expect(page.getByText('VNPost · EE123456789VN')).toBeVisible();
  await page.getByRole('button', { name: 'Mark as Delivered' }).click();
  await page.getByRole('group', { name: 'Confirm delivery' }).getByRole('button', { name: 'Yes, it arrived' }).click();

  // Delivering opens the review dialog at once.
  const dialog = page.getByRole('dialog', { name: 'Write or edit reviews' });
  await expect(dialog).toBeVisible();
  const form = dialog.getByRole('form', { name: `Review of ${productName}` });
  await form.getByRole('radio', { name: '4 stars' }).check();
  const comment = `Sturdy and accurate (${Date.now()}).`;
  await form.getByLabel('Comment (optional)').fill(comment);
  await form.getByRole('button', { name: 'Submit review' }).click();
  await expect(page.getByRole('status').getByText(`Review of ${productName} saved.`)).toBeVisible();
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('list', { name: 'Status history' }).getByText('Delivered', { exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Write / Edit Reviews' })).toBeVisible();

  await page.getByRole('link', { name: productName }).click();
  await expect(page.getByRole('heading', { level: 1, name: productName })).toBeVisible();
  await expect(page.getByText(comment)).toBeVisible();
  await expect(page.getByText('Verified buyer')).toBeVisible();
});
