import { expect } from '@playwright/test';

import { test } from './fixtures.ts';

/** A page whose data cannot load says why and offers to try again, instead of showing skeletons while it waits. */
test('going to another product while offline says so, and trying again once back online shows the product', async ({ page, context }) => {
  await page.goto('/products/1');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  const related = page.getByRole('list', { name: 'Related products' }).getByRole('link').first();
  await expect(related).toBeVisible();
  const name = (await related.textContent())!.trim();

  await context.setOffline(true);
  await related.click();
  const error = page.getByRole('alert').filter({ hasText: 'You seem to be offline' });
  await expect(error).toBeVisible();

  await context.setOffline(false);
  await error.getByRole('button', { name: 'Try again' }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
});
