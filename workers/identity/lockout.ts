import { eq, inArray, like, or, sql, type SQL } from 'drizzle-orm';

import { loginAttempts } from '@/identity/tables';
import { sha256Hex } from '@/identity/secrets';
import { addressKey } from '@/platform/client-address';
import type { Db, Queryable } from '@/platform/db';

/**
 * Login guard. Failures are counted twice in `login_attempts`: once per
 * normalized email and once per (email, client address). An email with 5 failures in 15 minutes is
 * locked for 15 minutes — but the lock only turns away addresses that themselves failed against it
 * during the window. An address with a clean record may still try: a correct password logs in, a
 * wrong one counts and is answered 403 `ACCOUNT_LOCKED`. So an attacker at one address locks out only
 * that address, and a distributed guesser gets one guess per new address while the email is locked.
 */
const LOCKOUT_MAX_FAILURES = 5;
export const LOCKOUT_WINDOW_MS = 15 * 60_000;
const LOCKOUT_DURATION_MS = 15 * 60_000;

/**
 * A growing delay after a number of free failures, kept in a `login_attempts` row of its own: once `free`
 * failures are counted in `windowMs`, each further failure makes the key wait `firstDelayMs`, doubling per
 * failure up to `maxDelayMs`, before its next attempt is even looked at. A slow-down, never a permanent lock.
 */
export interface ThrottlePolicy {
  free: number;
  windowMs: number;
  firstDelayMs: number;
  maxDelayMs: number;
}

/**
 * Per-account ceiling on failed logins, whatever the client addresses (hardening item 2): 10 failures a day
 * are free (enough for the per-address lock to take over an ordinary attack), then one attempt per 30 s,
 * 1, 2, 4, 8 min, then one per 15 min — about 110 guesses a day at most however many addresses guess.
 * The owner waits at most 15 minutes; a correct password or the reset e-mail clears it.
 */
export const ACCOUNT_THROTTLE: ThrottlePolicy = { free: 10, windowMs: 24 * 60 * 60_000, firstDelayMs: 30_000, maxDelayMs: 15 * 60_000 };

/**
 * Failed verification codes and reset tokens per (account, client) (hardening item 3): 5 free, then the same
 * growing delay for that client only. The owner's valid code still works from any client that is not itself
 * slowed down — so spending attempts no longer blocks the owner.
 */
export const CODE_THROTTLE: ThrottlePolicy = { free: 5, windowMs: LOCKOUT_WINDOW_MS, firstDelayMs: 30_000, maxDelayMs: 15 * 60_000 };

/** The delay a key must wait after its `failures`-th counted failure (0 while failures are still free). */
export function throttleDelayMs(policy: ThrottlePolicy, failures: number): number {
  if (failures < policy.free) return 0;
  return Math.min(policy.maxDelayMs, policy.firstDelayMs * 2 ** Math.min(failures - policy.free, 20));
}

export interface AttemptRecord {
  failures: number;
  firstFailureAt: Date;
  lockedUntil: Date | null;
}

