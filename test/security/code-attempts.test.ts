import { env } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';

import { lastLoggedEmail } from '@/identity/email';
import { CODE_THROTTLE, codeAttemptKey } from '@/identity/lockout';
import { loginAttempts } from '@/identity/tables';
import { createDb } from '@/platform/db';
import { newActor, send, withoutRateLimits, type Answer } from '@test/security/support/harness';
import { lastCode, PASSWORD, uniqueEmail } from '@test/support/identity';

/**
 * Hardening item 3: nobody can spend an account's verification or reset attempts any more. Wrong codes are
 * counted per (account, client): 5 are free, then that client — and only it — waits a growing delay (429 +
 * Retry-After, before the code is compared). The owner's valid code or link works from their own client
 * whatever attackers did.
 */

const codeOf = (answer: Answer) => (answer.json as { error?: { code?: string } } | undefined)?.error?.code;
const retryAfter = (answer: Answer) => Number(answer.headers.get('retry-after'));
// The per-address limiters are tested elsewhere; here an attacker address makes many calls.
const unlimited = withoutRateLimits();
const post = (path: string, body: unknown, ip: string) => send('POST', path, { ip, body, env: unlimited });

const wrongCodeFor = (code: string, i: number) => String((Number(code) + 1 + i) % 1_000_000).padStart(6, '0');

async function registerUnverified(tag: string, ip: string): Promise<{ email: string; code: string }> {
  const email = uniqueEmail(tag);
  const registered = await post('/api/v1/auth/register', { email, password: PASSWORD, first_name: 'Vera', last_name: 'Victim' }, ip);
  expect(registered.status).toBe(201);
  return { email, code: lastCode(email) };
}

async function resetTokenFor(email: string, ip: string): Promise<string> {
  expect((await send('POST', '/api/v1/auth/forgot-password', { ip, body: { email } })).status).toBe(200);
  return new URL(/https?:\/\/\S+/.exec(lastLoggedEmail(email)?.text ?? '')![0]).searchParams.get('token')!;
}

/** Ends one client's current delay, as waiting it out would. */
async function waitOutDelay(kind: 'verify' | 'reset', email: string, ip: string) {
  await createDb(env)
    .update(loginAttempts)
    .set({ lockedUntil: new Date(Date.now() - 1000) })
    .where(eq(loginAttempts.email, await codeAttemptKey(kind, email, ip)));
}

