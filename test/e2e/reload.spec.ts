import { randomUUID } from 'node:crypto';

import { expect } from '@playwright/test';

import { apiToken, logIn, test } from './fixtures.ts';

const SELLER = { email: 'outdoors.seller@example.com', password: 'Seller@123' };

/**
 * Pages opened directly or reloaded: the access token lives in memory, so after a reload the session is restored
 * before any request leaves. Before that, My Products asked for hidden products anonymously (and was refused) and
 * the edit page of a hidden product answered 404.
 */
test('a seller reloads My Products and the edit page of a hidden product and still sees it', async ({ page, request }) => {
  const token = await apiToken(request, SELLER);
  const name = `Hidden lantern ${randomUUID().slice(0, 8)}`;
  const created = await request.post('/api/v1/products', {
    headers: { authorization: `Bearer ${token}` },
    data: { name, description: 'Not for sale yet', price: 19.5, stockQuantity: 4 },
  });
  expect(created.status()).toBe(201);
  const productId = ((await created.json()) as { data: { id: number } }).data.id;
  const hidden = await request.put(`/api/v1/products/${productId}`, { headers: { authorization: `Bearer ${token}` }, data: { status: 'INACTIVE' } });
  expect(hidden.status()).toBe(200);

  await logIn(page, SELLER, '/seller/products');
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'My Products' })).toBeVisible();
  await expect(page.getByRole('link', { name: `Edit ${name}` })).toBeVisible();

  await page.goto(`/seller/products/${productId}/edit`);
  await expect(page.getByRole('heading', { level: 1, name: 'Edit product' })).toBeVisible();
  await expect(page.getByLabel('Name')).toHaveValue(name);
});
