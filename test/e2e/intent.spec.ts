import { createHash, randomUUID } from 'node:crypto';

import { expect } from '@playwright/test';

import { newVerifiedCustomer, test, withDatabase } from './fixtures.ts';

// A seeded product with plenty of stock.
const PRODUCT = { id: 1, name: 'Aurora ANC Wireless Headphones' };

test('a visitor who presses Add to Cart signs in and finds the items added', async ({ page, request }) => {
  const customer = await newVerifiedCustomer(request, 'intent');
  await page.goto(`/products/${PRODUCT.id}`);
  await page.getByRole('button', { name: 'Increase quantity' }).click();
  await page.getByRole('button', { name: 'Add to Cart' }).click();

  await expect(page).toHaveURL(/\/login\?next=/);
  await page.getByLabel('Email').fill(customer.email);
  await page.getByLabel('Password').fill(customer.password);
  await page.getByRole('button', { name: 'Log in' }).click();

  // Back on the product, the add finished once, and the address no longer asks for it (a reload adds nothing).
  await expect(page).toHaveURL(new RegExp(`/products/${PRODUCT.id}$`));
  await expect(page.getByRole('status').getByText(`Added 2 × ${PRODUCT.name} to your cart.`)).toBeVisible();
  await expect(page.getByRole('link', { name: 'Cart, 2 items' })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: PRODUCT.name })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Cart, 2 items' })).toBeVisible();
});

test('a visitor who signs up on the way is signed in by the verification and the add still happens', async ({ page }) => {
  const email = `intent-new-${randomUUID()}@example.com`;
  await page.goto(`/products/${PRODUCT.id}`);
  await page.getByRole('button', { name: 'Add to Cart' }).click();
  await page.getByRole('link', { name: 'Create an account' }).click();
  await page.getByLabel('First name').fill('Nia');
  await page.getByLabel('Last name').fill('Okafor');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('Sturdy4Pass');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page).toHaveURL(/\/verify-email\?/);

  // The code only reaches the log transport here: give the account a known one.
  const code = '246810';
  await withDatabase((db) => db.query('update email_verifications set code_hash = $1 where email = $2', [createHash('sha256').update(code).digest('hex'), email]));
  await page.getByLabel(/^Verification code/).fill(code);
  await page.getByRole('button', { name: 'Verify email' }).click();

  await expect(page).toHaveURL(new RegExp(`/products/${PRODUCT.id}$`));
  await expect(page.getByRole('status').getByText(`Added 1 × ${PRODUCT.name} to your cart.`)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Log out' })).toBeVisible();
});
