import { env } from 'cloudflare:test';
import { eq, sql } from 'drizzle-orm';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';

import { REFUSED_REGISTRATIONS } from '@contract/identity.examples';

import { lastLoggedEmail } from '@/identity/email';
import { MAX_PASSWORD_WORK_IN_FLIGHT } from '@/identity/overload';
import { GENERIC_FORGOT_MESSAGE } from '@/identity/password-reset';
import { GENERIC_RESEND_MESSAGE } from '@/identity/registration';
import { emailVerifications, users } from '@/identity/tables';
import { createDb } from '@/platform/db';
import { awayFromWindowEdge, call, dataOf, errorCode, lastCode, newIp, PASSWORD, registerVerifiedUser, uniqueEmail, type TokenBody } from '@test/support/identity';

const register = (email: string, ip: string, password = PASSWORD) =>
  call('POST', '/api/v1/auth/register', { email, password, first_name: 'Ada', last_name: 'Lovelace' }, { ip });

describe('register → verify → login → refresh → logout', () => {
  it('runs the whole flow with the code read from the email sender', async () => {
    const ip = newIp();
    const email = uniqueEmail('flow');

    const registered = await register(`  ${email.toUpperCase()} `, ip);
    expect(registered.status).toBe(201);
    const user = await dataOf<{ id: string; email: string; role: string }>(registered);
    expect(user).toMatchObject({ email, role: 'customer', first_name: 'Ada', last_name: 'Lovelace' });
    expect(user).not.toHaveProperty('access_token');

    // Unverified: a wrong password is still just 401; only a correct one reveals the 403.
    const wrong = await call('POST', '/api/v1/auth/login', { email, password: 'Wrong1pass' }, { ip });
    expect(wrong.status).toBe(401);
    expect(await errorCode(wrong)).toBe('INVALID_CREDENTIALS');
    const unverified = await call('POST', '/api/v1/auth/login', { email, password: PASSWORD }, { ip });
    expect(unverified.status).toBe(403);
    expect(await errorCode(unverified)).toBe('EMAIL_NOT_VERIFIED');

    const code = lastCode(email);
    expect(code).toMatch(/^\d{6}$/);
    const badCode = code === '000000' ? '000001' : '000000';
    expect(await errorCode(await call('POST', '/api/v1/auth/verify-email', { email, code: badCode }, { ip }))).toBe('INVALID_CODE');
    // The code proves the address: the answer signs the account in, with a session that works.
    const verified = await call('POST', '/api/v1/auth/verify-email', { email, code }, { ip });
    expect(verified.status).toBe(200);
    const session = await dataOf<TokenBody & { message: string }>(verified);
    expect(session).toMatchObject({ message: expect.stringContaining('verified'), token_type: 'Bearer', user: { id: user.id, email } });
    expect(verified.headers.get('set-cookie') ?? '').toContain(`refresh_token=${session.refresh_token}`);
    expect((await call('GET', '/api/v1/users/profile', undefined, { token: session.access_token })).status).toBe(200);
    const again = await call('POST', '/api/v1/auth/verify-email', { email, code }, { ip });
    expect(again.status).toBe(400);
    // Same answer as a wrong code or an unknown address (docs/decisions/identity.md: no enumeration).
    expect(await errorCode(again)).toBe('INVALID_CODE');

    const login = await call('POST', '/api/v1/auth/login', { email: email.toUpperCase(), password: PASSWORD }, { ip });
    expect(login.status).toBe(200);
    const tokens = await dataOf<TokenBody>(login);
    expect(tokens).toMatchObject({ token_type: 'Bearer', expires_in: 900, user: { id: user.id, email, role: 'customer', first_name: 'Ada', last_name: 'Lovelace' } });
    expect(tokens.refresh_token).toMatch(/^[0-9a-f]{128}$/);
    const cookie = login.headers.get('set-cookie') ?? '';
    expect(cookie).toContain(`refresh_token=${tokens.refresh_token}`);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/Secure/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(cookie).toMatch(/Path=\/api\/v1\/auth/i);

    expect((await call('GET', '/api/v1/users/profile', undefined, { token: tokens.access_token })).status).toBe(200);

    const refreshed = await call('POST', '/api/v1/auth/refresh', { refresh_token: tokens.refresh_token }, { ip });
    expect(refreshed.status).toBe(200);
    const second = await dataOf<TokenBody>(refreshed);
    expect(second.refresh_token).not.toBe(tokens.refresh_token);
    expect(second.user.id).toBe(user.id);

    // The SPA's cookie works as well as the body.
    const viaCookie = await call('POST', '/api/v1/auth/refresh', undefined, { ip, cookie: `refresh_token=${second.refresh_token}` });
    expect(viaCookie.status).toBe(200);
    const third = await dataOf<TokenBody>(viaCookie);

    const logout = await call('POST', '/api/v1/auth/logout', undefined, { ip, token: third.access_token });
    expect(logout.status).toBe(200);
    expect(logout.headers.get('set-cookie')).toMatch(/refresh_token=;/);
    for (const token of [tokens.access_token, third.access_token]) {
      const res = await call('GET', '/api/v1/users/profile', undefined, { token });
      expect(res.status).toBe(401);
      expect(await errorCode(res)).toBe('INVALID_TOKEN');
    }
    const afterLogout = await call('POST', '/api/v1/auth/refresh', { refresh_token: third.refresh_token }, { ip });
    expect(afterLogout.status).toBe(401);
    expect(await errorCode(afterLogout)).toBe('INVALID_TOKEN');
  });

  it('signs in the seeded sample users with their documented passwords', async () => {
    const res = await call('POST', '/api/v1/auth/login', { email: 'Seller@Example.com', password: 'Seller@123' });
    expect(res.status).toBe(200);
    expect((await dataOf<TokenBody>(res)).user).toMatchObject({ id: '00000000-0000-0000-0000-000000000003', email: 'seller@example.com', role: 'seller' });
  });

  it('rejects a second account for the same normalized email with 409', async () => {
    const ip = newIp();
    const email = uniqueEmail('dup');
    expect((await register(email, ip)).status).toBe(201);
    const dup = await register(` ${email.toUpperCase()}`, ip);
    expect(dup.status).toBe(409);
    expect(await errorCode(dup)).toBe('DUPLICATE_EMAIL');
  });

  // The refusals come from the list the SPA's sign-up form is tested with as well.
  it.each<readonly [string, Record<string, unknown>, string]>([
    ...REFUSED_REGISTRATIONS,
    ['a wrong type', { first_name: 42 }, 'first_name'],
    ['an extra field (role)', { role: 'admin' }, 'role'],
  ])('answers 400 for %s and creates nothing', async (_name, override, field) => {
    const email = uniqueEmail('bad');
    const res = await call('POST', '/api/v1/auth/register', { email, password: PASSWORD, first_name: 'A', last_name: 'B', ...override });
    expect(res.status).toBe(400);
    const body = await res.json<{ error: { code: string; details: Record<string, string> } }>();
    expect(body.error.code).toBe('VALIDATION_ERROR');
    expect(body.error.details).toHaveProperty(field);
    expect(await createDb(env).select().from(users).where(sql`lower(${users.email}) = ${email}`)).toHaveLength(0);
  });

  it('answers 400 for missing fields, a missing body and malformed JSON', async () => {
    expect(await errorCode(await call('POST', '/api/v1/auth/login', { email: uniqueEmail('x') }))).toBe('VALIDATION_ERROR');
    expect((await call('POST', '/api/v1/auth/login')).status).toBe(400);
    const res = await call('POST', '/api/v1/auth/login', undefined, { headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(400);
  });
});

describe('email verification', () => {
  it('allows 5 attempts per client, then slows that client down (429) even for the right code; another client still verifies', async () => {
    const ip = newIp();
    const email = uniqueEmail('attempts');
    await register(email, ip);
    const code = lastCode(email);
    const wrong = code === '999999' ? '999998' : '999999';
    for (let i = 0; i < 5; i++) expect((await call('POST', '/api/v1/auth/verify-email', { email, code: wrong }, { ip })).status).toBe(400);
    const sixth = await call('POST', '/api/v1/auth/verify-email', { email, code }, { ip });
    expect(sixth.status).toBe(429);
    expect(Number(sixth.headers.get('retry-after'))).toBeGreaterThan(0);
    // Hardening item 3 (test/security/code-attempts.test.ts): the failures were this client's, not the code's.
    expect((await call('POST', '/api/v1/auth/verify-email', { email, code }, { ip: newIp() })).status).toBe(200);
  });

  it('answers malformed codes with 400 and unknown emails with INVALID_CODE', async () => {
    expect(await errorCode(await call('POST', '/api/v1/auth/verify-email', { email: uniqueEmail('m'), code: '12345' }))).toBe('VALIDATION_ERROR');
    expect(await errorCode(await call('POST', '/api/v1/auth/verify-email', { email: uniqueEmail('m'), code: '123456' }))).toBe('INVALID_CODE');
  });

  it('answers resend identically for unknown and real addresses, with the same 429 inside a minute', async () => {
    const ip = newIp();
    const known = uniqueEmail('resend');
    await register(known, ip);
    const firstCode = lastCode(known);
    const unknown = uniqueEmail('nobody');
    await awayFromWindowEdge();

    const answers = [];
    for (const email of [known, unknown]) {
      const res = await call('POST', '/api/v1/auth/resend-verification', { email }, { ip });
      answers.push({ status: res.status, message: (await dataOf<{ message: string }>(res)).message });
    }
    expect(answers[0]).toEqual({ status: 200, message: GENERIC_RESEND_MESSAGE });
    expect(answers[1]).toEqual(answers[0]);
    expect(lastLoggedEmail(unknown)).toBeUndefined();
    // Registration mailed a code seconds ago: the account's own cooldown holds, silently.
    expect(lastCode(known)).toBe(firstCode);

    for (const email of [known, unknown]) {
      const res = await call('POST', '/api/v1/auth/resend-verification', { email }, { ip });
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).toBe('60');
    }
  });

  it('mails a new code once the cooldown has passed, and the old code stops working', async () => {
    const ip = newIp();
    const email = uniqueEmail('newcode');
    await register(email, ip);
    const oldCode = lastCode(email);
    await createDb(env)
      .update(emailVerifications)
      .set({ lastSentAt: new Date(Date.now() - 61_000) })
      .where(eq(emailVerifications.email, email));
    expect((await call('POST', '/api/v1/auth/resend-verification', { email }, { ip })).status).toBe(200);
    const newCode = lastCode(email);
    if (newCode !== oldCode) {
      expect(await errorCode(await call('POST', '/api/v1/auth/verify-email', { email, code: oldCode }, { ip }))).toBe('INVALID_CODE');
    }
    expect((await call('POST', '/api/v1/auth/verify-email', { email, code: newCode }, { ip })).status).toBe(200);
  });
});

describe('refresh tokens', () => {
  it('rotates on every use; reusing a rotated token revokes the whole family but not other logins', async () => {
    const { email, ip, tokens } = await registerVerifiedUser('rotate');
    const otherLogin = await dataOf<TokenBody>(await call('POST', '/api/v1/auth/login', { email, password: PASSWORD }, { ip }));

    const r2 = await dataOf<TokenBody>(await call('POST', '/api/v1/auth/refresh', { refresh_token: tokens.refresh_token }, { ip }));
    const r3 = await dataOf<TokenBody>(await call('POST', '/api/v1/auth/refresh', { refresh_token: r2.refresh_token }, { ip }));
    // The first token again, after its successor was used: stolen.
    const reuse = await call('POST', '/api/v1/auth/refresh', { refresh_token: tokens.refresh_token }, { ip });
    expect(reuse.status).toBe(401);
    expect(await errorCode(reuse)).toBe('INVALID_TOKEN');
    // The live copy (r3) died with the family.
    expect((await call('POST', '/api/v1/auth/refresh', { refresh_token: r3.refresh_token }, { ip })).status).toBe(401);
    expect((await call('POST', '/api/v1/auth/refresh', { refresh_token: otherLogin.refresh_token }, { ip })).status).toBe(200);
  });

  it('serves a retry whose first answer was lost (same client, within seconds, successor unused); another client is a thief', async () => {
    const browser = { 'user-agent': 'Browser/1.0' };
    const { email, ip } = await registerVerifiedUser('retry');
    const login = await dataOf<TokenBody>(await call('POST', '/api/v1/auth/login', { email, password: PASSWORD }, { ip, headers: browser }));

    // A reload aborted the first refresh: its successor never reached the browser, which sends the old token again.
    const lost = await dataOf<TokenBody>(await call('POST', '/api/v1/auth/refresh', { refresh_token: login.refresh_token }, { ip, headers: browser }));
    const retried = await call('POST', '/api/v1/auth/refresh', { refresh_token: login.refresh_token }, { ip, headers: browser });
    expect(retried.status).toBe(200);
    const fresh = await dataOf<TokenBody>(retried);
    expect(fresh.refresh_token).not.toBe(lost.refresh_token);
    expect((await call('POST', '/api/v1/auth/refresh', { refresh_token: fresh.refresh_token }, { ip, headers: browser })).status).toBe(200);

    // The same old token from another client is reuse: refused, and the whole family ends.
    const other = await registerVerifiedUser('retry-thief');
    const victim = await dataOf<TokenBody>(await call('POST', '/api/v1/auth/login', { email: other.email, password: PASSWORD }, { ip: other.ip, headers: browser }));
    const rotated = await dataOf<TokenBody>(await call('POST', '/api/v1/auth/refresh', { refresh_token: victim.refresh_token }, { ip: other.ip, headers: browser }));
    const thief = await call('POST', '/api/v1/auth/refresh', { refresh_token: victim.refresh_token }, { ip: newIp(), headers: { 'user-agent': 'curl/8' } });
    expect(thief.status).toBe(401);
    expect((await call('POST', '/api/v1/auth/refresh', { refresh_token: rotated.refresh_token }, { ip: other.ip, headers: browser })).status).toBe(401);
  });

  it.each([
    ['no token at all', undefined, 401],
    ['a malformed token', { refresh_token: 'abc' }, 401],
    ['an unknown well-formed token', { refresh_token: 'a'.repeat(128) }, 401],
    ['a wrong type', { refresh_token: 12 }, 400],
    ['an extra field', { refresh_token: 'a'.repeat(128), user_id: 'x' }, 400],
  ])('answers %s with %i', async (_name, body, status) => {
    const res = await call('POST', '/api/v1/auth/refresh', body);
    expect(res.status).toBe(status);
    expect(await errorCode(res)).toBe(status === 401 ? 'INVALID_TOKEN' : 'VALIDATION_ERROR');
  });

  it('requires a valid access token to log out and ignores X-User-Id', async () => {
    const res = await call('POST', '/api/v1/auth/logout', undefined, { headers: { 'x-user-id': '00000000-0000-0000-0000-000000000002' } });
    expect(res.status).toBe(401);
    expect(await errorCode(res)).toBe('UNAUTHORIZED');
  });
});

describe('login lockout and throttling', () => {
  it('locks an email after 5 failures from one address with Retry-After, while a clean address still gets in', async () => {
    const { email, ip: attacker } = await registerVerifiedUser('lock');
    for (let i = 0; i < 5; i++) {
      const res = await call('POST', '/api/v1/auth/login', { email, password: `Wrong${i}pass` }, { ip: attacker });
      expect(res.status).toBe(401);
    }
    const locked = await call('POST', '/api/v1/auth/login', { email, password: PASSWORD }, { ip: attacker });
    expect(locked.status).toBe(403);
    expect(await errorCode(locked)).toBe('ACCOUNT_LOCKED');
    const retryAfter = Number(locked.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(900);

    // A new address guessing wrong while the email is locked is told it is locked (and used up its guess)…
    const guesser = newIp();
    const guess = await call('POST', '/api/v1/auth/login', { email: email.toUpperCase(), password: 'Wrong9pass' }, { ip: guesser });
    expect(guess.status).toBe(403);
    expect(await errorCode(guess)).toBe('ACCOUNT_LOCKED');
    expect((await call('POST', '/api/v1/auth/login', { email, password: PASSWORD }, { ip: guesser })).status).toBe(403);

    // …but the owner from an address with a clean record signs in, and the attacker stays locked out.
    expect((await call('POST', '/api/v1/auth/login', { email, password: PASSWORD }, { ip: newIp() })).status).toBe(200);
    expect((await call('POST', '/api/v1/auth/login', { email, password: PASSWORD }, { ip: attacker })).status).toBe(403);
  });

  it('lets no more than 5 of a parallel burst of guesses from one address reach the password check', async () => {
    const { email, ip } = await registerVerifiedUser('burst');
    // As many at once as one isolate checks passwords (more would be answered 503 before counting): more than 5.
    const answers = await Promise.all(Array.from({ length: MAX_PASSWORD_WORK_IN_FLIGHT }, (_, i) => call('POST', '/api/v1/auth/login', { email, password: `Wrong${i}pass` }, { ip })));
    const statuses = answers.map((res) => res.status);
    expect(statuses.filter((status) => status === 401).length).toBeLessThanOrEqual(5);
    expect(statuses.filter((status) => status !== 401).every((status) => status === 403)).toBe(true);
    expect((await call('POST', '/api/v1/auth/login', { email, password: PASSWORD }, { ip })).status).toBe(403);
  });

  it('counts failures for unknown emails like for real ones (the lock reveals nothing)', async () => {
    const ip = newIp();
    const email = uniqueEmail('ghost');
    const answers: string[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await call('POST', '/api/v1/auth/login', { email, password: 'Wrong1pass' }, { ip });
      answers.push(`${res.status} ${await errorCode(res)}`);
    }
    expect(answers).toEqual([...Array(5).fill('401 INVALID_CREDENTIALS'), '403 ACCOUNT_LOCKED']);
  });

  it('answers 429 with Retry-After once one address exceeds the auth limit', async () => {
    const ip = newIp();
    let throttled: Response | undefined;
    // The local limit is 60 per 60 s; two windows' worth guarantees a 429 even across a window edge.
    for (let i = 0; i < 125 && !throttled; i++) {
      const res = await call('POST', '/api/v1/auth/login', { email: 'spray@example.com' }, { ip });
      if (res.status === 429) throttled = res;
      else expect(res.status).toBe(400);
    }
    expect(throttled).toBeDefined();
    expect(await errorCode(throttled!)).toBe('TOO_MANY_REQUESTS');
    expect(Number(throttled!.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another address is unaffected.
    expect((await call('POST', '/api/v1/auth/login', { email: 'spray@example.com' }, { ip: newIp() })).status).toBe(400);
  });
});

describe('forgot and reset password', () => {
  const resetLink = (email: string) => {
    const text = lastLoggedEmail(email)?.text ?? '';
    const url = new URL(/https?:\/\/\S+/.exec(text)![0]);
    return { token: url.searchParams.get('token')!, email: url.searchParams.get('email')!, path: url.pathname };
  };

  it('answers unknown and known addresses alike, and a reset ends every session', async () => {
    const { email, ip, tokens } = await registerVerifiedUser('reset');
    const unknown = uniqueEmail('nobody');
    const answers = [];
    for (const address of [email, unknown]) {
      const res = await call('POST', '/api/v1/auth/forgot-password', { email: address }, { ip });
      answers.push({ status: res.status, message: (await dataOf<{ message: string }>(res)).message });
    }
    expect(answers[0]).toEqual({ status: 200, message: GENERIC_FORGOT_MESSAGE });
    expect(answers[1]).toEqual(answers[0]);
    expect(lastLoggedEmail(unknown)).toBeUndefined();

    const link = resetLink(email);
    expect(link).toMatchObject({ email, path: '/reset-password' });
    expect(link.token).toMatch(/^[0-9a-f]{128}$/);

    const weak = await call('POST', '/api/v1/auth/reset-password', { email, token: link.token, password: 'weakweak' }, { ip });
    expect(weak.status).toBe(400);
    const wrongToken = await call('POST', '/api/v1/auth/reset-password', { email, token: 'b'.repeat(128), password: 'Brand9New' }, { ip });
    expect(await errorCode(wrongToken)).toBe('INVALID_RESET_TOKEN');

    expect((await call('POST', '/api/v1/auth/reset-password', { email, token: link.token, password: 'Brand9New' }, { ip })).status).toBe(200);
    expect((await call('GET', '/api/v1/users/profile', undefined, { token: tokens.access_token })).status).toBe(401);
    expect((await call('POST', '/api/v1/auth/refresh', { refresh_token: tokens.refresh_token }, { ip })).status).toBe(401);
    expect((await call('POST', '/api/v1/auth/login', { email, password: PASSWORD }, { ip })).status).toBe(401);
    expect((await call('POST', '/api/v1/auth/login', { email, password: 'Brand9New' }, { ip })).status).toBe(200);
    // The token worked once.
    expect(await errorCode(await call('POST', '/api/v1/auth/reset-password', { email, token: link.token, password: 'Other9Pass' }, { ip }))).toBe(
      'INVALID_RESET_TOKEN',
    );
  });

  it('allows 5 attempts per reset token and client, then answers that client 429; the link still works elsewhere', async () => {
    const { email, ip } = await registerVerifiedUser('reset-attempts');
    await call('POST', '/api/v1/auth/forgot-password', { email }, { ip });
    const { token } = resetLink(email);
    for (let i = 0; i < 5; i++) {
      expect((await call('POST', '/api/v1/auth/reset-password', { email, token: 'c'.repeat(128), password: 'Brand9New' }, { ip })).status).toBe(400);
    }
    expect((await call('POST', '/api/v1/auth/reset-password', { email, token, password: 'Brand9New' }, { ip })).status).toBe(429);
    expect((await call('POST', '/api/v1/auth/reset-password', { email, token, password: 'Brand9New' }, { ip: newIp() })).status).toBe(200);
  });

  it('clears a lockout and verifies the email, since the link proves the mailbox', async () => {
    const ip = newIp();
    const email = uniqueEmail('reset-unverified');
    await register(email, ip);
    for (let i = 0; i < 5; i++) await call('POST', '/api/v1/auth/login', { email, password: `Wrong${i}pass` }, { ip });
    expect(await errorCode(await call('POST', '/api/v1/auth/login', { email, password: PASSWORD }, { ip }))).toBe('ACCOUNT_LOCKED');
    await call('POST', '/api/v1/auth/forgot-password', { email }, { ip });
    const { token } = resetLink(email);
    expect((await call('POST', '/api/v1/auth/reset-password', { email, token, password: 'Brand9New' }, { ip })).status).toBe(200);
    expect((await call('POST', '/api/v1/auth/login', { email, password: 'Brand9New' }, { ip })).status).toBe(200);
  });

  it('rejects malformed tokens with 400 VALIDATION_ERROR', async () => {
    const res = await call('POST', '/api/v1/auth/reset-password', { email: uniqueEmail('m'), token: 'xyz', password: 'Brand9New' });
    expect(res.status).toBe(400);
    expect(await errorCode(res)).toBe('VALIDATION_ERROR');
  });
});

describe('JWKS', () => {
  it('publishes only public key material, and it verifies issued access tokens', async () => {
    const res = await call('GET', '/.well-known/jwks.json');
    expect(res.status).toBe(200);
    const jwks = await res.json<{ keys: Record<string, unknown>[] }>();
    expect(jwks.keys.length).toBeGreaterThan(0);
    for (const key of jwks.keys) {
      for (const secret of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k']) expect(key).not.toHaveProperty(secret);
      expect(key).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
    }
    const { tokens } = await registerVerifiedUser('jwks');
    const { payload } = await jwtVerify(tokens.access_token, createLocalJWKSet(jwks as never), { issuer: env.JWT_ISSUER });
    expect(payload).toMatchObject({ sub: tokens.user.id, role: 'customer', sv: 0 });
  });
});

describe('OpenAPI', () => {
  it('documents the auth and users routes', async () => {
    const doc = await (await call('GET', '/api/openapi.json')).json<{ paths: Record<string, Record<string, unknown>> }>();
    for (const path of ['/api/v1/auth/login', '/api/v1/auth/refresh', '/api/v1/users/addresses/{id}/default', '/api/v1/admin/users/{id}/role', '/.well-known/jwks.json']) {
      expect(doc.paths).toHaveProperty([path]);
    }
    expect(doc.paths['/api/v1/auth/login']!.post).toHaveProperty(['responses', '403']);
  });
});
