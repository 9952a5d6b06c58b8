import { crc32, deflateSync } from 'node:zlib';

import { expect } from '@playwright/test';

import { apiToken, logIn, seriousAxeViolations, test } from './fixtures.ts';

const SELLER = { email: 'seller@example.com', password: 'Seller@123' };

/** A real, decodable PNG of one colour (the browser scales it before upload, so it must be an image). */
function png(width: number, height: number, [r, g, b]: [number, number, number]): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), 8 + data.length);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(width * 3).map((_, i) => [r, g, b][i % 3]!)]);
  const pixels = deflateSync(Buffer.concat(Array.from({ length: height }, () => row)));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', pixels), chunk('IEND', Buffer.alloc(0))]);
}

test('a seller uploads two images, puts the second first, and the product page shows them from R2', async ({ page, request }) => {
  // The browser decodes, scales and encodes two images: past 30 s once on a two-core box at load ≈ 20.
  test.setTimeout(60_000);
  const name = `E2E Uploaded Vase ${Date.now()}`;
  await logIn(page, SELLER, '/seller/products/new');
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Price (USD)').fill('18.00');
  await page.getByLabel('Stock').fill('4');

  await page.getByLabel('Choose images').setInputFiles([
    { name: 'red.png', mimeType: 'image/png', buffer: png(2000, 1000, [200, 30, 30]) },
    { name: 'blue.png', mimeType: 'image/png', buffer: png(300, 300, [30, 30, 200]) },
  ]);
  const rows = page.getByRole('list', { name: 'Images, first shown first' }).getByRole('listitem');
  await expect(rows).toHaveCount(2);
  const firstUrl = await page.getByLabel('Image 1 URL').inputValue();
  const secondUrl = await page.getByLabel('Image 2 URL').inputValue();
  expect(firstUrl).toMatch(/^\/images\/uploads\/[0-9a-f-]{36}\.webp$/);
  await page.getByRole('button', { name: 'Move up image 2' }).click();
  await expect(page.getByLabel('Image 1 URL')).toHaveValue(secondUrl);
  expect(await seriousAxeViolations(page)).toEqual([]);
  await page.getByRole('button', { name: 'Create product' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'My Products' })).toBeVisible();

  // The stored files: immutable, the large one scaled down to 1600 px wide, with its small copy beside it.
  const served = await request.get(firstUrl);
  expect(served.status()).toBe(200);
  expect(served.headers()['content-type']).toBe('image/webp');
  expect(served.headers()['cache-control']).toBe('public, max-age=31536000, immutable');
  expect((await request.get(firstUrl.replace('.webp', '-thumb.webp'))).status()).toBe(200);

  const products = await request.get(`/api/v1/products?q=${encodeURIComponent(name)}&sellerId=00000000-0000-0000-0000-000000000003`);
  const [created] = ((await products.json()) as { data: { id: number }[] }).data;
  await page.goto(`/products/${created!.id}`);
  const main = page.locator('.gallery__main');
  await expect(main).toHaveAttribute('src', secondUrl);
  await page.getByRole('button', { name: 'Show image 2 of 2' }).click();
  await expect(main).toHaveAttribute('src', firstUrl);
  // The large picture was scaled to 1600 px in the browser before upload, its small copy to 480 px.
  const widthOf = (url: string) => page.evaluate(`(async () => { const img = new Image(); img.src = ${JSON.stringify(url)}; await img.decode(); return img.naturalWidth; })()`);
  expect(await widthOf(firstUrl)).toBe(1600);
  expect(await widthOf(firstUrl.replace('.webp', '-thumb.webp'))).toBe(480);
  expect(await widthOf(secondUrl)).toBe(300);
});

test('an image that cannot be loaded shows the placeholder, not a broken picture', async ({ page, request }) => {
  const token = await apiToken(request, SELLER);
  const created = await request.post('/api/v1/products', {
    headers: { authorization: `Bearer ${token}` },
    data: { name: `E2E Missing Image ${Date.now()}`, price: 5, stockQuantity: 1, images: [{ url: '/images/products/no-such-file.png' }] },
  });
  expect(created.status()).toBe(201);
  const { id } = ((await created.json()) as { data: { id: number } }).data;
  await page.goto(`/products/${id}`);
  await expect(page.locator('.gallery__main')).toHaveAttribute('src', /^data:image\/svg\+xml/);
});
