import { expect, test } from '@playwright/test';

import { seriousAxeViolations } from './fixtures.ts';

const PAGES = [
  { name: 'home', path: '/' },
  { name: 'products', path: '/products' },
  { name: 'product detail', path: '/products/1' },
  { name: 'login', path: '/login' },
];

for (const theme of ['light', 'dark'] as const) {
  for (const { name, path } of PAGES) {
    test(`${name} has no serious or critical axe violations (${theme})`, async ({ page }) => {
      // axe walks the whole page in the browser; on two busy cores that alone can take most of the default 30 s.
      test.setTimeout(60_000);
      await page.addInitScript(`localStorage.setItem('edge-shop.theme', '${theme}')`);
      await page.goto(path);
      await expect(page.getByRole('heading', { level: 1 }).first()).toBeVisible();
      await page.waitForLoadState('networkidle');

      expect(await seriousAxeViolations(page)).toEqual([]);
    });
  }
}
