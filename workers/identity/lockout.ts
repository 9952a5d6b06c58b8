import { inArray, like, or, sql } from 'drizzle-orm';

import { loginAttempts } from '@/identity/tables';
import { sha256Hex } from '@/identity/secrets';
import type { Db } from '@/platform/db';

/**
 * Login guard. Failures are counted twice in `login_attempts`: once per
 * normalized email and once per (email, client address). An email with 5 failures in 15 minutes is
 * locked for 15 minutes — but the lock only turns away addresses that themselves failed against it
 * during the window. An address with a clean record may still try: a correct password logs in, a
 * wrong one counts and is answered 403 `ACCOUNT_LOCKED`. So an attacker at one address locks out only
 * that address, and a distributed guesser gets one guess per new address while the email is locked.
 */
export const LOCKOUT_MAX_FAILURES = 5;
export const LOCKOUT_WINDOW_MS = 15 * 60_000;
export const LOCKOUT_DURATION_MS = 15 * 60_000;

export interface AttemptRecord {
  failures: number;
  firstFailureAt: Date;
  lockedUntil: Date | null;
}

export interface LoginGate {
  /** Turn the attempt away before any password hashing. */
  blocked: boolean;
  /** The email is locked (the answer to a wrong password is then 403, not 401). */
  emailLocked: boolean;
  /** Seconds until the relevant lock ends, for `Retry-After`. */
  retryAfterSeconds: number;
}

const lockRemainingMs = (record: AttemptRecord | undefined, now: Date) =>
  record?.lockedUntil ? Math.max(0, record.lockedUntil.getTime() - now.getTime()) : 0;

/** Failures that still count: none once the window has passed and no lock is running. */
export function activeFailures(record: AttemptRecord | undefined, now: Date): number {
  if (!record) return 0;
  if (lockRemainingMs(record, now) > 0) return record.failures;
  return now.getTime() - record.firstFailureAt.getTime() < LOCKOUT_WINDOW_MS ? record.failures : 0;
}

/** Decides, from the email's and the (email, address) pair's records, whether this attempt may proceed. */
export function evaluateLoginGate(emailRecord: AttemptRecord | undefined, pairRecord: AttemptRecord | undefined, now: Date): LoginGate {
  const emailLockMs = lockRemainingMs(emailRecord, now);
  const pairLockMs = lockRemainingMs(pairRecord, now);
  const emailLocked = emailLockMs > 0;
  const blocked = pairLockMs > 0 || (emailLocked && activeFailures(pairRecord, now) > 0);
  const retryAfterMs = blocked ? Math.max(emailLocked ? emailLockMs : 0, pairLockMs) : emailLockMs;
  return { blocked, emailLocked, retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)) };
}

/** The two `login_attempts` keys of an attempt. The pair key is hashed so it fits the column and hides the address. */
export async function attemptKeys(email: string, ip: string): Promise<{ emailKey: string; pairKey: string }> {
  return { emailKey: email, pairKey: `${await pairKeyPrefix(email)}${(await sha256Hex(ip)).slice(0, 32)}` };
}

/** The common start of every (email, address) key of one email. */
export const pairKeyPrefix = async (email: string) => `pair:${(await sha256Hex(email)).slice(0, 32)}:`;

export async function readLoginGate(db: Db, keys: { emailKey: string; pairKey: string }, now: Date): Promise<LoginGate> {
  const rows = await db.select().from(loginAttempts).where(inArray(loginAttempts.email, [keys.emailKey, keys.pairKey]));
  const byKey = new Map(rows.map((row) => [row.email, row]));
  return evaluateLoginGate(byKey.get(keys.emailKey), byKey.get(keys.pairKey), now);
}

/**
 * Counts this attempt as a failure on both keys **before** the password is checked (one atomic upsert
 * each: a record whose window and lock have passed starts over; reaching the limit (re)starts a
 * 15-minute lock), and returns the records as they are now. Counting first is what stops a burst of
 * parallel guesses from all passing the gate before any of them is recorded; a correct password then
 * clears the records with {@link clearLoginFailures}.
 */
export async function reserveLoginAttempt(db: Db, keys: { emailKey: string; pairKey: string }, now: Date): Promise<{ email: AttemptRecord; pair: AttemptRecord }> {
  const windowStart = new Date(now.getTime() - LOCKOUT_WINDOW_MS).toISOString();
  const nowText = now.toISOString();
  const lockEnd = new Date(now.getTime() + LOCKOUT_DURATION_MS).toISOString();
  const stale = sql`(${loginAttempts.firstFailureAt} <= ${windowStart}::timestamptz and (${loginAttempts.lockedUntil} is null or ${loginAttempts.lockedUntil} <= ${nowText}::timestamptz))`;
  const nextFailures = sql`case when ${stale} then 1 else ${loginAttempts.failures} + 1 end`;
  const upsert = (key: string) =>
    db
      .insert(loginAttempts)
      .values({ email: key, failures: 1, firstFailureAt: now, lockedUntil: null })
      .onConflictDoUpdate({
        target: loginAttempts.email,
        set: {
          failures: nextFailures,
          firstFailureAt: sql`case when ${stale} then ${nowText}::timestamptz else ${loginAttempts.firstFailureAt} end`,
          lockedUntil: sql`case when ${nextFailures} >= ${LOCKOUT_MAX_FAILURES} then ${lockEnd}::timestamptz else ${loginAttempts.lockedUntil} end`,
        },
      })
      .returning({ failures: loginAttempts.failures, firstFailureAt: loginAttempts.firstFailureAt, lockedUntil: loginAttempts.lockedUntil });
  // Two single statements, not a batch: each is atomic on its own and they need not be atomic together.
  const [[email], [pair]] = await Promise.all([upsert(keys.emailKey), upsert(keys.pairKey)]);
  return { email: email!, pair: pair! };
}

/**
 * After {@link reserveLoginAttempt}: may this attempt go on to the password check? An address gets at
 * most 5 attempts per window, and only one while the email was already locked when it arrived.
 */
export function admitReservedAttempt(gate: LoginGate, pair: AttemptRecord, now: Date): LoginGate {
  const allowance = gate.emailLocked ? 1 : LOCKOUT_MAX_FAILURES;
  if (pair.failures <= allowance) return gate;
  return { blocked: true, emailLocked: gate.emailLocked, retryAfterSeconds: Math.max(gate.retryAfterSeconds, Math.ceil(lockRemainingMs(pair, now) / 1000), 1) };
}

/** A correct password clears the email's record and this address's pair record. */
export async function clearLoginFailures(db: Db, keys: { emailKey: string; pairKey: string }): Promise<void> {
  await db.delete(loginAttempts).where(inArray(loginAttempts.email, [keys.emailKey, keys.pairKey]));
}

/** Every record of one email (its own and all its pairs): a password reset proves ownership and clears them. */
export function allLoginFailuresOf(email: string, pairPrefix: string) {
  return or(sql`${loginAttempts.email} = ${email}`, like(loginAttempts.email, `${pairPrefix}%`));
}
