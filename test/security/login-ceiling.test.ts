import { env } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';

import { lastLoggedEmail } from '@/identity/email';
import { ACCOUNT_THROTTLE, accountKeyOf } from '@/identity/lockout';
import { MAX_PASSWORD_WORK_IN_FLIGHT } from '@/identity/overload';
import { loginAttempts } from '@/identity/tables';
import { createDb } from '@/platform/db';
import { newActor, send, withoutRateLimits, type Answer } from '@test/security/support/harness';
import { PASSWORD } from '@test/support/identity';

/**
 * Hardening item 2: online guessing across many addresses. Each address has its own allowance (and a locked
 * email still lets a clean address try once), so the account also has a ceiling of its own: 10 failures, then
 * one attempt per growing delay whatever the address — a slow-down with Retry-After the owner waits out, not a
 * lock; a correct password or the reset e-mail clears it. An IPv6 client counts as its /64.
 */

const codeOf = (answer: Answer) => (answer.json as { error?: { code?: string } } | undefined)?.error?.code;
const retryAfter = (answer: Answer) => Number(answer.headers.get('retry-after'));
// The per-address limiter is not what this file is about (password-spray.test.ts and the /64 test below are).
const unlimited = withoutRateLimits();
const login = (email: string, password: string, ip: string) => send('POST', '/api/v1/auth/login', { ip, body: { email, password }, env: unlimited });

let addressCounter = 0;
/** A fresh address from a documentation range, one per guess: the distributed guesser of the issue. */
const nextAddress = () => {
  addressCounter += 1;
  return `198.51.${100 + (addressCounter >> 8)}.${addressCounter & 255}`;
};

async function attemptRecord(key: string) {
  const [row] = await createDb(env).select().from(loginAttempts).where(eq(loginAttempts.email, key));
  return row;
}

const accountRecord = async (email: string) => attemptRecord(await accountKeyOf(email));

/** Ends the account's current delay, as waiting it out would. */
async function waitOutDelay(email: string) {
  await createDb(env).update(loginAttempts).set({ lockedUntil: new Date(Date.now() - 1000) }).where(eq(loginAttempts.email, await accountKeyOf(email)));
}

/** One wrong password from each of `count` new addresses. */
async function guessFromNewAddresses(email: string, count: number): Promise<Answer[]> {
  const answers: Answer[] = [];
  for (let i = 0; i < count; i++) answers.push(await login(email, `Wrong-${i}-guess`, nextAddress()));
  return answers;
}

