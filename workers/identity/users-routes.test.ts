import { env } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';

import type { Address, Profile } from '@/identity/schema';
import { userAddresses } from '@/identity/tables';
import { MAX_ADDRESSES_PER_USER } from '@/identity/users-service';
import { createDb } from '@/platform/db';
import { call, createUserWithToken, dataOf, errorCode } from '@test/support/identity';

const ADMIN_ID = '00000000-0000-0000-0000-000000000001';
const CUSTOMER_ID = '00000000-0000-0000-0000-000000000002';
const SELLER_ID = '00000000-0000-0000-0000-000000000003';

const address = (line: string) => ({ label: 'Home', address_line1: line, city: 'Hanoi', country: 'VN', postal_code: '100000' });

async function addAddress(token: string, line: string): Promise<Address> {
  const res = await call('POST', '/api/v1/users/addresses', address(line), { token });
  expect(res.status).toBe(201);
  return dataOf<Address>(res);
}

const profile = async (token: string) => dataOf<Profile>(await call('GET', '/api/v1/users/profile', undefined, { token }));
const storedAddresses = (userId: string) => createDb(env).select().from(userAddresses).where(eq(userAddresses.userId, userId));

describe('GET /api/v1/countries', () => {
  it('lists ISO codes with English names, publicly and cacheably', async () => {
    const res = await call('GET', '/api/v1/countries');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toContain('max-age');
    const countries = await dataOf<{ code: string; name: string; postalCodeChecked: boolean }[]>(res);
    expect(countries.length).toBeGreaterThan(240);
    expect(countries).toContainEqual({ code: 'VN', name: 'Vietnam', postalCodeChecked: true });
    expect(countries.map((c) => c.name)).toEqual(countries.map((c) => c.name).toSorted((a, b) => a.localeCompare(b, 'en')));
  });
});

describe('profile', () => {
  it('shows and replaces the caller’s own profile in snake_case', async () => {
    const user = await createUserWithToken('customer', 'profile');
    expect(await profile(user.token)).toEqual({
      id: user.id,
      email: user.email,
      role: 'customer',
      first_name: 'First',
      last_name: 'profile',
      phone: null,
      avatar_url: null,
      addresses: [],
    });
    const res = await call('PUT', '/api/v1/users/profile', { first_name: ' Grace ', last_name: 'Hopper', phone: '+84 912 345 678' }, { token: user.token });
    expect(res.status).toBe(200);
    expect(await dataOf<Profile>(res)).toMatchObject({ first_name: 'Grace', last_name: 'Hopper', phone: '+84 912 345 678', avatar_url: null });
  });

  it.each([
    ['a missing last_name', { first_name: 'A' }],
    ['an over-long first_name', { first_name: 'x'.repeat(101), last_name: 'B' }],
    ['an over-long phone', { first_name: 'A', last_name: 'B', phone: '1'.repeat(21) }],
    ['a non-URL avatar', { first_name: 'A', last_name: 'B', avatar_url: 'javascript:alert(1)' }],
    ['an extra field', { first_name: 'A', last_name: 'B', role: 'admin' }],
    ['a wrong type', { first_name: 1, last_name: 'B' }],
  ])('rejects %s with 400 and changes nothing', async (_name, body) => {
    const user = await createUserWithToken('customer', 'badprofile');
    const res = await call('PUT', '/api/v1/users/profile', body, { token: user.token });
    expect(res.status).toBe(400);
    expect(await errorCode(res)).toBe('VALIDATION_ERROR');
    expect(await profile(user.token)).toMatchObject({ role: 'customer', first_name: 'First', last_name: 'badprofile', phone: null });
  });

  it('needs a token and ignores X-User-Id', async () => {
    const res = await call('GET', '/api/v1/users/profile', undefined, { headers: { 'x-user-id': CUSTOMER_ID } });
    expect(res.status).toBe(401);
  });
});