describe('verification codes (hardening item 3)', () => {
  it('an attacker spending attempts is slowed down; the owner’s valid code still works', { timeout: 60_000 }, async () => {
    const ownerIp = '203.0.113.80';
    const { email, code } = await registerUnverified('verify-block', ownerIp);
    const attacker = '198.18.5.1';
    for (let i = 0; i < CODE_THROTTLE.free; i++) {
      const wrong = await post('/api/v1/auth/verify-email', { email, code: wrongCodeFor(code, i) }, attacker);
      expect(`${wrong.status} ${codeOf(wrong)}`).toBe('400 INVALID_CODE');
    }
    const sixth = await post('/api/v1/auth/verify-email', { email, code: wrongCodeFor(code, 9) }, attacker);
    expect(sixth.status).toBe(429);
    expect(codeOf(sixth)).toBe('TOO_MANY_REQUESTS');
    expect(retryAfter(sixth)).toBeGreaterThan(0);
    expect(retryAfter(sixth)).toBeLessThanOrEqual(30);
    // Slowed down means not even compared: the right code from the attacker's client is refused the same way.
    expect((await post('/api/v1/auth/verify-email', { email, code }, attacker)).status).toBe(429);

    // After the delay one more try, then a doubled wait.
    await waitOutDelay('verify', email, attacker);
    expect(codeOf(await post('/api/v1/auth/verify-email', { email, code: wrongCodeFor(code, 10) }, attacker))).toBe('INVALID_CODE');
    const slower = await post('/api/v1/auth/verify-email', { email, code: wrongCodeFor(code, 11) }, attacker);
    expect(slower.status).toBe(429);
    expect(retryAfter(slower)).toBeGreaterThan(30);
    expect(retryAfter(slower)).toBeLessThanOrEqual(60);

    // Ten more attackers spend their five each: the code's owner is not affected.
    for (let a = 2; a <= 11; a++) {
      for (let i = 0; i < CODE_THROTTLE.free; i++) expect((await post('/api/v1/auth/verify-email', { email, code: wrongCodeFor(code, 20 + i) }, `198.18.5.${a}`)).status).toBe(400);
    }
    expect((await post('/api/v1/auth/verify-email', { email, code }, ownerIp)).status).toBe(200);
    expect((await post('/api/v1/auth/login', { email, password: PASSWORD }, ownerIp)).status).toBe(200);
  });

  it('a parallel burst from one client gets exactly 5 codes compared', { timeout: 60_000 }, async () => {
    const { email, code } = await registerUnverified('verify-burst', '203.0.113.81');
    const attacker = '198.18.6.1';
    const answers = await Promise.all(Array.from({ length: 15 }, (_, i) => post('/api/v1/auth/verify-email', { email, code: wrongCodeFor(code, i) }, attacker)));
    expect(answers.filter((a) => a.status === 400)).toHaveLength(CODE_THROTTLE.free);
    expect(answers.filter((a) => a.status === 429)).toHaveLength(15 - CODE_THROTTLE.free);
    expect((await post('/api/v1/auth/verify-email', { email, code }, '203.0.113.81')).status).toBe(200);
  });

  it('an IPv6 client is its /64: rotating hosts does not buy more tries', async () => {
    const { email, code } = await registerUnverified('verify-v6', '203.0.113.82');
    for (let host = 1; host <= CODE_THROTTLE.free; host++) {
      expect((await post('/api/v1/auth/verify-email', { email, code: wrongCodeFor(code, host) }, `2001:db8:cc:1::${host}`)).status).toBe(400);
    }
    expect((await post('/api/v1/auth/verify-email', { email, code: wrongCodeFor(code, 9) }, '2001:db8:cc:1:abcd::6')).status).toBe(429);
    expect((await post('/api/v1/auth/verify-email', { email, code }, '2001:db8:cc:2::1')).status).toBe(200);
  });

  it('unknown addresses are slowed down the same way (no enumeration)', async () => {
    const email = uniqueEmail('verify-nobody');
    const ip = '198.18.7.1';
    const statuses: number[] = [];
    for (let i = 0; i < CODE_THROTTLE.free + 1; i++) statuses.push((await post('/api/v1/auth/verify-email', { email, code: '123456' }, ip)).status);
    expect(statuses).toEqual([400, 400, 400, 400, 400, 429]);
  });
});

describe('password reset links (hardening item 3)', () => {
  it('attackers spending reset attempts are slowed down; the owner’s link still works', { timeout: 60_000 }, async () => {
    const owner = await newActor('customer', 'reset-block');
    const ownerIp = '203.0.113.90';
    const token = await resetTokenFor(owner.email, ownerIp);
    for (const attacker of ['198.18.8.1', '198.18.8.2', '198.18.8.3']) {
      for (let i = 0; i < CODE_THROTTLE.free; i++) {
        const wrong = await post('/api/v1/auth/reset-password', { email: owner.email, token: `${i}`.repeat(128), password: 'Taken9Over' }, attacker);
        expect(`${wrong.status} ${codeOf(wrong)}`).toBe('400 INVALID_RESET_TOKEN');
      }
      const refused = await post('/api/v1/auth/reset-password', { email: owner.email, token, password: 'Taken9Over' }, attacker);
      expect(refused.status).toBe(429);
      expect(retryAfter(refused)).toBeLessThanOrEqual(30);
    }
    expect((await post('/api/v1/auth/reset-password', { email: owner.email, token, password: 'Owner9Again' }, ownerIp)).status).toBe(200);
    expect((await post('/api/v1/auth/login', { email: owner.email, password: 'Owner9Again' }, ownerIp)).status).toBe(200);
    expect((await post('/api/v1/auth/login', { email: owner.email, password: 'Taken9Over' }, '198.18.8.9')).status).toBe(401);
  });
});
