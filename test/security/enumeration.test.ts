import { describe, expect, it } from 'vitest';

import { countWork, newActor, send, withoutRateLimits, type Answer } from '@test/security/support/harness';

const unlimited = withoutRateLimits();

/**
 * Hardening item 4: login, verify-email, resend-verification and forgot-password answer an unknown address
 * exactly like a registered one (status and body, request id aside), and do the same work on the way —
 * the same number of database round trips and of password hashings — so time gives nothing away either.
 * (Registration keeps its 409 DUPLICATE_EMAIL: a documented trade-off.)
 */

const comparable = (answer: Answer) => {
  const body = structuredClone(answer.json) as { error?: { requestId?: string } } | undefined;
  if (body?.error) delete body.error.requestId;
  return { status: answer.status, retryAfter: answer.headers.get('retry-after') !== null, body };
};

describe('no account enumeration (hardening item 4)', () => {
  it('login: wrong passwords for a real account and any password for an unknown one get the same answers, lock alike, and cost the same work', { timeout: 60_000 }, async () => {
    const real = await newActor('customer', 'enum-login');
    const unknown = `nobody-${crypto.randomUUID()}@example.com`;
    const realAnswers: ReturnType<typeof comparable>[] = [];
    const unknownAnswers: ReturnType<typeof comparable>[] = [];
    for (let i = 0; i < 7; i++) {
      // Without the per-address limiter: its 5/60 s in production would answer both 429 before the lock this compares.
      const a = await countWork(() => send('POST', '/api/v1/auth/login', { ip: '192.0.2.70', body: { email: real.email, password: `Wrong-${i}-pass` }, env: unlimited }));
      const b = await countWork(() => send('POST', '/api/v1/auth/login', { ip: '192.0.2.71', body: { email: unknown, password: `Wrong-${i}-pass` }, env: unlimited }));
      realAnswers.push(comparable(a.result));
      unknownAnswers.push(comparable(b.result));
      expect({ queries: b.queries, hashes: b.hashes }, `attempt ${i + 1}`).toEqual({ queries: a.queries, hashes: a.hashes });
    }
    expect(unknownAnswers).toEqual(realAnswers);
    // Both reach the lock: 401 × 5, then 403 ACCOUNT_LOCKED (before, only real accounts ever showed a 403).
    expect(realAnswers.map((a) => a.status)).toEqual([401, 401, 401, 401, 401, 403, 403]);
  });

  it('verify-email: a wrong code answers INVALID_CODE alike for unknown, unverified and already verified addresses', async () => {
    const verified = await newActor('customer', 'enum-verified');
    const unknown = `nobody-${crypto.randomUUID()}@example.com`;
    const answers = await Promise.all(
      [verified.email, unknown].map(async (email) => comparable(await send('POST', '/api/v1/auth/verify-email', { body: { email, code: '123456' } }))),
    );
    expect(answers[0]).toEqual(answers[1]);
    expect(answers[0]).toMatchObject({ status: 400, body: { error: { code: 'INVALID_CODE' } } });
  });

  it('resend-verification and forgot-password: same answers and same work for registered and unknown addresses', async () => {
    const real = await newActor('customer', 'enum-mail');
    for (const path of ['/api/v1/auth/resend-verification', '/api/v1/auth/forgot-password']) {
      const unknown = `nobody-${crypto.randomUUID()}@example.com`;
      const a = await countWork(() => send('POST', path, { body: { email: real.email } }));
      const b = await countWork(() => send('POST', path, { body: { email: unknown } }));
      expect(comparable(b.result), path).toEqual(comparable(a.result));
      expect(b.hashes, path).toBe(a.hashes);
    }
  });
});
