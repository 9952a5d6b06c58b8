import { env } from 'cloudflare:test';
import { exportJWK, generateKeyPair, importJWK, SignJWT, type JWK } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';

import { ACCESS_TOKEN_AUDIENCE } from '@/identity/tokens';
import { newActor, send, type Actor, type Answer } from '@test/security/support/harness';
import { PASSWORD } from '@test/support/identity';

const ADMIN_ID = '00000000-0000-0000-0000-000000000001';
/** Protected routes of three domains: the profile (identity), the cart (cart), product creation (catalog, seller). */
const PROTECTED = [
  { method: 'GET', path: '/api/v1/users/profile' },
  { method: 'GET', path: '/api/v1/cart' },
  { method: 'POST', path: '/api/v1/products', body: { name: 'Tampered', price: 1, stockQuantity: 1 } },
];

const b64url = (value: unknown) => btoa(JSON.stringify(value)).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
const decodePart = (part: string) => JSON.parse(atob(part.replaceAll('-', '+').replaceAll('_', '/'))) as Record<string, unknown>;

let customer: Actor;
let privateJwk: JWK & { kid: string };
const issuer = () => env.JWT_ISSUER || 'edge-shop';

/** Signs claims with the shop's real key, so only the claim under test is wrong. */
async function signWithShopKey(claims: Record<string, unknown>, build: (jwt: SignJWT) => SignJWT = (jwt) => jwt): Promise<string> {
  const key = await importJWK(privateJwk, 'ES256');
  const jwt = new SignJWT({ user_id: customer.id, email: customer.email, role: 'customer', sv: 0, ...claims })
    .setProtectedHeader({ alg: 'ES256', kid: privateJwk.kid, typ: 'JWT' })
    .setSubject(customer.id)
    .setIssuer(issuer())
    .setAudience(ACCESS_TOKEN_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime('10m');
  return build(jwt).sign(key);
}

function expectRejected(answer: Answer, label: string) {
  expect(answer.status, `${label}: ${answer.text}`).toBe(401);
  const body = answer.json as { success: boolean; error: { code: string } };
  expect(body.success).toBe(false);
  expect(['UNAUTHORIZED', 'INVALID_TOKEN']).toContain(body.error.code);
}

/** Every protected route refuses the token with 401 and the envelope. */
async function expectTokenRefused(token: string, label: string) {
  for (const route of PROTECTED) {
    expectRejected(await send(route.method, route.path, { token, body: route.body }), `${label} on ${route.method} ${route.path}`);
  }
}

beforeAll(async () => {
  customer = await newActor('customer', 'tamper');
  privateJwk = JSON.parse(env.JWT_PRIVATE_KEY) as JWK & { kid: string };
});

describe('token tampering: always 401, never another identity', () => {
  it('accepts the untampered token (control)', async () => {
    const answer = await send('GET', '/api/v1/users/profile', { token: customer.token });
    expect(answer.status).toBe(200);
    expect((answer.json as { data: { id: string } }).data.id).toBe(customer.id);
    expect((await send('GET', '/api/v1/users/profile', { token: await signWithShopKey({}) })).status).toBe(200);
  });

  it('refuses a payload changed under the original signature (role → admin, sub → the admin)', async () => {
    const [header, payload, signature] = customer.token.split('.') as [string, string, string];
    const claims = decodePart(payload);
    await expectTokenRefused(`${header}.${b64url({ ...claims, role: 'admin' })}.${signature}`, 'role escalated');
    await expectTokenRefused(`${header}.${b64url({ ...claims, sub: ADMIN_ID, user_id: ADMIN_ID })}.${signature}`, 'subject swapped');
    await expectTokenRefused(`${header}.${b64url({ ...claims, exp: Math.floor(Date.now() / 1000) + 86_400 * 365 })}.${signature}`, 'expiry extended');
  });

  it('refuses alg "none" (with and without a signature part)', async () => {
    const [, payload, signature] = customer.token.split('.') as [string, string, string];
    for (const alg of ['none', 'None', 'NONE']) {
      const header = b64url({ alg, typ: 'JWT' });
      await expectTokenRefused(`${header}.${payload}.`, `alg ${alg}`);
      await expectTokenRefused(`${header}.${payload}.${signature}`, `alg ${alg} + old signature`);
    }
  });

  it('refuses HS256 signed with the public key as the HMAC secret (algorithm confusion)', async () => {
    const jwks = (await send('GET', '/.well-known/jwks.json')).json as { keys: JWK[] };
    const publicJwk = jwks.keys[0]!;
    expect(publicJwk.d).toBeUndefined();
    for (const secretText of [JSON.stringify(publicJwk), `${publicJwk.x}${publicJwk.y}`]) {
      const token = await new SignJWT({ user_id: ADMIN_ID, email: 'admin@example.com', role: 'admin', sv: 0 })
        .setProtectedHeader({ alg: 'HS256', kid: publicJwk.kid, typ: 'JWT' })
        .setSubject(ADMIN_ID)
        .setIssuer(issuer())
        .setIssuedAt()
        .setExpirationTime('10m')
        .sign(new TextEncoder().encode(secretText));
      await expectTokenRefused(token, 'HS256 with public key');
    }
  });

  it('refuses a token signed by a different ES256 key, even with the shop’s kid or an embedded jwk header', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const claims = { user_id: customer.id, email: customer.email, role: 'admin', sv: 0 };
    const sign = (header: Record<string, unknown>) =>
      new SignJWT(claims).setProtectedHeader({ alg: 'ES256', typ: 'JWT', ...header }).setSubject(customer.id).setIssuer(issuer()).setIssuedAt().setExpirationTime('10m').sign(privateKey);
    await expectTokenRefused(await sign({ kid: privateJwk.kid }), 'foreign key, shop kid');
    await expectTokenRefused(await sign({ jwk: await exportJWK(publicKey) }), 'foreign key embedded as jwk');
    await expectTokenRefused(await sign({ jku: 'https://attacker.invalid/jwks.json', kid: 'attacker' }), 'foreign key via jku');
  });

  it('refuses expired, not-yet-valid, wrong-issuer and claim-less tokens signed with the real key', async () => {
    const now = Math.floor(Date.now() / 1000);
    await expectTokenRefused(await signWithShopKey({}, (jwt) => jwt.setIssuedAt(now - 3600).setExpirationTime(now - 60)), 'expired');
    await expectTokenRefused(await signWithShopKey({}, (jwt) => jwt.setNotBefore(now + 3600)), 'not yet valid');
    await expectTokenRefused(await signWithShopKey({}, (jwt) => jwt.setIssuer('someone-else')), 'wrong issuer');
    await expectTokenRefused(await signWithShopKey({ sv: 1 }), 'future session version');
    // Item 10 of the hardening review: an access token must name this API as its audience.
    await expectTokenRefused(await signWithShopKey({}, (jwt) => jwt.setAudience('another-service')), 'wrong audience');
    await expectTokenRefused(await signWithShopKey({}, (jwt) => jwt.setAudience(['another-service', 'edge-shop-refresh'])), 'other audiences only');
    await expectTokenRefused(await signWithShopKey({ role: 'superuser' }), 'unknown role');
    await expectTokenRefused(await signWithShopKey({}, (jwt) => jwt.setSubject('not-a-uuid')), 'malformed subject');
    await expectTokenRefused(await signWithShopKey({}, (jwt) => jwt.setSubject('01a2b3c4-0000-7000-8000-000000000000')), 'unknown user');
    const noExp = await new SignJWT({ user_id: customer.id, email: customer.email, role: 'customer', sv: 0 })
      .setProtectedHeader({ alg: 'ES256', kid: privateJwk.kid })
      .setSubject(customer.id)
      .setIssuer(issuer())
      .setIssuedAt()
      .sign(await importJWK(privateJwk, 'ES256'));
    await expectTokenRefused(noExp, 'no exp claim');
    const noAudience = await new SignJWT({ user_id: customer.id, email: customer.email, role: 'customer', sv: 0 })
      .setProtectedHeader({ alg: 'ES256', kid: privateJwk.kid })
      .setSubject(customer.id)
      .setIssuer(issuer())
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(await importJWK(privateJwk, 'ES256'));
    await expectTokenRefused(noAudience, 'no aud claim');
  });

  it('refuses malformed Authorization headers', async () => {
    for (const header of ['Bearer', 'Bearer ', `bearer ${customer.token}`, `Basic ${btoa('customer@example.com:Customer@123')}`, `Bearer ${customer.token} extra`, `Bearer ${customer.token.slice(0, -2)}`, 'Bearer a.b.c', 'Bearer ....']) {
      expectRejected(await send('GET', '/api/v1/users/profile', { headers: { authorization: header } }), `header "${header.slice(0, 20)}"`);
    }
  });

  it('rejects the access and refresh tokens of a session that logged out (stale session version)', async () => {
    const user = await newActor('customer', 'logout');
    const ip = '198.51.100.77';
    const login = await send('POST', '/api/v1/auth/login', { ip, body: { email: user.email, password: PASSWORD } });
    expect(login.status, login.text).toBe(200);
    const tokens = (login.json as { data: { access_token: string; refresh_token: string } }).data;
    expect((await send('GET', '/api/v1/users/profile', { token: tokens.access_token })).status).toBe(200);
    expect((await send('POST', '/api/v1/auth/logout', { token: tokens.access_token })).status).toBe(200);
    await expectTokenRefused(tokens.access_token, 'access token after logout');
    expect((await send('POST', '/api/v1/auth/refresh', { ip, body: { refresh_token: tokens.refresh_token } })).status).toBe(401);
  });

  it('ignores X-User-Id / X-Seller-Id: no token is still 401, a token keeps its own identity', async () => {
    const spoof = { 'x-user-id': ADMIN_ID, 'x-seller-id': '00000000-0000-0000-0000-000000000003', 'x-user-role': 'admin' };
    for (const route of PROTECTED) expectRejected(await send(route.method, route.path, { headers: spoof, body: route.body }), `spoofed headers on ${route.path}`);
    const profile = await send('GET', '/api/v1/users/profile', { token: customer.token, headers: spoof });
    expect((profile.json as { data: { id: string; role: string } }).data).toMatchObject({ id: customer.id, role: 'customer' });
    // A customer naming a seller in X-Seller-Id still cannot create products.
    const create = await send('POST', '/api/v1/products', { token: customer.token, headers: spoof, body: PROTECTED[2]!.body });
    expect(create.status).toBe(403);
    // The admin route stays closed to the customer whatever the headers say.
    expect((await send('GET', `/api/v1/users/${ADMIN_ID}`, { token: customer.token, headers: spoof })).status).toBe(403);
  });

  it('does not take a token from the query string or a cookie named like one', async () => {
    expectRejected(await send('GET', `/api/v1/users/profile?access_token=${customer.token}`), 'query token');
    expectRejected(await send('GET', '/api/v1/users/profile', { headers: { cookie: `access_token=${customer.token}; token=${customer.token}` } }), 'cookie token');
  });
});
