import { expect } from '@playwright/test';

import { test } from './fixtures.ts';

test.describe('catalog (seeded data)', () => {
  test('the home page shows 8 featured products', async ({ page }) => {
    await page.goto('/');
    await expect(page.getByRole('heading', { level: 1 })).toContainText('made with care');
    const featured = page.getByRole('list', { name: 'Featured products' });
    await expect(featured.getByRole('listitem')).toHaveCount(8);
  });

  test('the product list shows the 40 seeded products over two pages', async ({ page }) => {
    await page.goto('/products');
    await expect(page.getByText('40 products')).toBeVisible();
    const grid = page.getByRole('list', { name: 'Products' });
    await expect(grid.getByRole('listitem')).toHaveCount(20);

    await page.getByRole('link', { name: 'Next →' }).click();
    await expect(page).toHaveURL(/\/products\?page=2$/);
    await expect(page.getByText('Page 2 of 2')).toBeVisible();
    await expect(grid.getByRole('listitem')).toHaveCount(20);
  });

  test('a product page shows the seeded product with its stock and seller', async ({ page }) => {
    await page.goto('/products/1');
    await expect(page.getByRole('heading', { level: 1, name: 'Aurora ANC Wireless Headphones' })).toBeVisible();
    await expect(page.getByText('$149.00')).toBeVisible();
    await expect(page.getByText('1000 available')).toBeVisible();
    await expect(page.getByRole('link', { name: /Sold by/ })).toHaveAttribute('href', '/sellers/00000000-0000-0000-0000-000000000003');
  });
});
