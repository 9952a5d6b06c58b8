import { and, eq, isNull, like, or, sql, type SQL } from 'drizzle-orm';

import type { AppEnv } from '@/env';
import type { EmailMessage, EmailSender } from '@/identity/email';
import {
  ACCOUNT_THROTTLE,
  accountKeyOf,
  admitReservedAttempt,
  allLoginFailuresOf,
  attemptKeys,
  clearLoginFailures,
  CODE_THROTTLE,
  codeAttemptKey,
  LOCKOUT_WINDOW_MS,
  pairKeyPrefix,
  readLoginGate,
  reserveLoginAttempt,
  reserveThrottledAttempt,
} from '@/identity/lockout';
import { withPasswordSlot } from '@/identity/overload';
import { hashPassword, verifyPassword } from '@/identity/password';
import type { LoginInput, RegisterInput, ResetPasswordInput, TokenResponse, UserSummary } from '@/identity/schema';
import { digestsEqual, randomHex, sha256Hex, sixDigitCode } from '@/identity/secrets';
import { issueRefreshToken, revokeAllRefreshTokens, rotateRefreshToken, type ClientInfo, type RotationHooks } from '@/identity/sessions';
import { emailVerifications, loginAttempts, passwordResets, refreshTokens, userProfiles, users, type UserRole } from '@/identity/tables';
import { ACCESS_TOKEN_TTL_SECONDS, signAccessToken } from '@/identity/tokens';
import { newId } from '@/platform/columns';
import { endLiveSessions } from '@/live';
import { createDb, type Db, isUniqueViolation, withTransaction } from '@/platform/db';
import { AppError, badRequest, conflict } from '@/platform/errors';
import type { Logger } from '@/platform/logger';

export const VERIFICATION_CODE_TTL_MS = 15 * 60_000;
export const RESET_TOKEN_TTL_MS = 30 * 60_000;
export const RESEND_COOLDOWN_MS = 60_000;

/** What the identity flows need from the outside world; routes build it per request, tests fake parts. */
export interface IdentityDeps {
  /** Database and signing key. */
  env: AppEnv;
  email: EmailSender;
  now: () => Date;
  /** Runs work after the response (sending mail), so answers do not wait on — or time — the email API. */
  defer: (task: Promise<unknown>) => void;
  /** One-per-minute limiter per email address (Workers Rate Limiting); false = over the limit. */
  emailCooldown: (key: string) => Promise<boolean>;
  logger: Logger;
}

export const GENERIC_RESEND_MESSAGE = 'If that address has an account waiting for verification, a new code is on its way.';
export const GENERIC_FORGOT_MESSAGE = 'If that address is registered, a password reset link is on its way.';

/** A stored PBKDF2 hash of nothing anyone knows: unknown emails cost the same hashing time as known ones. */
const DUMMY_PASSWORD_HASH = 'pbkdf2-sha256$100000$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

const invalidCredentials = () => new AppError(401, 'INVALID_CREDENTIALS', 'Invalid email or password');
const invalidToken = () => new AppError(401, 'INVALID_TOKEN', 'The refresh token is invalid or has expired');
const invalidCode = () => badRequest('INVALID_CODE', 'The verification code is invalid or has expired');
const invalidResetToken = () => badRequest('INVALID_RESET_TOKEN', 'The reset token is invalid or has expired');
const tooManyAttempts = (retryAfterSeconds: number) =>
  new AppError(429, 'TOO_MANY_REQUESTS', 'Too many wrong attempts from this client; try again later', undefined, { 'Retry-After': String(retryAfterSeconds) });
const cooldown = () =>
  new AppError(429, 'TOO_MANY_REQUESTS', 'Please wait a minute before asking for another email', undefined, { 'Retry-After': String(RESEND_COOLDOWN_MS / 1000) });
const accountLocked = (retryAfterSeconds: number) =>
  new AppError(403, 'ACCOUNT_LOCKED', 'Too many failed sign-in attempts; try again later or reset your password', undefined, {
    'Retry-After': String(retryAfterSeconds),
  });

const byEmail = (email: string) => sql`lower(${users.email}) = ${email}`;

interface UserRow {
  id: string;
  email: string;
  role: UserRole;
  passwordHash: string;
  isVerified: boolean;
  sessionVersion: number;
  firstName: string | null;
  lastName: string | null;
}

