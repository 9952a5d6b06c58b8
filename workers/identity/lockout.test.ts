import { describe, expect, it } from 'vitest';

import { ACCOUNT_THROTTLE, activeFailures, admitReservedAttempt, attemptKeys, CODE_THROTTLE, evaluateLoginGate, LOCKOUT_WINDOW_MS, throttleDelayMs, type AttemptRecord } from '@/identity/lockout';

const now = new Date('2026-11-25T12:00:00Z');
const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000);
const minutesAhead = (m: number) => new Date(now.getTime() + m * 60_000);
const record = (failures: number, firstFailureAt: Date, lockedUntil: Date | null = null): AttemptRecord => ({ failures, firstFailureAt, lockedUntil });

describe('activeFailures', () => {
  it('counts failures inside the 15-minute window and forgets them after it', () => {
    expect(activeFailures(undefined, now)).toBe(0);
    expect(activeFailures(record(3, minutesAgo(14)), now)).toBe(3);
    expect(activeFailures(record(3, new Date(now.getTime() - LOCKOUT_WINDOW_MS)), now)).toBe(0);
  });

  it('keeps counting while a lock runs, even past the window', () => {
    expect(activeFailures(record(5, minutesAgo(20), minutesAhead(1)), now)).toBe(5);
  });
});

describe('evaluateLoginGate', () => {
  it('lets an attempt through when nothing is locked', () => {
    expect(evaluateLoginGate(record(4, minutesAgo(1)), record(4, minutesAgo(1)), now)).toMatchObject({ blocked: false, emailLocked: false });
  });

  it('blocks the address that failed against a locked email, with the time left as Retry-After', () => {
    const gate = evaluateLoginGate(record(5, minutesAgo(2), minutesAhead(10)), record(5, minutesAgo(2), minutesAhead(10)), now);
    expect(gate).toEqual({ blocked: true, emailLocked: true, retryAfterSeconds: 600 });
  });

  it('lets an address with a clean record try a locked email (its wrong guess is then answered as locked)', () => {
    expect(evaluateLoginGate(record(5, minutesAgo(2), minutesAhead(10)), undefined, now)).toMatchObject({ blocked: false, emailLocked: true });
  });

  it('blocks an address with even one recent failure while the email is locked', () => {
    expect(evaluateLoginGate(record(6, minutesAgo(2), minutesAhead(10)), record(1, minutesAgo(1)), now).blocked).toBe(true);
  });

  it('keeps an address locked by its own failures after the email record was cleared by the owner’s login', () => {
    expect(evaluateLoginGate(undefined, record(5, minutesAgo(1), minutesAhead(14)), now)).toMatchObject({ blocked: true, retryAfterSeconds: 840 });
  });

  it('lets everyone in once the lock has expired', () => {
    expect(evaluateLoginGate(record(5, minutesAgo(30), minutesAgo(1)), record(5, minutesAgo(30), minutesAgo(1)), now).blocked).toBe(false);
  });
});

describe('admitReservedAttempt', () => {
  const open = { blocked: false, emailLocked: false, retryAfterSeconds: 1 };
  const emailLocked = { blocked: false, emailLocked: true, retryAfterSeconds: 300 };

  it('admits up to 5 counted attempts per address, the 5th included', () => {
    expect(admitReservedAttempt(open, record(5, minutesAgo(1), minutesAhead(15)), now).blocked).toBe(false);
    expect(admitReservedAttempt(open, record(6, minutesAgo(1), minutesAhead(15)), now)).toEqual({ blocked: true, emailLocked: false, retryAfterSeconds: 900 });
  });

  it('admits only one attempt per address while the email is locked', () => {
    expect(admitReservedAttempt(emailLocked, record(1, now), now).blocked).toBe(false);
    expect(admitReservedAttempt(emailLocked, record(2, now), now)).toMatchObject({ blocked: true, retryAfterSeconds: 300 });
  });
});

describe('attemptKeys', () => {
  it('keys the email as is and each (email, address) pair separately, without storing the address', async () => {
    const a = await attemptKeys('victim@example.com', '203.0.113.7');
    const b = await attemptKeys('victim@example.com', '198.51.100.9');
    expect(a.emailKey).toBe('victim@example.com');
    expect(a.pairKey).not.toBe(b.pairKey);
    expect(a.pairKey).not.toContain('203.0.113.7');
    expect(a.pairKey.slice(0, 38)).toBe(b.pairKey.slice(0, 38));
    expect(a.pairKey.length).toBeLessThanOrEqual(255);
  });
});

describe('throttleDelayMs', () => {
  it('is free up to the allowance, then doubles from the first delay up to the cap', () => {
    expect([1, 4, 9].map((failures) => throttleDelayMs(ACCOUNT_THROTTLE, failures))).toEqual([0, 0, 0]);
    expect([10, 11, 12, 13, 14, 15, 16, 500].map((failures) => throttleDelayMs(ACCOUNT_THROTTLE, failures) / 1000)).toEqual([30, 60, 120, 240, 480, 900, 900, 900]);
    expect(throttleDelayMs(CODE_THROTTLE, 5)).toBe(30_000);
  });

  it('bounds the guesses an account can take in a day, however many addresses guess', () => {
    let elapsed = 0;
    let failures = 0;
    while (elapsed < 24 * 60 * 60_000) {
      failures += 1;
      elapsed += throttleDelayMs(ACCOUNT_THROTTLE, failures);
    }
    expect(failures).toBeLessThan(110);
  });
});

describe('attemptKeys and IPv6', () => {
  it('gives every address of one /64 the same pair key, another /64 another one', async () => {
    const [a, b, c] = await Promise.all(['2001:db8:7:1::1', '2001:db8:7:1:dead:beef::2', '2001:db8:7:2::1'].map((ip) => attemptKeys('v@example.com', ip)));
    expect(a!.pairKey).toBe(b!.pairKey);
    expect(a!.pairKey).not.toBe(c!.pairKey);
    expect(a!.accountKey).toBe(c!.accountKey);
  });
});
