/** Signing in and out: credentials behind the lockout gate, refresh-token rotation, logout everywhere. */
import { and, eq, isNull, sql } from 'drizzle-orm';

import { byEmail, findActiveUser, startSession, toSummary, type IdentityDeps } from '@/identity/accounts';
import { admitReservedAttempt, attemptKeys, clearLoginFailures, readLoginGate, reserveLoginAttempt } from '@/identity/lockout';
import { withPasswordSlot } from '@/identity/overload';
import { verifyPassword } from '@/identity/password';
import type { LoginInput, TokenResponse } from '@/identity/schema';
import { rotateRefreshToken, type ClientInfo, type RotationHooks } from '@/identity/sessions';
import { refreshTokens, users } from '@/identity/tables';
import { ACCESS_TOKEN_TTL_SECONDS, signAccessToken } from '@/identity/tokens';
import { createDb } from '@/platform/db';
import { AppError } from '@/platform/errors';
import { endLiveSessions } from '@/platform/live-events';

/** A stored PBKDF2 hash of nothing anyone knows: unknown emails cost the same hashing time as known ones. */
const DUMMY_PASSWORD_HASH = 'pbkdf2-sha256$100000$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

const invalidCredentials = () => new AppError(401, 'INVALID_CREDENTIALS', 'Invalid email or password');
const invalidToken = () => new AppError(401, 'INVALID_TOKEN', 'The refresh token is invalid or has expired');
const accountLocked = (retryAfterSeconds: number) =>
  new AppError(403, 'ACCOUNT_LOCKED', 'Too many failed sign-in attempts; try again later or reset your password', undefined, {
    'Retry-After': String(retryAfterSeconds),
  });

/**
 * Login in three database round trips around the hash: the lockout gate (the address's own lock, the email's
 * lock for addresses that failed against it, the account-wide throttle) beside the user lookup → one statement
 * that counts the attempt on the account throttle, which refuses it (not counted) while the account waits out
 * its delay, and otherwise as a failure on email and (email, address), re-checked against the allowance →
 * password → the counts cleared (correct password) beside the new session; unverified 403 only after a correct
 * password. Unknown emails take every step too.
 */
export function login(deps: IdentityDeps, input: LoginInput, client: ClientInfo): Promise<TokenResponse> {
  return withPasswordSlot(() => checkCredentials(deps, input, client));
}

async function checkCredentials(deps: IdentityDeps, input: LoginInput, client: ClientInfo): Promise<TokenResponse> {
  const db = createDb(deps.env);
  const now = deps.now();
  const keys = await attemptKeys(input.email, client.ip);
  // The user is read beside the gate (one round trip), although a blocked attempt does not need it.
  const [gate, user] = await Promise.all([readLoginGate(db, keys, now), findActiveUser(db, byEmail(input.email))]);
  if (gate.blocked) throw accountLocked(gate.retryAfterSeconds);
  // Unknown emails go through the same steps as real ones — the attempt is counted (so they lock alike), and a
  // password is hashed (a dummy one) — so neither the answer nor the work done reveals whether the account exists.
  const reserved = await reserveLoginAttempt(db, keys, now);
  if (!reserved.admitted) throw accountLocked(reserved.retryAfterSeconds);
  const admitted = admitReservedAttempt(gate, reserved.pair, now);
  if (admitted.blocked) throw accountLocked(admitted.retryAfterSeconds);
  const passwordOk = await verifyPassword(input.password, user?.passwordHash ?? DUMMY_PASSWORD_HASH);
  if (!user || !passwordOk) {
    throw gate.emailLocked ? accountLocked(gate.retryAfterSeconds) : invalidCredentials();
  }
  if (!user.isVerified) {
    await clearLoginFailures(db, keys);
    throw new AppError(403, 'EMAIL_NOT_VERIFIED', 'Verify your email address before signing in');
  }
  const [, session] = await Promise.all([clearLoginFailures(db, keys), startSession(deps, user, client, now)]);
  return session;
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
  const [bumped] = await db.batch([
    db
      .update(users)
      .set({ sessionVersion: sql`${users.sessionVersion} + 1` })
      .where(eq(users.id, userId))
      .returning({ sessionVersion: users.sessionVersion }),
    db
      .update(refreshTokens)
      .set({ revokedAt: now })
      .where(and(eq(refreshTokens.userId, userId), isNull(refreshTokens.revokedAt))),
  ]);
  endLiveSessions(deps.env, userId, bumped[0]?.sessionVersion ?? null);
}

