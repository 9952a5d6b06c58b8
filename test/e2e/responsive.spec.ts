import { expect, test } from '@playwright/test';

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
