import { expect, type Page } from '@playwright/test';
import { fillAddress, test } from './fixtures.ts';

/** Journeys against the real API and the seeded data (sample users and products). */

async function logIn(page: Page, email: string, password: string, next = '/') {
  await page.goto(`/login?next=${encodeURIComponent(next)}`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page).toHaveURL(new RegExp(`${next.replace(/[?/]/g, '\\$&')}$`));
}

test('a customer logs in, adds a product to the cart and sees it grouped by seller', async ({ page }) => {
  await logIn(page, 'customer@example.com', 'Customer@123', '/products/32');
  await expect(page.getByRole('heading', { level: 1, name: 'Non-Slip TPE Yoga Mat 6 mm' })).toBeVisible();

  await page.getByRole('button', { name: 'Increase quantity' }).click();
  await page.getByRole('button', { name: 'Add to Cart' }).click();
  await expect(page.getByRole('status').getByText('Added 2 × Non-Slip TPE Yoga Mat 6 mm to your cart.')).toBeVisible();
  await expect(page.getByRole('link', { name: /^Cart, \d+ items?$/ })).toBeVisible();

  await page.getByRole('link', { name: /^Cart, / }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Sold by Sam Rivera' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Non-Slip TPE Yoga Mat 6 mm' })).toBeVisible();
  await expect(page.getByRole('link', { name: /^Checkout \d+ items?$/ }).first()).toHaveAttribute('href', /\/checkout\?seller=00000000-0000-0000-0000-000000000004/);

  await page.getByRole('button', { name: 'Remove Non-Slip TPE Yoga Mat 6 mm' }).click();
  await expect(page.getByRole('link', { name: 'Non-Slip TPE Yoga Mat 6 mm' })).toBeHidden();
});

test('a seller cannot add their own product and sees it in My Products', async ({ page }) => {
  await logIn(page, 'seller@example.com', 'Seller@123', '/products/1');
  await page.getByRole('button', { name: 'Add to Cart' }).click();
  await expect(page.getByRole('alert').getByText('You can’t buy your own product.')).toBeVisible();

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Seller portal' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'My Products' })).toBeVisible();
  // My Products finds by part of the name (or the SKU, or the id).
  await page.getByLabel('Name, SKU or ID').fill('keystone tkl');
  await page.getByRole('button', { name: 'Find' }).click();
  await expect(page).toHaveURL(/[?&]q=keystone\+tkl/);
  await page.getByRole('link', { name: 'Edit Keystone TKL Mechanical Keyboard' }).click();
  await expect(page.getByLabel('Current stock')).toHaveValue('400');
  await expect(page.getByRole('combobox', { name: 'Category' })).toHaveValue('Computers & Accessories');

  // A SKU given on the form finds the product too.
  const sku = `KTL-${Date.now()}`;
  await page.getByLabel('SKU (optional)').fill(sku);
  await page.getByRole('button', { name: 'Save changes' }).click();
  // Saving goes back to My Products.
  await expect(page.getByRole('heading', { level: 1, name: 'My Products' })).toBeVisible();
  await page.getByLabel('Name, SKU or ID').fill(sku.toLowerCase());
  await page.getByRole('button', { name: 'Find' }).click();
  await expect(page.getByRole('link', { name: 'Edit Keystone TKL Mechanical Keyboard' })).toBeVisible();
  await expect(page.getByRole('row')).toHaveCount(2);
});

test('wrong credentials stay on the login page with the server message', async ({ page }) => {
  await page.goto('/login');
  await page.getByLabel('Email').fill('customer@example.com');
  await page.getByLabel('Password').fill('wrong-password1');
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.locator('.form-error')).toBeVisible();
  await expect(page).toHaveURL(/\/login$/);
});

test('a customer adds an address on the profile page', async ({ page }) => {
  await logIn(page, 'customer@example.com', 'Customer@123', '/profile');
  await page.getByRole('button', { name: '+ Add address' }).click();
  await page.getByLabel('Label').fill('E2E');
  await fillAddress(page, { street: '1 Test Street', city: 'Hue', country: 'VN' });
  await page.getByRole('button', { name: 'Add address', exact: true }).click();
  await expect(page.getByText('1 Test Street')).toBeVisible();
});