describe('addresses', () => {
  it('makes the first address the default and keeps exactly one default', async () => {
    const user = await createUserWithToken('customer', 'addr');
    const first = await addAddress(user.token, '1 First St');
    const second = await addAddress(user.token, '2 Second St');
    expect(first.is_default).toBe(true);
    expect(second.is_default).toBe(false);

    const switched = await call('PUT', `/api/v1/users/addresses/${second.id}/default`, undefined, { token: user.token });
    expect(switched.status).toBe(200);
    expect((await dataOf<Address>(switched)).is_default).toBe(true);
    const rows = await storedAddresses(user.id);
    expect(rows.filter((row) => row.isDefault).map((row) => row.id)).toEqual([second.id]);
    expect((await profile(user.token)).addresses.map((a) => a.id)).toEqual([second.id, first.id]);
  });

  it('replaces an address in full (omitted optional fields are cleared)', async () => {
    const user = await createUserWithToken('customer', 'addr-put');
    const created = await addAddress(user.token, '1 Old Rd');
    const res = await call('PUT', `/api/v1/users/addresses/${created.id}`, { address_line1: '9 New Rd', city: 'Hue', country: 'VN' }, { token: user.token });
    expect(res.status).toBe(200);
    expect(await dataOf<Address>(res)).toEqual({ ...created, address_line1: '9 New Rd', city: 'Hue', label: null, postal_code: null });
  });

  it('promotes the newest remaining address when the default is deleted', async () => {
    const user = await createUserWithToken('customer', 'addr-del');
    const first = await addAddress(user.token, '1 A St');
    const second = await addAddress(user.token, '2 B St');
    const third = await addAddress(user.token, '3 C St');
    const res = await call('DELETE', `/api/v1/users/addresses/${first.id}`, undefined, { token: user.token });
    expect(res.status).toBe(204);
    const rows = await storedAddresses(user.id);
    expect(rows.map((row) => row.id).sort()).toEqual([second.id, third.id].sort());
    expect(rows.find((row) => row.isDefault)?.id).toBe(third.id);
    // Deleting a non-default keeps the default where it is.
    expect((await call('DELETE', `/api/v1/users/addresses/${second.id}`, undefined, { token: user.token })).status).toBe(204);
    expect((await storedAddresses(user.id)).map((row) => [row.id, row.isDefault])).toEqual([[third.id, true]]);
  });

  it('answers 404 for another user’s address on every route and changes nothing', async () => {
    const owner = await createUserWithToken('customer', 'owner');
    const intruder = await createUserWithToken('customer', 'intruder');
    await addAddress(intruder.token, '1 Intruder Way');
    const target = await addAddress(owner.token, '1 Owner Way');
    const before = await storedAddresses(owner.id);
    for (const [method, path, body] of [
      ['PUT', `/api/v1/users/addresses/${target.id}`, address('hijacked')],
      ['DELETE', `/api/v1/users/addresses/${target.id}`, undefined],
      ['PUT', `/api/v1/users/addresses/${target.id}/default`, undefined],
    ] as const) {
      const res = await call(method, path, body, { token: intruder.token });
      expect(res.status).toBe(404);
      expect(await errorCode(res)).toBe('ADDRESS_NOT_FOUND');
    }
    expect(await storedAddresses(owner.id)).toEqual(before);
    expect((await storedAddresses(intruder.id)).filter((row) => row.isDefault)).toHaveLength(1);
  });

  it.each([
    ['a missing city', { address_line1: '1 A St', country: 'VN' }],
    ['an over-long postal code', { ...address('1 A St'), postal_code: '9'.repeat(21) }],
    ['an over-long label', { ...address('1 A St'), label: 'x'.repeat(51) }],
    ['an extra field', { ...address('1 A St'), user_id: CUSTOMER_ID }],
    ['a blank first line', { ...address('   ') }],
    ['an unknown country', { ...address('1 A St'), country: 'Narnia' }],
    ['a postal code of punctuation', { ...address('1 A St'), country: 'US', postal_code: '!!!!' }],
    ['a city without letters', { ...address('1 A St'), city: '1' }],
  ])('rejects %s with 400 and stores nothing', async (_name, body) => {
    const user = await createUserWithToken('customer', 'addr-bad');
    const res = await call('POST', '/api/v1/users/addresses', body, { token: user.token });
    expect(res.status).toBe(400);
    expect(await storedAddresses(user.id)).toHaveLength(0);
  });

  it('stores the country as its code and keeps the recipient and phone', async () => {
    const user = await createUserWithToken('customer', 'addr-country');
    const res = await call('POST', '/api/v1/users/addresses', { ...address('5 Le Loi'), country: 'Vietnam', recipient_name: 'Minh Tran', phone: '+84 90 123 4567' }, { token: user.token });
    expect(res.status).toBe(201);
    expect(await dataOf<Address>(res)).toMatchObject({ country: 'VN', recipient_name: 'Minh Tran', phone: '+84 90 123 4567', postal_code: '100000' });
  });

  it('keeps exactly one default under concurrent creates and concurrent switches', async () => {
    const user = await createUserWithToken('customer', 'addr-race');
    const created = await Promise.all(Array.from({ length: 4 }, (_, i) => call('POST', '/api/v1/users/addresses', address(`${i} Race St`), { token: user.token })));
    expect(created.map((res) => res.status)).toEqual([201, 201, 201, 201]);
    expect((await storedAddresses(user.id)).filter((row) => row.isDefault)).toHaveLength(1);

    const ids = (await storedAddresses(user.id)).map((row) => row.id);
    const switched = await Promise.all(ids.map((id) => call('PUT', `/api/v1/users/addresses/${id}/default`, undefined, { token: user.token })));
    expect(switched.map((res) => res.status)).toEqual([200, 200, 200, 200]);
    expect((await storedAddresses(user.id)).filter((row) => row.isDefault)).toHaveLength(1);
  });

  it('caps the number of addresses per account with 409', async () => {
    const user = await createUserWithToken('customer', 'addr-cap');
    await createDb(env)
      .insert(userAddresses)
      .values(Array.from({ length: MAX_ADDRESSES_PER_USER }, (_, i) => ({ userId: user.id, addressLine1: `${i} Cap St`, city: 'Hue', country: 'VN', isDefault: i === 0 })));
    const res = await call('POST', '/api/v1/users/addresses', address('one too many'), { token: user.token });
    expect(res.status).toBe(409);
    expect(await errorCode(res)).toBe('ADDRESS_LIMIT_REACHED');
    expect(await storedAddresses(user.id)).toHaveLength(MAX_ADDRESSES_PER_USER);
  });

  it('answers a malformed address id with 400 INVALID_ADDRESS_ID', async () => {
    const user = await createUserWithToken('customer', 'addr-id');
    const res = await call('PUT', '/api/v1/users/addresses/not-a-uuid/default', undefined, { token: user.token });
    expect(res.status).toBe(400);
    expect(await errorCode(res)).toBe('INVALID_ADDRESS_ID');
  });
});

