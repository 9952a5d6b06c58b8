import { expect, type Locator, type Page } from '@playwright/test';

import { seriousAxeViolations, test } from './fixtures.ts';

/**
 * Suggestions as you type in the real browser: the search box is a WAI-ARIA combobox (list autocomplete, focus
 * stays in the box, the active option is aria-activedescendant), axe-clean with the list open in both themes, and
 * a chosen suggestion opens its product or category. Only seed products and categories are asserted on: other
 * specs add products, so lists are searched by name, not compared whole.
 */

// An axe run and a few page loads take a while on a loaded two-core machine.
test.describe.configure({ timeout: 60_000 });

const searchBox = (page: Page) => page.getByRole('combobox', { name: 'Search products' });
const suggestions = (page: Page) => page.getByRole('listbox', { name: 'Suggestions' });

/** The option the box points at with aria-activedescendant (null when none). */
async function activeOption(page: Page, box: Locator): Promise<string | null> {
  const id = await box.getAttribute('aria-activedescendant');
  return id ? page.locator(`[id="${id}"]`).innerText() : null;
}

/** Presses ↓ until the active option is the one named `name` (at most once around the list). */
async function arrowTo(page: Page, box: Locator, name: string) {
  for (let i = 0; i < 9; i++) {
    const before = await box.getAttribute('aria-activedescendant');
    await box.press('ArrowDown');
    await expect.poll(() => box.getAttribute('aria-activedescendant')).not.toBe(before);
    if ((await activeOption(page, box))?.includes(name)) return;
  }
  throw new Error(`no suggestion named ${name}`);
}

for (const theme of ['light', 'dark'] as const) {
  test(`the suggestion list is an axe-clean combobox with an active option (${theme})`, async ({ page }) => {
    await page.addInitScript(`localStorage.setItem('edge-shop.theme', '${theme}')`);
    await page.goto('/products');
    const box = searchBox(page);
    await expect(box).toHaveAttribute('aria-expanded', 'false');
    await box.pressSequentially('bo');
    await expect(suggestions(page).getByRole('option', { name: /Leather Chelsea Boot/ })).toBeVisible();
    await expect(box).toHaveAttribute('aria-expanded', 'true');
    await expect(box).toHaveAttribute('aria-controls', (await suggestions(page).getAttribute('id'))!);
    await box.press('ArrowDown');
    await expect(suggestions(page).getByRole('option', { selected: true })).toHaveCount(1);
    expect(await seriousAxeViolations(page)).toEqual([]);
  });
}

test('arrow keys move through the suggestions, Escape closes them, Enter opens the product', async ({ page }) => {
  await page.goto('/products');
  const box = searchBox(page);
  await box.pressSequentially('bo');
  await expect(suggestions(page).getByRole('option', { name: /Books/ })).toBeVisible();
  // Categories come first.
  await box.press('ArrowDown');
  await expect.poll(() => activeOption(page, box)).toContain('Books');
  await expect(suggestions(page).getByRole('option', { name: /Books/ })).toHaveAttribute('aria-selected', 'true');
  // ↑ from the first option wraps to the last.
  await box.press('ArrowUp');
  const options = await suggestions(page).getByRole('option').allInnerTexts();
  await expect.poll(() => activeOption(page, box)).toBe(options.at(-1));

  await box.press('Escape');
  await expect(suggestions(page)).toBeHidden();
  await expect(box).toHaveAttribute('aria-expanded', 'false');
  await expect(box).not.toHaveAttribute('aria-activedescendant');
  await expect(box).toHaveValue('bo');
  await expect(box).toBeFocused();

  await arrowTo(page, box, 'Leather Chelsea Boot');
  await box.press('Enter');
  await expect(page).toHaveURL(/\/products\/\d+$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Leather Chelsea Boot' })).toBeVisible();
});

test('a typo still suggests the product, and a category suggestion opens the category', async ({ page }) => {
  await page.goto('/products');
  const box = searchBox(page);
  await box.pressSequentially('skilet');
  await expect(suggestions(page).getByRole('option', { name: /Cast-Iron Skillet/ })).toBeVisible();

  await box.fill('');
  await expect(suggestions(page)).toBeHidden();
  await box.pressSequentially('sport');
  await expect(suggestions(page).getByRole('option', { name: /Sports & Outdoors/ })).toBeVisible();
  await arrowTo(page, box, 'Sports & Outdoors');
  await box.press('Enter');
  await expect(page).toHaveURL(/\/categories\/[a-z0-9-]+$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Sports & Outdoors' })).toBeVisible();
});

test('a click on a suggestion opens it, and the typed text keeps searching as before', async ({ page }) => {
  await page.goto('/products');
  const box = searchBox(page);
  await box.pressSequentially('wa');
  await expect(page).toHaveURL(/\?q=wa$/);
  await suggestions(page).getByRole('option', { name: /Insulated Steel Water Bottle/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Insulated Steel Water Bottle 1 L' })).toBeVisible();
});

test('the home page has a search box: Enter opens the catalog results for what was typed', async ({ page }) => {
  await page.goto('/');
  await searchBox(page).fill('wireless headphones');
  await searchBox(page).press('Enter');
  await expect(page).toHaveURL(/\/products\?q=wireless\+headphones$/);
  await expect(page.getByRole('link', { name: 'Aurora ANC Wireless Headphones' }).first()).toBeVisible();
});

test('All products sorts like a shop page, and the smart mode is named without an emoji', async ({ page }) => {
  await page.goto('/products');
  const sorts = page.getByRole('list', { name: 'Sort by' });
  await expect(sorts.getByRole('button', { name: 'Newest' })).toHaveAttribute('aria-pressed', 'true');
  await sorts.getByRole('button', { name: 'Price ↑' }).click();
  await expect(page).toHaveURL(/[?&]sort=price%2CASC/);
  await expect(sorts.getByRole('button', { name: 'Price ↑' })).toHaveAttribute('aria-pressed', 'true');
  const prices = page.getByRole('list', { name: 'Products' }).locator('.product-card__price');
  await expect.poll(async () => {
    const shown = (await prices.allInnerTexts()).map((text) => Number(text.replace(/[^\d.]/g, '')));
    return shown.length > 1 && shown.every((price, i) => i === 0 || shown[i - 1]! <= price);
  }).toBe(true);
  await expect(page.getByRole('radio', { name: 'Smart' })).toBeVisible();
});