async function findActiveUser(db: Db, where: SQL): Promise<UserRow | undefined> {
  const [row] = await db
    .select({
      id: users.id,
      email: users.email,
      role: users.role,
      passwordHash: users.passwordHash,
      isVerified: users.isVerified,
      sessionVersion: users.sessionVersion,
      firstName: userProfiles.firstName,
      lastName: userProfiles.lastName,
    })
    .from(users)
    .leftJoin(userProfiles, eq(userProfiles.userId, users.id))
    .where(and(where, isNull(users.deletedAt)));
  return row;
}

const toSummary = (user: Pick<UserRow, 'id' | 'email' | 'role' | 'firstName' | 'lastName'>): UserSummary => ({
  id: user.id,
  email: user.email,
  role: user.role,
  first_name: user.firstName ?? '',
  last_name: user.lastName ?? '',
});

export const verificationEmail = (to: string, code: string): EmailMessage => ({
  kind: 'email-verification',
  to,
  subject: 'Your Edge Shop verification code',
  text: `Your verification code is ${code}. It expires in 15 minutes.`,
});

export const passwordResetEmail = (to: string, link: string): EmailMessage => ({
  kind: 'password-reset',
  to,
  subject: 'Reset your Edge Shop password',
  text: `Reset your password within 30 minutes: ${link}\nIf you did not ask for this, ignore this email.`,
});

/** Stores a fresh code or token for an email (attempts reset), replacing any earlier one. */
function storeOneTimeSecret(db: Db, table: typeof emailVerifications | typeof passwordResets, email: string, codeHash: string, expiresAt: Date, now: Date) {
  return db
    .insert(table)
    .values({ email, codeHash, expiresAt, attempts: 0, lastSentAt: now })
    .onConflictDoUpdate({ target: table.email, set: { codeHash, expiresAt, attempts: 0, lastSentAt: now } });
}

/** Sends mail after the response; a failure is logged by `defer`, never shown to the caller. */
function sendLater(deps: IdentityDeps, message: EmailMessage) {
  deps.defer(deps.email.send(message));
}

/** Registers a customer (never another role), stores a 6-digit code and mails it. No tokens. */
export function registerCustomer(deps: IdentityDeps, input: RegisterInput): Promise<UserSummary> {
  return withPasswordSlot(() => register(deps, input));
}

async function register(deps: IdentityDeps, input: RegisterInput): Promise<UserSummary> {
  const db = createDb(deps.env);
  const now = deps.now();
  if (await findActiveUser(db, byEmail(input.email))) throw conflict('DUPLICATE_EMAIL', 'An account with this email already exists');
  const passwordHash = await hashPassword(input.password);
  const code = sixDigitCode();
  const id = newId();
  try {
    await db.batch([
      db.insert(users).values({ id, email: input.email, passwordHash, role: 'customer' }),
      db.insert(userProfiles).values({ userId: id, firstName: input.first_name, lastName: input.last_name }),
      storeOneTimeSecret(db, emailVerifications, input.email, await sha256Hex(code), new Date(now.getTime() + VERIFICATION_CODE_TTL_MS), now),
    ]);
  } catch (err) {
    // Also covers a soft-deleted account holding the address (the unique index spans all rows).
    if (isUniqueViolation(err)) throw conflict('DUPLICATE_EMAIL', 'An account with this email already exists');
    throw err;
  }
  sendLater(deps, verificationEmail(input.email, code));
  return { id, email: input.email, role: 'customer', first_name: input.first_name, last_name: input.last_name };
}

/**
 * Checks a code or reset token (hardening item 3). Failures are counted per (account, client) — an IPv6
 * client by its /64 — not on the code: 5 wrong answers from one client are free, then that client waits a
 * growing delay (429 + Retry-After, before the code is even compared, so a slowed-down guesser learns
 * nothing). The attempt is counted first and atomically, so a parallel burst from one client cannot exceed
 * the allowance; a valid code clears its client's count. Other clients — the owner's — are never slowed
 * down by it, so a valid code always works for its owner. The row's `attempts` still counts every wrong or
 * right try from anyone (for operators); it no longer refuses anything.
 */
