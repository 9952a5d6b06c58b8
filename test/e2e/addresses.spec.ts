import { expect } from '@playwright/test';

import { fillAddress, logIn, newVerifiedCustomer, seriousAxeViolations, test } from './fixtures.ts';

test('a saved address names its recipient, picks the country from a list and has its postal code checked', async ({ page, request }) => {
  const customer = await newVerifiedCustomer(request, 'address');
  await logIn(page, customer, '/profile');
  await page.getByRole('button', { name: '+ Add address' }).click();
  await fillAddress(page, { recipient: 'Ana Silva', street: '350 Fifth Avenue', line2: 'Suite 2100', city: 'New York', state: 'NY', country: 'US', postalCode: '!!!!' });
  await page.getByRole('button', { name: 'Add address', exact: true }).click();

  // The server names the field; correcting it clears the message.
  const postalCode = page.getByLabel(/^Postal code/);
  await expect(page.getByText('Not a valid postal code for United States of America')).toBeVisible();
  await expect(postalCode).toHaveAttribute('aria-invalid', 'true');
  await postalCode.fill('10118');
  await expect(page.getByText('Not a valid postal code for United States of America')).toHaveCount(0);
  expect(await seriousAxeViolations(page)).toEqual([]);
  await page.getByRole('button', { name: 'Add address', exact: true }).click();

  const saved = page.locator('address');
  await expect(saved.getByText('Ana Silva')).toBeVisible();
  await expect(saved.getByText('350 Fifth Avenue, Suite 2100')).toBeVisible();
  await expect(saved.getByText('New York, NY 10118')).toBeVisible();
  await expect(saved.getByText('United States of America')).toBeVisible();
});
