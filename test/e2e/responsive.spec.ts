import { expect } from '@playwright/test';
import { logIn, test } from './fixtures.ts';

// Usable from 320 px; nothing may force a sideways scroll.
test.use({ viewport: { width: 320, height: 640 } });

for (const path of ['/', '/products', '/products/1', '/categories', '/login', '/register']) {
  test(`${path} has no horizontal overflow at 320 px`, async ({ page }) => {
    await page.goto(path);
    await expect(page.getByRole('heading', { level: 1 }).first()).toBeVisible();
    // Let lazy data render before measuring.
    await page.waitForLoadState('networkidle');
    // A string keeps browser globals out of the Node-typed test project.
    const overflow = Number(await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth'));
    expect(overflow).toBeLessThanOrEqual(0);
  });
}

test.describe('a phone at 390 × 844', () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test('the header is one compact row that stays on screen; the menu opens the navigation', async ({ page }) => {
    await page.goto('/products');
    const header = page.getByRole('banner');
    await expect(page.getByRole('heading', { level: 1, name: 'All products' })).toBeVisible();
    const box = await header.boundingBox();
    expect(box?.height).toBeLessThanOrEqual(64);

    await page.mouse.wheel(0, 1500);
    await expect.poll(() => page.evaluate('window.scrollY')).toBeGreaterThan(500);
    expect((await header.boundingBox())?.y).toBe(0);

    const nav = page.getByRole('navigation', { name: 'Main' });
    await expect(nav).toBeHidden();
    await page.getByRole('button', { name: 'Menu' }).click();
    await expect(page.getByRole('button', { name: 'Menu' })).toHaveAttribute('aria-expanded', 'true');
    await nav.getByRole('link', { name: 'Categories' }).click();
    await expect(page).toHaveURL(/\/categories$/);
    // Following a link closes the menu again.
    await expect(nav).toBeHidden();
  });

  test("a product's name, price and Add to Cart are on the first screen", async ({ page }) => {
    await page.goto('/products/1');
    await expect(page.getByRole('heading', { level: 1, name: 'Aurora ANC Wireless Headphones' })).toBeVisible();
    for (const target of [page.getByRole('heading', { level: 1 }), page.getByText('$149.00').first(), page.getByRole('button', { name: 'Add to Cart' })]) {
      const box = await target.boundingBox();
      expect(box).not.toBeNull();
      expect(box!.y + box!.height).toBeLessThanOrEqual(844);
    }
  });
});

test.describe('a laptop at 1280 px', () => {
  test.use({ viewport: { width: 1280, height: 800 } });

  test("the seller's menu and the portal's tabs each fit one line", async ({ page }) => {
    await logIn(page, { email: 'seller@example.com', password: 'Seller@123' }, '/seller/products');
    for (const [name, count] of [['Main', 5], ['Seller', 6]] as const) {
      const links = page.getByRole('navigation', { name }).getByRole('link');
      await expect(links).toHaveCount(count);
      const tops = await Promise.all((await links.all()).map(async (link) => (await link.boundingBox())?.y));
      expect(new Set(tops).size, name).toBe(1);
    }
    await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Seller portal' })).toHaveAttribute('aria-current', 'page');
    const header = await page.getByRole('banner').boundingBox();
    expect(header?.height).toBeLessThanOrEqual(80);
  });
});