async function consumeAttempt(
  db: Db,
  table: typeof emailVerifications | typeof passwordResets,
  kind: 'verify' | 'reset',
  email: string,
  secret: string,
  ip: string,
  now: Date,
  invalid: () => AppError,
) {
  const throttleKey = await codeAttemptKey(kind, email, ip);
  const reserved = await reserveThrottledAttempt(db, throttleKey, CODE_THROTTLE, now);
  if (!reserved.admitted) throw tooManyAttempts(reserved.retryAfterSeconds);
  const [row] = await db
    .update(table)
    .set({ attempts: sql`${table.attempts} + 1` })
    .where(eq(table.email, email))
    .returning();
  if (!row || row.expiresAt.getTime() <= now.getTime() || !digestsEqual(await sha256Hex(secret), row.codeHash)) throw invalid();
  return { row, throttleKey };
}

export async function verifyEmail(deps: IdentityDeps, input: { email: string; code: string }, client: ClientInfo): Promise<TokenResponse> {
  const db = createDb(deps.env);
  const now = deps.now();
  const user = await findActiveUser(db, byEmail(input.email));
  // Unknown, already verified and unverified addresses take the same path and get the same INVALID_CODE for a
  // wrong code (a verified address has no stored code): ALREADY_VERIFIED would reveal a verified account.
  const { row, throttleKey } = await consumeAttempt(db, emailVerifications, 'verify', input.email, input.code, client.ip, now, invalidCode);
  if (!user || user.isVerified) throw invalidCode();
  await db.batch([
    db.update(users).set({ isVerified: true, verifiedAt: now }).where(eq(users.id, user.id)),
    db.delete(emailVerifications).where(and(eq(emailVerifications.email, input.email), eq(emailVerifications.codeHash, row.codeHash))),
    db.delete(loginAttempts).where(eq(loginAttempts.email, throttleKey)),
  ]);
  return startSession(deps, { ...user, isVerified: true }, client, now);
}

/**
 * Always the same answer for unknown, verified and unverified addresses. The per-address limiter
 * gives every address the same 429 within a minute; the stored `last_sent_at` keeps the real 60 s
 * cooldown for accounts (silently: a 429 only for real accounts would reveal them).
 */
export async function resendVerification(deps: IdentityDeps, email: string): Promise<void> {
  if (!(await deps.emailCooldown(`verify:${email}`))) throw cooldown();
  const db = createDb(deps.env);
  const now = deps.now();
  const user = await findActiveUser(db, byEmail(email));
  if (!user || user.isVerified) return;
  const [existing] = await db.select({ lastSentAt: emailVerifications.lastSentAt }).from(emailVerifications).where(eq(emailVerifications.email, email));
  if (existing && now.getTime() - existing.lastSentAt.getTime() < RESEND_COOLDOWN_MS) return;
  const code = sixDigitCode();
  await storeOneTimeSecret(db, emailVerifications, email, await sha256Hex(code), new Date(now.getTime() + VERIFICATION_CODE_TTL_MS), now);
  sendLater(deps, verificationEmail(email, code));
}

/** Same answer whether or not the address is registered; mails a 128-hex reset link valid 30 minutes. */
export async function requestPasswordReset(deps: IdentityDeps, email: string, appUrl: string): Promise<void> {
  if (!(await deps.emailCooldown(`reset:${email}`))) throw cooldown();
  const db = createDb(deps.env);
  const now = deps.now();
  const user = await findActiveUser(db, byEmail(email));
  if (!user) return;
  const [existing] = await db.select({ lastSentAt: passwordResets.lastSentAt }).from(passwordResets).where(eq(passwordResets.email, email));
  if (existing && now.getTime() - existing.lastSentAt.getTime() < RESEND_COOLDOWN_MS) return;
  const token = randomHex(64);
  await storeOneTimeSecret(db, passwordResets, email, await sha256Hex(token), new Date(now.getTime() + RESET_TOKEN_TTL_MS), now);
  const link = `${appUrl.replace(/\/+$/, '')}/reset-password?token=${token}&email=${encodeURIComponent(email)}`;
  sendLater(deps, passwordResetEmail(email, link));
}

/**
 * Sets a new password with a valid reset token, then ends every session: refresh tokens revoked,
 * session version bumped (live access tokens stop working), lockout records of the email cleared.
 * It also marks the email verified: the token could only have been read from that mailbox.
 * The token is consumed inside the same transaction, so it works once even under a race.
 */
export function resetPassword(deps: IdentityDeps, input: ResetPasswordInput, client: Pick<ClientInfo, 'ip'>): Promise<void> {
  return withPasswordSlot(() => applyPasswordReset(deps, input, client));
}

