import { env } from 'cloudflare:test';
import { eq, like, or } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';

import { pairKeyPrefix } from '@/identity/lockout';
import { loginAttempts } from '@/identity/tables';
import { createDb } from '@/platform/db';
import { inBatches, newActor, send, withoutRateLimits, type Actor, type Answer } from '@test/security/support/harness';
import { PASSWORD } from '@test/support/identity';

const codeOf = (answer: Answer) => (answer.json as { error?: { code?: string } } | undefined)?.error?.code;
const login = (email: string, password: string, ip: string, env?: Env) => send('POST', '/api/v1/auth/login', { ip, body: { email, password }, env });
/**
 * For the lockout tests: one address makes 6–9 attempts within a minute, which the production AUTH_RATE_LIMITER
 * (5/60 s) would answer 429 before the lock is reached. The limiter is the first test's subject; the lockout is
 * these tests' (the security-production project runs them on the production limits).
 */
const lockoutEnv = withoutRateLimits();
const lockoutLogin = (email: string, password: string, ip: string) => login(email, password, ip, lockoutEnv);

/**
 * Local/test limit of AUTH_RATE_LIMITER is 60 per 60 s per address (wrangler.toml; production 5). The limiter
 * counts in fixed windows, so a run that straddles a window boundary may need up to two windows' worth.
 */
const AUTH_LIMIT = 60;

describe('password spray and lockout (docs/decisions/identity.md)', () => {
  it('one address spraying many accounts meets 429 + Retry-After before any account locks', { timeout: 60_000 }, async () => {
    const accounts: Actor[] = await inBatches(Array.from({ length: AUTH_LIMIT + 5 }, (_, i) => i), 4, (i) => newActor('customer', `spray-${i}`));
    const ip = '203.0.113.9';
    const answers: Answer[] = [];
    for (let i = 0; i < AUTH_LIMIT * 2 + 10; i++) {
      const answer = await login(accounts[i % accounts.length]!.email, 'Wrong-password-1', ip);
      answers.push(answer);
      if (answer.status === 429) break;
    }
    const limited = answers.at(-1)!;
    expect(limited.status, 'no 429 within two limiter windows').toBe(429);
    expect(codeOf(limited)).toBe('TOO_MANY_REQUESTS');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    // Everything before it was a plain wrong-password answer: no account reached its lock (≤ 2 tries each).
    expect(new Set(answers.slice(0, -1).map((a) => `${a.status} ${codeOf(a)}`))).toEqual(new Set(['401 INVALID_CREDENTIALS']));
    // The limiter answers before validation and hashing: even a malformed body gets 429 now.
    expect((await send('POST', '/api/v1/auth/login', { ip, raw: '{' })).status).toBe(429);
    // The sprayed owners still sign in from their own addresses.
    for (const account of accounts.slice(0, 3)) expect((await login(account.email, PASSWORD, `198.18.0.${accounts.indexOf(account) + 1}`)).status).toBe(200);
  });

  it('5 wrong passwords lock the email: 403 ACCOUNT_LOCKED + Retry-After, the correct password from that address is refused until the window passes', async () => {
    const victim = await newActor('customer', 'lockout');
    const attacker = '192.0.2.50';
    const statuses: string[] = [];
    for (let i = 0; i < 5; i++) {
      const answer = await lockoutLogin(victim.email, `Wrong-${i}-password`, attacker);
      statuses.push(`${answer.status} ${codeOf(answer)}`);
    }
    expect(statuses.slice(0, 4)).toEqual(Array(4).fill('401 INVALID_CREDENTIALS'));
    const sixth = await lockoutLogin(victim.email, 'Wrong-6-password', attacker);
    expect(sixth.status).toBe(403);
    expect(codeOf(sixth)).toBe('ACCOUNT_LOCKED');
    expect(Number(sixth.headers.get('retry-after'))).toBeGreaterThan(0);

    // The right password from the address that failed is still refused, with the same code and Retry-After.
    const correctFromAttacker = await lockoutLogin(victim.email, PASSWORD, attacker);
    expect(correctFromAttacker.status).toBe(403);
    expect(codeOf(correctFromAttacker)).toBe('ACCOUNT_LOCKED');
    expect(Number(correctFromAttacker.headers.get('retry-after'))).toBeGreaterThan(60);

    // identity.md: a clean address is not blocked by someone else's failures — a wrong guess from it is 403, the owner's right password works.
    expect(codeOf(await lockoutLogin(victim.email, 'Wrong-7-password', '192.0.2.51'))).toBe('ACCOUNT_LOCKED');
    expect((await lockoutLogin(victim.email, PASSWORD, '192.0.2.52')).status).toBe(200);
    // …and that success did not unlock the attacker's address.
    expect((await lockoutLogin(victim.email, PASSWORD, attacker)).status).toBe(403);

    // Move the records past the window and the lock: the attacker address may sign in with the right password again.
    const past = new Date(Date.now() - 31 * 60_000);
    const prefix = await pairKeyPrefix(victim.email.toLowerCase());
    await createDb(env)
      .update(loginAttempts)
      .set({ firstFailureAt: past, lockedUntil: past })
      .where(or(eq(loginAttempts.email, victim.email.toLowerCase()), like(loginAttempts.email, `${prefix}%`)));
    expect((await lockoutLogin(victim.email, PASSWORD, attacker)).status).toBe(200);
  });

  it('unknown emails are answered like wrong passwords and lock like real accounts (no enumeration)', async () => {
    const ip = '192.0.2.60';
    const email = `nobody-${crypto.randomUUID()}@example.com`;
    const answers: string[] = [];
    for (let i = 0; i < 6; i++) {
      const answer = await lockoutLogin(email, 'Whatever-1', ip);
      answers.push(`${answer.status} ${codeOf(answer)}`);
    }
    // The same sequence as the real account above: 5 × 401, then 403 (enumeration.test.ts compares them directly).
    expect(answers).toEqual([...Array(5).fill('401 INVALID_CREDENTIALS'), '403 ACCOUNT_LOCKED']);
  });
});
