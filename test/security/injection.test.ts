import { beforeAll, describe, expect, it } from 'vitest';

import { createProduct } from '@test/security/support/fixtures';
import { countUsers, newActor, send, type Actor, type Answer } from '@test/security/support/harness';
import { lastCode, uniqueEmail } from '@test/support/identity';

/** Each is sent in every text field; long ones are cut to the field's maximum so validation accepts them. */
const PAYLOADS = ["'; DROP TABLE users; --", '<script>alert(1)</script>', '%00', "Robert'); DELETE FROM products; --", '"><img src=x onerror=alert(1)>', '😀ß漢字'.repeat(40)];

const fit = (text: string, max: number) => {
  // zod counts UTF-16 units: never cut a surrogate pair in half.
  let out = '';
  for (const char of text) {
    if (out.length + char.length > max) break;
    out += char;
  }
  return out;
};

function expectJson(answer: Answer) {
  expect(answer.headers.get('content-type') ?? '').toMatch(/^application\/json/);
  expect(answer.text).not.toMatch(/<html|<body/i);
}

let customer: Actor;
let seller: Actor;
let usersBefore: number;

beforeAll(async () => {
  customer = await newActor('customer', 'inject');
  seller = await newActor('seller', 'inject');
  usersBefore = await countUsers();
});

describe('injection strings are stored verbatim and returned as JSON strings', () => {
  it('register: names', async () => {
    for (const payload of PAYLOADS) {
      const email = uniqueEmail('inject');
      const body = { email, password: 'Sturdy4Pass', first_name: fit(payload, 100), last_name: fit(`x${payload}`, 100) };
      const answer = await send('POST', '/api/v1/auth/register', { body });
      expect(answer.status, answer.text).toBe(201);
      expectJson(answer);
      expect((answer.json as { data: Record<string, unknown> }).data).toMatchObject({ first_name: body.first_name, last_name: body.last_name });
      expect(lastCode(email)).toMatch(/^\d{6}$/);
    }
  });

  it('profile: names, read back unchanged (phone has a format rule and refuses them: 400)', async () => {
    for (const payload of PAYLOADS) {
      const body = { first_name: fit(payload, 100), last_name: fit(payload, 100) };
      const phone = await send('PUT', '/api/v1/users/profile', { token: customer.token, body: { ...body, phone: fit(payload, 20) } });
      expect(phone.status).toBe(400);
      const answer = await send('PUT', '/api/v1/users/profile', { token: customer.token, body });
      expect(answer.status, answer.text).toBe(200);
      expectJson(answer);
      const read = await send('GET', '/api/v1/users/profile', { token: customer.token });
      expect((read.json as { data: Record<string, unknown> }).data).toMatchObject(body);
    }
  });

  it('address: every text field, read back unchanged', async () => {
    for (const payload of PAYLOADS) {
      const body = {
        label: fit(payload, 50),
        address_line1: fit(payload, 255),
        address_line2: fit(payload, 255),
        recipient_name: fit(`Ann ${payload}`, 100),
        // A city must contain letters, the country is a code chosen from a list, and a postal code is free text only
        // where the shop knows no format for the country.
        city: fit(`Town ${payload}`, 100),
        state: fit(payload, 100),
        country: 'HK',
        postal_code: fit(payload, 20),
      };
      const created = await send('POST', '/api/v1/users/addresses', { token: customer.token, body });
      expect(created.status, created.text).toBe(201);
      expectJson(created);
      const id = (created.json as { data: { id: string } }).data.id;
      const profile = (await send('GET', '/api/v1/users/profile', { token: customer.token })).json as { data: { addresses: { id: string }[] } };
      expect(profile.data.addresses.find((a) => a.id === id)).toMatchObject(body);
      // Addresses are capped per user: remove it again so every payload fits.
      expect((await send('DELETE', `/api/v1/users/addresses/${id}`, { token: customer.token })).status).toBe(204);
    }
  });

  it('product create: name and description, read back unchanged', async () => {
    for (const payload of PAYLOADS) {
      const body = { name: fit(payload, 200), description: fit(payload.repeat(10), 5000), price: 3.5, stockQuantity: 1, images: [{ url: 'https://img.example.com/a.png', altText: fit(payload, 255) }] };
      const created = await send('POST', '/api/v1/products', { token: seller.token, body });
      expect(created.status, created.text).toBe(201);
      expectJson(created);
      const id = (created.json as { data: { id: number } }).data.id;
      const read = (await send('GET', `/api/v1/products/${id}`)).json as { data: { name: string; description: string; images: { altText: string }[] } };
      expect(read.data).toMatchObject({ name: body.name, description: body.description });
      expect(read.data.images[0]?.altText).toBe(body.images[0]!.altText);
    }
  });

  it('category create: the name is kept and the slug stays URL-safe', async () => {
    for (const payload of PAYLOADS) {
      const name = fit(`${payload} ${crypto.randomUUID().slice(0, 8)}`, 100);
      const created = await send('POST', '/api/v1/categories', { token: seller.token, body: { name } });
      expect(created.status, created.text).toBe(201);
      expectJson(created);
      const data = (created.json as { data: { name: string; slug: string } }).data;
      expect(data.name).toBe(name);
      expect(data.slug).toMatch(/^[a-z0-9-]+$/);
    }
  });

  it('search and list queries treat injection as text', async () => {
    for (const payload of PAYLOADS) {
      for (const path of [`/api/v1/products/search?q=${encodeURIComponent(payload)}`, `/api/v1/categories?q=${encodeURIComponent(payload)}`, `/api/v1/products?sort=${encodeURIComponent(payload)}`]) {
        const answer = await send('GET', path);
        expect(answer.status, `${path}: ${answer.text}`).toBeLessThan(500);
        expectJson(answer);
      }
    }
  });

  it('leaves the database intact: users table counted before and after, seeded rows still readable', async () => {
    await createProduct(seller, "'); DROP TABLE products; --");
    // This file registered one user per payload; other files may add users concurrently, never remove them.
    expect(await countUsers()).toBeGreaterThanOrEqual(usersBefore + PAYLOADS.length);
    expect((await send('GET', '/api/v1/products/1')).status).toBe(200);
    const login = await send('POST', '/api/v1/auth/login', { body: { email: 'customer@example.com', password: 'Customer@123' } });
    expect(login.status).toBe(200);
  });
});