async function applyPasswordReset(deps: IdentityDeps, input: ResetPasswordInput, client: Pick<ClientInfo, 'ip'>): Promise<void> {
  const db = createDb(deps.env);
  const now = deps.now();
  const { row, throttleKey } = await consumeAttempt(db, passwordResets, 'reset', input.email, input.token, client.ip, now, invalidResetToken);
  const passwordHash = await hashPassword(input.password);
  const [pairPrefix, accountKey] = await Promise.all([pairKeyPrefix(input.email), accountKeyOf(input.email)]);
  const done = await withTransaction(deps.env, async (tx) => {
    const [consumed] = await tx
      .delete(passwordResets)
      .where(and(eq(passwordResets.email, input.email), eq(passwordResets.codeHash, row.codeHash)))
      .returning({ email: passwordResets.email });
    if (!consumed) return false;
    const [user] = await tx
      .update(users)
      // The reset link reached the mailbox, which is what verification proves too.
      .set({ passwordHash, sessionVersion: sql`${users.sessionVersion} + 1`, isVerified: true, verifiedAt: sql`coalesce(${users.verifiedAt}, ${now.toISOString()}::timestamptz)` })
      .where(and(byEmail(input.email), isNull(users.deletedAt)))
      .returning({ id: users.id });
    if (!user) return false;
    await revokeAllRefreshTokens(tx, user.id, now);
    await tx.delete(loginAttempts).where(or(allLoginFailuresOf(input.email, pairPrefix, accountKey), eq(loginAttempts.email, throttleKey)));
    await tx.delete(emailVerifications).where(eq(emailVerifications.email, input.email));
    return user.id;
  });
  if (!done) throw invalidResetToken();
  endLiveSessions(deps.env, done);
}

async function startSession(deps: IdentityDeps, user: UserRow, client: ClientInfo, now: Date): Promise<TokenResponse> {
  const db = createDb(deps.env);
  const [accessToken, refreshToken] = await Promise.all([
    signAccessToken(deps.env, { userId: user.id, email: user.email, role: user.role, sessionVersion: user.sessionVersion }),
    issueRefreshToken(db, { userId: user.id, client, now }),
  ]);
  return { access_token: accessToken, refresh_token: refreshToken, token_type: 'Bearer', expires_in: ACCESS_TOKEN_TTL_SECONDS, user: toSummary(user) };
}

/**
 * Login: lockout gate (before hashing: the address's own lock, the email's lock for addresses
 * that failed against it, and the account-wide throttle) → user lookup, and the attempt counted on the
 * account throttle, which refuses it (not counted) while the account waits out its delay → the attempt
 * counted as a failure on email and (email, address), re-checked against the allowance → password
 * (correct: the counts are cleared) → unverified 403 only after a correct password → tokens. Unknown
 * emails take every step too.
 */
export function login(deps: IdentityDeps, input: LoginInput, client: ClientInfo): Promise<TokenResponse> {
  return withPasswordSlot(() => checkCredentials(deps, input, client));
}

async function checkCredentials(deps: IdentityDeps, input: LoginInput, client: ClientInfo): Promise<TokenResponse> {
  const db = createDb(deps.env);
  const now = deps.now();
  const keys = await attemptKeys(input.email, client.ip);
  const gate = await readLoginGate(db, keys, now);
  if (gate.blocked) throw accountLocked(gate.retryAfterSeconds);
  // Unknown emails go through the same steps as real ones — the attempt is counted (so they lock alike), and a
  // password is hashed (a dummy one) — so neither the answer nor the work done reveals whether the account exists.
  const [user, account] = await Promise.all([findActiveUser(db, byEmail(input.email)), reserveThrottledAttempt(db, keys.accountKey, ACCOUNT_THROTTLE, now)]);
  if (!account.admitted) throw accountLocked(account.retryAfterSeconds);
  const { pair } = await reserveLoginAttempt(db, keys, now);
  const admitted = admitReservedAttempt(gate, pair, now);
  if (admitted.blocked) throw accountLocked(admitted.retryAfterSeconds);
  const passwordOk = await verifyPassword(input.password, user?.passwordHash ?? DUMMY_PASSWORD_HASH);
  if (!user || !passwordOk) {
    throw gate.emailLocked ? accountLocked(gate.retryAfterSeconds) : invalidCredentials();
  }
  await clearLoginFailures(db, keys);
  if (!user.isVerified) throw new AppError(403, 'EMAIL_NOT_VERIFIED', 'Verify your email address before signing in');
  return startSession(deps, user, client, now);
}

