import { expect } from '@playwright/test';

import { test } from './fixtures.ts';

test.describe('route guards', () => {
  test('a logged-out visitor of a protected page lands on /login with the page as next', async ({ page }) => {
    await page.goto('/orders?page=2');
    await expect(page).toHaveURL(/\/login\?next=%2Forders%3Fpage%3D2$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Log in' })).toBeVisible();
  });

  test('the seller portal also sends logged-out visitors to /login', async ({ page }) => {
    await page.goto('/seller/products');
    await expect(page).toHaveURL(/\/login\?next=%2Fseller%2Fproducts$/);
  });

  test('the cart and checkout need a session', async ({ page }) => {
    for (const path of ['/cart', '/checkout', '/profile']) {
      await page.goto(path);
      await expect(page).toHaveURL(new RegExp(`/login\\?next=${encodeURIComponent(path)}$`));
    }
  });
});
