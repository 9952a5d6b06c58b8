/**
 * What the identity flows share: their collaborators, the active-user lookup, one-time secrets (codes and reset
 * tokens) with their per-client attempt throttle, and starting a session.
 */
import { and, eq, isNull, sql, type SQL } from 'drizzle-orm';

import type { AppEnv } from '@/env';
import type { EmailMessage, EmailSender } from '@/identity/email';
import { CODE_THROTTLE, codeAttemptKey, reserveThrottledAttempt } from '@/identity/lockout';
import type { TokenResponse, UserSummary } from '@/identity/schema';
import { digestsEqual, sha256Hex } from '@/identity/secrets';
import { issueRefreshToken, type ClientInfo } from '@/identity/sessions';
import { type emailVerifications, type passwordResets, userProfiles, users, type UserRole } from '@/identity/tables';
import { ACCESS_TOKEN_TTL_SECONDS, signAccessToken } from '@/identity/tokens';
import { createDb, type Db } from '@/platform/db';
import { AppError } from '@/platform/errors';
import type { Logger } from '@/platform/logger';

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

/** Builds the identity services' collaborators for one request, given its logger and its after-response hook. */
export type MakeIdentityDeps = (env: AppEnv, request: Pick<IdentityDeps, 'logger' | 'defer'>) => IdentityDeps;

const tooManyAttempts = (retryAfterSeconds: number) =>
  new AppError(429, 'TOO_MANY_REQUESTS', 'Too many wrong attempts from this client; try again later', undefined, { 'Retry-After': String(retryAfterSeconds) });
export const cooldown = () =>
  new AppError(429, 'TOO_MANY_REQUESTS', 'Please wait a minute before asking for another email', undefined, { 'Retry-After': String(RESEND_COOLDOWN_MS / 1000) });

export const byEmail = (email: string) => sql`lower(${users.email}) = ${email}`;

export interface UserRow {
  id: string;
  email: string;
  role: UserRole;
  passwordHash: string;
  isVerified: boolean;
  sessionVersion: number;
  firstName: string | null;
  lastName: string | null;
}

export async function findActiveUser(db: Db, where: SQL): Promise<UserRow | undefined> {
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

export const toSummary = (user: Pick<UserRow, 'id' | 'email' | 'role' | 'firstName' | 'lastName'>): UserSummary => ({
  id: user.id,
  email: user.email,
  role: user.role,
  first_name: user.firstName ?? '',
  last_name: user.lastName ?? '',
});

/** Stores a fresh code or token for an email (attempts reset), replacing any earlier one. */
export function storeOneTimeSecret(db: Db, table: typeof emailVerifications | typeof passwordResets, email: string, codeHash: string, expiresAt: Date, now: Date) {
  return db
    .insert(table)
    .values({ email, codeHash, expiresAt, attempts: 0, lastSentAt: now })
    .onConflictDoUpdate({ target: table.email, set: { codeHash, expiresAt, attempts: 0, lastSentAt: now } });
}

/** Sends mail after the response; a failure is logged by `defer`, never shown to the caller. */
export function sendLater(deps: IdentityDeps, message: EmailMessage) {
  deps.defer(deps.email.send(message));
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
export async function consumeAttempt(
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

export async function startSession(deps: IdentityDeps, user: UserRow, client: ClientInfo, now: Date): Promise<TokenResponse> {
  const db = createDb(deps.env);
  const [accessToken, refreshToken] = await Promise.all([
    signAccessToken(deps.env, { userId: user.id, email: user.email, role: user.role, sessionVersion: user.sessionVersion }),
    issueRefreshToken(db, { userId: user.id, client, now }),
  ]);
  return { access_token: accessToken, refresh_token: refreshToken, token_type: 'Bearer', expires_in: ACCESS_TOKEN_TTL_SECONDS, user: toSummary(user) };
}