describe('per-account ceiling on failed logins (hardening item 2)', () => {
  it('one guess from each of many addresses meets the ceiling; the owner is slowed down with Retry-After, then signs in', { timeout: 60_000 }, async () => {
    const victim = await newActor('customer', 'ceiling');
    const guesses = await guessFromNewAddresses(victim.email, ACCOUNT_THROTTLE.free);
    // Wrong passwords are answered as before: 401, then 403 once the email is locked (5 failures).
    expect(guesses.map((a) => `${a.status} ${codeOf(a)}`)).toEqual([...Array(5).fill('401 INVALID_CREDENTIALS'), ...Array(5).fill('403 ACCOUNT_LOCKED')]);
    expect((await accountRecord(victim.email))?.failures).toBe(10);

    // The 11th attempt — even the owner's right password from an address that never failed — waits the first delay.
    const owner = await login(victim.email, PASSWORD, nextAddress());
    expect(owner.status).toBe(403);
    expect(codeOf(owner)).toBe('ACCOUNT_LOCKED');
    expect(retryAfter(owner)).toBeGreaterThan(0);
    expect(retryAfter(owner)).toBeLessThanOrEqual(30);

    // More addresses change nothing: refused before hashing, not counted, the wait does not grow.
    for (const answer of await guessFromNewAddresses(victim.email, 5)) {
      expect(codeOf(answer)).toBe('ACCOUNT_LOCKED');
      expect(retryAfter(answer)).toBeLessThanOrEqual(30);
    }
    expect((await accountRecord(victim.email))?.failures).toBe(10);

    // After the delay one more guess is admitted, and the next wait doubles.
    await waitOutDelay(victim.email);
    expect(codeOf((await guessFromNewAddresses(victim.email, 1))[0]!)).toBe('ACCOUNT_LOCKED');
    expect((await accountRecord(victim.email))?.failures).toBe(11);
    const slower = await login(victim.email, PASSWORD, nextAddress());
    expect(slower.status).toBe(403);
    expect(retryAfter(slower)).toBeGreaterThan(30);
    expect(retryAfter(slower)).toBeLessThanOrEqual(60);

    // Once that delay is over the owner's right password works and clears the ceiling.
    await waitOutDelay(victim.email);
    expect((await login(victim.email, PASSWORD, nextAddress())).status).toBe(200);
    expect(await accountRecord(victim.email)).toBeUndefined();
  });

  it('a parallel burst larger than the free guesses left gets exactly those counted', { timeout: 60_000 }, async () => {
    const victim = await newActor('customer', 'ceiling-burst');
    await guessFromNewAddresses(victim.email, ACCOUNT_THROTTLE.free - 5);
    // As many at once as one isolate checks (MAX_PASSWORD_WORK_IN_FLIGHT, more than the 5 left): more would be 503.
    const answers = await Promise.all(Array.from({ length: MAX_PASSWORD_WORK_IN_FLIGHT }, (_, i) => login(victim.email, `Burst-${i}-guess`, nextAddress())));
    expect(answers.every((a) => a.status === 401 || codeOf(a) === 'ACCOUNT_LOCKED')).toBe(true);
    expect((await accountRecord(victim.email))?.failures).toBe(ACCOUNT_THROTTLE.free);
    // The attempts the throttle refused were not counted on the email either (the email's key is the email itself).
    expect((await attemptRecord(victim.email))?.failures).toBe(ACCOUNT_THROTTLE.free);
    expect(codeOf(await login(victim.email, PASSWORD, nextAddress()))).toBe('ACCOUNT_LOCKED');
  });

  it('the reset e-mail unlocks the account at once', { timeout: 60_000 }, async () => {
    const victim = await newActor('customer', 'ceiling-reset');
    await guessFromNewAddresses(victim.email, ACCOUNT_THROTTLE.free);
    expect(codeOf(await login(victim.email, PASSWORD, nextAddress()))).toBe('ACCOUNT_LOCKED');

    const ownerIp = nextAddress();
    expect((await send('POST', '/api/v1/auth/forgot-password', { ip: ownerIp, body: { email: victim.email } })).status).toBe(200);
    const link = new URL(/https?:\/\/\S+/.exec(lastLoggedEmail(victim.email)?.text ?? '')![0]);
    const reset = await send('POST', '/api/v1/auth/reset-password', { ip: ownerIp, body: { email: victim.email, token: link.searchParams.get('token'), password: 'Fresh4Start' } });
    expect(reset.status).toBe(200);
    expect(await accountRecord(victim.email)).toBeUndefined();
    expect((await login(victim.email, 'Fresh4Start', nextAddress())).status).toBe(200);
  });

  it('an unknown email meets the same ceiling (no enumeration)', { timeout: 60_000 }, async () => {
    const email = `nobody-${crypto.randomUUID()}@example.com`;
    await guessFromNewAddresses(email, ACCOUNT_THROTTLE.free);
    const eleventh = await login(email, 'Whatever-1', nextAddress());
    expect(codeOf(eleventh)).toBe('ACCOUNT_LOCKED');
    expect(retryAfter(eleventh)).toBeLessThanOrEqual(30);
  });
});

describe('IPv6 clients are keyed by their /64 (hardening item 2)', () => {
  it('the login lock of one address holds for every address of its /64, not for the next /64', async () => {
    const victim = await newActor('customer', 'ipv6-lock');
    const statuses: number[] = [];
    for (let host = 1; host <= 5; host++) statuses.push((await login(victim.email, `Wrong-${host}-v6`, `2001:db8:aa:1::${host}`)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401]);
    // Another host of the same /64 is the same client: it already failed against the locked email.
    const sameNetwork = await login(victim.email, PASSWORD, '2001:db8:aa:1:ffff:1234:5678:9abc');
    expect(sameNetwork.status).toBe(403);
    expect(codeOf(sameNetwork)).toBe('ACCOUNT_LOCKED');
    expect((await login(victim.email, PASSWORD, '2001:db8:aa:2::1')).status).toBe(200);
  });

  it('the per-address auth limiter counts a whole /64 as one client', { timeout: 60_000 }, async () => {
    // The local AUTH_RATE_LIMITER allows 60 per 60 s per client; fixed windows, so two windows' worth guarantees a 429.
    // Each request comes from a different address of one /64; a malformed body keeps it cheap (the limiter runs first).
    let limited: Answer | undefined;
    for (let host = 1; host <= 130 && !limited; host++) {
      const answer = await send('POST', '/api/v1/auth/login', { ip: `2001:db8:bb:7:${host.toString(16)}::1`, raw: '{' });
      if (answer.status === 429) limited = answer;
      else expect(answer.status).toBe(400);
    }
    expect(limited, 'no 429 while rotating through one /64').toBeDefined();
    expect(codeOf(limited!)).toBe('TOO_MANY_REQUESTS');
    // The next /64 is another client.
    expect((await send('POST', '/api/v1/auth/login', { ip: '2001:db8:bb:8::1', raw: '{' })).status).toBe(400);
  });
});