/**
 * Rotates the refresh token and returns a fresh pair; reuse of a rotated token revokes its family. The access
 * token carries the session version read under the rotation's user lock (not a later read), so a logout or
 * reset that commits right after the rotation makes it stale too.
 */
export async function refreshSession(deps: IdentityDeps, rawToken: string | undefined, client: ClientInfo, hooks?: RotationHooks): Promise<TokenResponse> {
  if (!rawToken) throw invalidToken();
  const now = deps.now();
  const result = await rotateRefreshToken(deps.env, rawToken, client, now, hooks);
  if (result.status === 'reused') deps.logger.warn('refresh token reuse: family revoked');
  if (result.status !== 'rotated') throw invalidToken();
  const user = await findActiveUser(createDb(deps.env), eq(users.id, result.userId));
  if (!user) throw invalidToken();
  const accessToken = await signAccessToken(deps.env, { userId: user.id, email: user.email, role: user.role, sessionVersion: result.sessionVersion });
  return { access_token: accessToken, refresh_token: result.refreshToken, token_type: 'Bearer', expires_in: ACCESS_TOKEN_TTL_SECONDS, user: toSummary(user) };
}

/**
 * Ends every session of the user: refresh tokens revoked and access tokens made stale, atomically. The
 * `session_version` update comes first and locks the user row, which serializes it with rotation.
 */
export async function logout(deps: IdentityDeps, userId: string): Promise<void> {
  const db = createDb(deps.env);
  const now = deps.now();
  await db.batch([
    db
      .update(users)
      .set({ sessionVersion: sql`${users.sessionVersion} + 1` })
      .where(eq(users.id, userId)),
    db
      .update(refreshTokens)
      .set({ revokedAt: now })
      .where(and(eq(refreshTokens.userId, userId), isNull(refreshTokens.revokedAt))),
  ]);
  endLiveSessions(deps.env, userId);
}

/** Revoked or expired refresh tokens are kept this long after expiry, so reuse can still be recognized. */
const REFRESH_TOKEN_RETENTION_MS = 24 * 60 * 60_000;

/**
 * Deletes identity rows that can no longer matter: refresh tokens a day past expiry, expired codes and
 * reset tokens, and login-attempt records whose window and lock are over. Idempotent; meant for the
 * Worker's cron (`scheduled`), which is wired outside this domain.
 */
export async function pruneIdentityData(env: AppEnv, now: Date): Promise<{ refreshTokens: number; codes: number; resets: number; loginAttempts: number }> {
  const db = createDb(env);
  const nowText = now.toISOString();
  const windowStart = new Date(now.getTime() - LOCKOUT_WINDOW_MS).toISOString();
  // The account throttle counts over a day (ACCOUNT_THROTTLE); every other record over the 15-minute window.
  const accountWindowStart = new Date(now.getTime() - ACCOUNT_THROTTLE.windowMs).toISOString();
  const [tokens, codes, resets, attempts] = await db.batch([
    db
      .delete(refreshTokens)
      .where(sql`${refreshTokens.expiresAt} < ${new Date(now.getTime() - REFRESH_TOKEN_RETENTION_MS).toISOString()}::timestamptz`)
      .returning({ id: refreshTokens.id }),
    db.delete(emailVerifications).where(sql`${emailVerifications.expiresAt} < ${nowText}::timestamptz`).returning({ email: emailVerifications.email }),
    db.delete(passwordResets).where(sql`${passwordResets.expiresAt} < ${nowText}::timestamptz`).returning({ email: passwordResets.email }),
    db
      .delete(loginAttempts)
      .where(
        sql`(case when ${like(loginAttempts.email, 'account:%')} then ${loginAttempts.firstFailureAt} <= ${accountWindowStart}::timestamptz else ${loginAttempts.firstFailureAt} <= ${windowStart}::timestamptz end) and (${loginAttempts.lockedUntil} is null or ${loginAttempts.lockedUntil} <= ${nowText}::timestamptz)`,
      )
      .returning({ email: loginAttempts.email }),
  ]);
  return { refreshTokens: tokens.length, codes: codes.length, resets: resets.length, loginAttempts: attempts.length };
}