export interface LoginKeys {
  emailKey: string;
  pairKey: string;
  /** The account-wide throttle ({@link ACCOUNT_THROTTLE}). */
  accountKey: string;
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

/**
 * The `login_attempts` keys of an attempt. The pair key is hashed so it fits the column and hides the address;
 * the address is taken by {@link addressKey} (an IPv6 client by its /64).
 */
export async function attemptKeys(email: string, ip: string): Promise<LoginKeys> {
  return { emailKey: email, pairKey: `${await pairKeyPrefix(email)}${(await sha256Hex(addressKey(ip))).slice(0, 32)}`, accountKey: await accountKeyOf(email) };
}

/** The common start of every (email, address) key of one email. */
export const pairKeyPrefix = async (email: string) => `pair:${(await sha256Hex(email)).slice(0, 32)}:`;

/** The account-wide throttle key of one email. */
export const accountKeyOf = async (email: string) => `account:${(await sha256Hex(email)).slice(0, 32)}`;

/**
 * The (account, client) key that counts failed verification codes or reset tokens (`kind`), an IPv6 client by
 * its /64. Hashed like the pair key.
 */
export const codeAttemptKey = async (kind: 'verify' | 'reset', email: string, ip: string) =>
  `code:${kind}:${(await sha256Hex(email)).slice(0, 32)}:${(await sha256Hex(addressKey(ip))).slice(0, 32)}`;

export async function readLoginGate(db: Db, keys: LoginKeys, now: Date): Promise<LoginGate> {
  const rows = await db.select().from(loginAttempts).where(inArray(loginAttempts.email, [keys.emailKey, keys.pairKey, keys.accountKey]));
  const byKey = new Map(rows.map((row) => [row.email, row]));
  const gate = evaluateLoginGate(byKey.get(keys.emailKey), byKey.get(keys.pairKey), now);
  const throttledMs = lockRemainingMs(byKey.get(keys.accountKey), now);
  if (throttledMs <= 0) return gate;
  return { blocked: true, emailLocked: gate.emailLocked, retryAfterSeconds: Math.max(gate.blocked ? gate.retryAfterSeconds : 1, Math.ceil(throttledMs / 1000)) };
}

export type ThrottledAttempt = { admitted: true; failures: number } | { admitted: false; retryAfterSeconds: number };

/**
 * Counts one attempt against a throttled key **before** it is checked, in one atomic upsert that only
 * happens when the key is not waiting out a delay: a record whose window has passed (and whose delay is
 * over) starts again at 1; reaching `free` failures (re)starts the growing delay. An attempt that finds the
 * key waiting is refused and not counted, so a refused caller never makes the wait longer. A burst of
 * parallel attempts is admitted at most `free` times (the row lock orders them). A correct answer clears
 * the key (the caller deletes its row).
 */
export async function reserveThrottledAttempt(db: Db, key: string, policy: ThrottlePolicy, now: Date): Promise<ThrottledAttempt> {
  const [row] = await throttleUpsert(db, key, policy, now).returning({ failures: loginAttempts.failures });
  return row ? { admitted: true, failures: row.failures } : throttleRefusal(db, key, now);
}

/** The upsert of {@link reserveThrottledAttempt}: it writes no row while the key is waiting. */
function throttleUpsert(db: Db, key: string, policy: ThrottlePolicy, now: Date) {
  const nowText = now.toISOString();
  const windowStart = new Date(now.getTime() - policy.windowMs).toISOString();
  const waiting = sql`(${loginAttempts.lockedUntil} is not null and ${loginAttempts.lockedUntil} > ${nowText}::timestamptz)`;
  const stale = sql`(${loginAttempts.firstFailureAt} <= ${windowStart}::timestamptz)`;
  const next = sql`(case when ${stale} then 1 else ${loginAttempts.failures} + 1 end)`;
  const delayMs = sql`least(${policy.maxDelayMs}::double precision, ${policy.firstDelayMs}::double precision * power(2::double precision, least(${next} - ${policy.free}, 20)))`;
  return db
    .insert(loginAttempts)
    .values({ email: key, failures: 1, firstFailureAt: now, lockedUntil: policy.free <= 1 ? new Date(now.getTime() + policy.firstDelayMs) : null })
    .onConflictDoUpdate({
      target: loginAttempts.email,
      set: {
        failures: next,
        firstFailureAt: sql`case when ${stale} then ${nowText}::timestamptz else ${loginAttempts.firstFailureAt} end`,
        lockedUntil: sql`case when ${next} >= ${policy.free} then ${nowText}::timestamptz + ${delayMs} * interval '1 millisecond' else null end`,
      },
      setWhere: sql`not ${waiting}`,
    });
}

/** A throttled key's refusal, with the rest of its wait. */
async function throttleRefusal(db: Db, key: string, now: Date): Promise<{ admitted: false; retryAfterSeconds: number }> {
  const [current] = await db.select({ lockedUntil: loginAttempts.lockedUntil }).from(loginAttempts).where(eq(loginAttempts.email, key));
  const waitMs = current?.lockedUntil ? current.lockedUntil.getTime() - now.getTime() : 0;
  return { admitted: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
}

export type LoginReservation = { admitted: true; email: AttemptRecord; pair: AttemptRecord } | { admitted: false; retryAfterSeconds: number };

/**
 * Counts this attempt **before** the password is checked, in one statement: on the account throttle
 * ({@link ACCOUNT_THROTTLE}, as {@link reserveThrottledAttempt}), and — only when that admits it — as a failure on
 * the email and on the (email, address) pair (a record whose window and lock have passed starts over; reaching
 * the limit (re)starts a 15-minute lock). Returns the two records as they are now. Counting first is what stops a
 * burst of parallel guesses from all passing the gate before any of them is recorded; a correct password then
 * clears the records with {@link clearLoginFailures}. The three keys are distinct rows, so the statement's parts
 * never write one row twice, and it takes their locks in the order of {@link deleteLoginRecords}: the throttle
 * (the second part waits for its answer), then the email, then the pair.
 */
export async function reserveLoginAttempt(db: Db, keys: LoginKeys, now: Date): Promise<LoginReservation> {
  const windowStart = new Date(now.getTime() - LOCKOUT_WINDOW_MS).toISOString();
  const nowText = now.toISOString();
  const lockEnd = new Date(now.getTime() + LOCKOUT_DURATION_MS).toISOString();
  const stale = sql`(${loginAttempts.firstFailureAt} <= ${windowStart}::timestamptz and (${loginAttempts.lockedUntil} is null or ${loginAttempts.lockedUntil} <= ${nowText}::timestamptz))`;
  const nextFailures = sql`case when ${stale} then 1 else ${loginAttempts.failures} + 1 end`;
  const throttle = db.$with('throttle').as(throttleUpsert(db, keys.accountKey, ACCOUNT_THROTTLE, now).returning({ failures: loginAttempts.failures }));
  const counted = db.$with('counted').as(
    db
      .insert(loginAttempts)
      .select(
        sql`select k.key, 1, ${nowText}::timestamptz, null::timestamptz from (values (${keys.emailKey}), (${keys.pairKey})) as k(key) where exists (select 1 from ${throttle})`,
      )
      .onConflictDoUpdate({
        target: loginAttempts.email,
        set: {
          failures: nextFailures,
          firstFailureAt: sql`case when ${stale} then ${nowText}::timestamptz else ${loginAttempts.firstFailureAt} end`,
          lockedUntil: sql`case when ${nextFailures} >= ${LOCKOUT_MAX_FAILURES} then ${lockEnd}::timestamptz else ${loginAttempts.lockedUntil} end`,
        },
      })
      .returning({ key: loginAttempts.email, failures: loginAttempts.failures, firstFailureAt: loginAttempts.firstFailureAt, lockedUntil: loginAttempts.lockedUntil }),
  );
  const rows = await db.with(throttle, counted).select().from(counted);
  const email = rows.find((row) => row.key === keys.emailKey);
  const pair = rows.find((row) => row.key === keys.pairKey);
  if (!email || !pair) return throttleRefusal(db, keys.accountKey, now);
  return { admitted: true, email, pair };
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

/** A correct password clears the email's record, this address's pair record and the account throttle. */
export async function clearLoginFailures(db: Db, keys: LoginKeys): Promise<void> {
  await deleteLoginRecords(db, inArray(loginAttempts.email, [keys.emailKey, keys.pairKey, keys.accountKey]));
}

/** A key's place in the lock order: the account throttle, then the email, then pair and code records. */
const lockRank = sql`case when ${loginAttempts.email} like 'account:%' then 0 when ${loginAttempts.email} like 'pair:%' or ${loginAttempts.email} like 'code:%' then 2 else 1 end`;

/**
 * Deletes the login records `where` picks, locking them first in the one order every statement that writes
 * several of them follows: the account throttle, then the email, then pair and code records, each group by key —
 * the order {@link reserveLoginAttempt} takes them in. Deleted in whatever order a scan finds them, a delete and a
 * reservation of one account could each hold a row the other waits for: a deadlock, which Postgres ends by
 * failing one of them. The caller adds `returning` when it needs the rows.
 */
export function deleteLoginRecords(q: Queryable, where: SQL) {
  // Both clients build the same SQL; the cast only picks one overload of the builders.
  const db = q as Db;
  const locked = db.$with('locked').as(db.select({ key: loginAttempts.email }).from(loginAttempts).where(where).orderBy(lockRank, loginAttempts.email).for('update'));
  return db.with(locked).delete(loginAttempts).where(inArray(loginAttempts.email, db.select({ key: locked.key }).from(locked)));
}

/**
 * Every login record of one email (its own, all its pairs and the account throttle): a password reset proves
 * ownership and clears them — the "unlock by the reset e-mail".
 */
export function allLoginFailuresOf(email: string, pairPrefix: string, accountKey: string): SQL {
  return or(sql`${loginAttempts.email} = ${email}`, sql`${loginAttempts.email} = ${accountKey}`, like(loginAttempts.email, `${pairPrefix}%`))!;
}
