import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';

import { createTestApp } from '@/app';
import { createImagesRouter, MAX_IMAGE_BYTES, sniffImageType } from '@/catalog/images';
import { imageBucketFromEnv } from '@/composition';
import { CUSTOMER, errorOf, SELLER, type Who } from '@/catalog/test-support';
import { signAccessToken } from '@/identity/tokens';

const app = createTestApp(createImagesRouter(imageBucketFromEnv));

const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 1, 2, 3]);
const WEBP = Uint8Array.from([...'RIFF'].map((c) => c.charCodeAt(0)).concat([0, 0, 0, 0], [...'WEBPVP8 '].map((c) => c.charCodeAt(0)), [9, 9]));

async function upload(files: Record<string, Blob>, who?: Who) {
  const form = new FormData();
  for (const [name, blob] of Object.entries(files)) form.append(name, blob, `${name}.bin`);
  const headers: Record<string, string> = who ? { authorization: `Bearer ${await signAccessToken(env, who)}` } : {};
  return app.request('/api/v1/products/images', { method: 'POST', body: form, headers }, env);
}

describe('product image uploads', () => {
  it('stores an image and its thumbnail in R2 and serves them back as immutable files', async () => {
    const res = await upload({ image: new Blob([PNG], { type: 'image/png' }), thumb: new Blob([WEBP], { type: 'image/webp' }) }, SELLER);
    expect(res.status).toBe(201);
    const { url, thumbnailUrl } = (await res.json<{ data: { url: string; thumbnailUrl: string } }>()).data;
    expect(url).toMatch(/^\/images\/uploads\/[0-9a-f-]{36}\.png$/);
    expect(thumbnailUrl).toBe(url.replace('.png', '-thumb.png'));

    const served = await app.request(url, {}, env);
    expect(served.status).toBe(200);
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(PNG);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(served.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(served.headers.get('etag')).toBeTruthy();
    const thumb = await app.request(thumbnailUrl, {}, env);
    expect(thumb.headers.get('content-type')).toBe('image/webp');
    expect(new Uint8Array(await thumb.arrayBuffer())).toEqual(WEBP);
  });

  it('keeps the image itself as the small copy when none is sent, so every upload has one', async () => {
    const res = await upload({ image: new Blob([PNG]) }, SELLER);
    const { thumbnailUrl } = (await res.json<{ data: { thumbnailUrl: string } }>()).data;
    expect(new Uint8Array(await (await app.request(thumbnailUrl, {}, env)).arrayBuffer())).toEqual(PNG);
  });

  it('judges the type by the bytes, not by the name or the declared type', async () => {
    const res = await upload({ image: new Blob(['<svg onload=alert(1)>'], { type: 'image/png' }) }, SELLER);
    expect(res.status).toBe(415);
    expect((await errorOf(res)).details).toEqual({ image: 'not a JPEG, PNG, WebP or AVIF image' });
  });

  it('refuses an image over the limit with 413 and stores nothing', async () => {
    const big = new Uint8Array(MAX_IMAGE_BYTES + 1);
    big.set(PNG);
    const before = (await env.IMAGES.list({ prefix: 'uploads/' })).objects.length;
    const res = await upload({ image: new Blob([big], { type: 'image/png' }) }, SELLER);
    expect(res.status).toBe(413);
    expect((await env.IMAGES.list({ prefix: 'uploads/' })).objects.length).toBe(before);
  });

  it('is for sellers and admins, needs a file, and serves only names it could have written', async () => {
    expect((await upload({ image: new Blob([PNG]) })).status).toBe(401);
    expect((await upload({ image: new Blob([PNG]) }, CUSTOMER)).status).toBe(403);
    const missing = await upload({ other: new Blob([PNG]) }, SELLER);
    expect(missing.status).toBe(400);
    expect((await errorOf(missing)).code).toBe('VALIDATION_ERROR');
    const json = await app.request('/api/v1/products/images', { method: 'POST', body: '{"image":"x"}', headers: { 'content-type': 'application/json', authorization: `Bearer ${await signAccessToken(env, SELLER)}` } }, env);
    expect([400, 415]).toContain(json.status);
    expect((await app.request(`/images/uploads/${crypto.randomUUID()}.png`, {}, env)).status).toBe(404);
    expect((await app.request('/images/uploads/..%2F..%2Fsecret.png', {}, env)).status).toBe(404);
  });

  it.each([
    [[0xff, 0xd8, 0xff, 0xe0], 'image/jpeg'],
    [[...PNG], 'image/png'],
    [[...WEBP], 'image/webp'],
    [[0, 0, 0, 0x1c, ...[...'ftypavif'].map((c) => c.charCodeAt(0))], 'image/avif'],
    [[...'GIF89a'].map((c) => c.charCodeAt(0)), null],
  ])('sniffs %j as %s', (bytes, type) => {
    expect(sniffImageType(Uint8Array.from(bytes))).toBe(type);
  });
});
