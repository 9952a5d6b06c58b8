import { expect } from '@playwright/test';

import { inLightAndDark, seriousAxeViolations, test } from './fixtures.ts';

const PAGES = [
  { name: 'home', path: '/' },
  { name: 'products', path: '/products' },
  { name: 'product detail', path: '/products/1' },
  { name: 'login', path: '/login' },
];

for (const { name, path } of PAGES) {
  test(`${name} has no serious or critical axe violations (light and dark)`, async ({ page }) => {
    // axe walks the whole page in the browser, twice; on two busy cores that alone can take most of the default 30 s.
    test.setTimeout(60_000);
    await page.emulateMedia({ colorScheme: 'light' });
    await page.goto(path);
    await expect(page.getByRole('heading', { level: 1 }).first()).toBeVisible();
    await page.waitForLoadState('networkidle');

    await inLightAndDark(page, async (theme) => expect(await seriousAxeViolations(page), theme).toEqual([]));
  });
}
