import { env } from 'cloudflare:test';
import { Hono } from 'hono';
import { SignJWT, generateKeyPair, type CryptoKey } from 'jose';
import { describe, expect, it } from 'vitest';

import { createTestApp } from '@/app';
import type { AppBindings } from '@/env';
import { currentUser, optionalAuth, requireAuth } from '@/identity/auth';
import { signAccessToken } from '@/identity/tokens';

const CUSTOMER = { userId: '00000000-0000-0000-0000-000000000002', email: 'customer@example.com', role: 'customer' as const, sessionVersion: 0 };
const SELLER = { userId: '00000000-0000-0000-0000-000000000003', email: 'seller@example.com', role: 'seller' as const, sessionVersion: 0 };

const router = new Hono<AppBindings>()
  .get('/api/v1/me', requireAuth(), (c) => c.json({ success: true, data: currentUser(c) }))
  .get('/api/v1/seller-only', requireAuth('seller', 'admin'), (c) => c.json({ success: true, data: currentUser(c).id }))
  .get('/api/v1/maybe', optionalAuth(), (c) => c.json({ success: true, data: c.get('user')?.id ?? null }));
const app = createTestApp(router);

const call = (path: string, headers: Record<string, string> = {}) => app.request(path, { headers }, env);
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const errorCode = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;

async function foreignToken(claims: Record<string, unknown>, key?: CryptoKey, alg = 'ES256') {
  const signingKey = key ?? (await generateKeyPair('ES256')).privateKey;
  return new SignJWT(claims).setProtectedHeader({ alg }).setSubject(CUSTOMER.userId).setIssuer('edge-shop').setIssuedAt().setExpirationTime('10m').sign(signingKey);
}

describe('requireAuth', () => {
  it('accepts a token it signed and exposes the caller', async () => {
    const res = await call('/api/v1/me', bearer(await signAccessToken(env, CUSTOMER)));
    expect(res.status).toBe(200);
    expect((await res.json<{ data: unknown }>()).data).toEqual({ id: CUSTOMER.userId, email: CUSTOMER.email, role: 'customer' });
  });

  it('answers 401 UNAUTHORIZED without a token, even with X-User-Id set', async () => {
    const res = await call('/api/v1/me', { 'x-user-id': CUSTOMER.userId });
    expect(res.status).toBe(401);
    expect(await errorCode(res)).toBe('UNAUTHORIZED');
  });

  it.each([
    ['garbage', async () => 'not.a.jwt'],
    ['a token signed by another key', () => foreignToken({ role: 'customer', email: CUSTOMER.email, sv: 0 })],
    ['alg none', async () => `${btoa(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${btoa(JSON.stringify({ sub: CUSTOMER.userId, role: 'admin', sv: 0, iss: 'edge-shop', exp: 9999999999, iat: 1 }))}.`.replaceAll('=', '')],
    ['an HS256 token', async () => foreignToken({ role: 'admin', email: CUSTOMER.email, sv: 0 }, new TextEncoder().encode('x'.repeat(32)) as unknown as CryptoKey, 'HS256')],
  ])('answers 401 INVALID_TOKEN for %s', async (_name, make) => {
    const res = await call('/api/v1/me', bearer(await make()));
    expect(res.status).toBe(401);
    expect(await errorCode(res)).toBe('INVALID_TOKEN');
  });

  it('rejects a token whose session version is stale (after logout or reset)', async () => {
    const res = await call('/api/v1/me', bearer(await signAccessToken(env, { ...CUSTOMER, sessionVersion: 7 })));
    expect(res.status).toBe(401);
    expect(await errorCode(res)).toBe('INVALID_TOKEN');
  });

  it('answers 403 when the role is not allowed', async () => {
    expect((await call('/api/v1/seller-only', bearer(await signAccessToken(env, CUSTOMER)))).status).toBe(403);
    expect((await call('/api/v1/seller-only', bearer(await signAccessToken(env, SELLER)))).status).toBe(200);
  });
});

describe('optionalAuth', () => {
  it('treats a missing or invalid token as anonymous and a valid one as the caller', async () => {
    expect((await (await call('/api/v1/maybe')).json<{ data: unknown }>()).data).toBeNull();
    expect((await (await call('/api/v1/maybe', bearer('junk'))).json<{ data: unknown }>()).data).toBeNull();
    const res = await call('/api/v1/maybe', bearer(await signAccessToken(env, SELLER)));
    expect((await res.json<{ data: unknown }>()).data).toBe(SELLER.userId);
  });
});