describe('public seller card', () => {
  it('shows name, avatar and join date of a seller without the email', async () => {
    const res = await call('GET', `/api/v1/users/sellers/${SELLER_ID}`);
    expect(res.status).toBe(200);
    const card = await dataOf<Record<string, unknown>>(res);
    expect(Object.keys(card).sort()).toEqual(['avatarUrl', 'createdAt', 'firstName', 'id', 'lastName']);
    expect(card.id).toBe(SELLER_ID);
    expect(JSON.stringify(card)).not.toContain('@');
  });

  it('answers 404 for users who are not sellers and for unknown ids, 400 for malformed ids', async () => {
    for (const id of [CUSTOMER_ID, ADMIN_ID, crypto.randomUUID()]) {
      const res = await call('GET', `/api/v1/users/sellers/${id}`);
      expect(res.status).toBe(404);
      expect(await errorCode(res)).toBe('SELLER_NOT_FOUND');
    }
    const bad = await call('GET', '/api/v1/users/sellers/42');
    expect(bad.status).toBe(400);
    expect(await errorCode(bad)).toBe('INVALID_SELLER_ID');
  });
});

describe('admin routes', () => {
  it('lets only admins read a user record', async () => {
    const admin = await createUserWithToken('admin', 'admin');
    const customer = await createUserWithToken('customer', 'cust');
    const seller = await createUserWithToken('seller', 'sell');
    for (const caller of [customer, seller]) {
      const res = await call('GET', `/api/v1/users/${CUSTOMER_ID}`, undefined, { token: caller.token });
      expect(res.status).toBe(403);
    }
    expect((await call('GET', `/api/v1/users/${CUSTOMER_ID}`)).status).toBe(401);
    const res = await call('GET', `/api/v1/users/${CUSTOMER_ID}`, undefined, { token: admin.token });
    expect(res.status).toBe(200);
    expect(await dataOf(res)).toEqual({ id: CUSTOMER_ID, email: 'customer@example.com', role: 'customer', first_name: expect.any(String), last_name: expect.any(String) });
    expect((await call('GET', `/api/v1/users/${crypto.randomUUID()}`, undefined, { token: admin.token })).status).toBe(404);
  });

  it('changes a role, which ends the user’s current access tokens', async () => {
    const admin = await createUserWithToken('admin', 'admin');
    const user = await createUserWithToken('customer', 'promote');
    const denied = await call('PUT', `/api/v1/admin/users/${user.id}/role`, { role: 'admin' }, { token: user.token });
    expect(denied.status).toBe(403);

    const res = await call('PUT', `/api/v1/admin/users/${user.id}/role`, { role: 'seller' }, { token: admin.token });
    expect(res.status).toBe(200);
    expect(await dataOf(res)).toMatchObject({ id: user.id, role: 'seller' });
    expect((await call('GET', '/api/v1/users/profile', undefined, { token: user.token })).status).toBe(401);
    expect((await call('GET', `/api/v1/users/sellers/${user.id}`)).status).toBe(200);

    const bad = await call('PUT', `/api/v1/admin/users/${user.id}/role`, { role: 'owner' }, { token: admin.token });
    expect(bad.status).toBe(400);
    expect((await call('PUT', `/api/v1/admin/users/${crypto.randomUUID()}/role`, { role: 'seller' }, { token: admin.token })).status).toBe(404);
  });
});
