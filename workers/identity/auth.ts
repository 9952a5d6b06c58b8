import { and, eq, isNull } from 'drizzle-orm';
import type { MiddlewareHandler } from 'hono';

import type { AppBindings, AuthUser } from '@/env';
import { users, type UserRole } from '@/identity/tables';
import { verifyAccessToken, type AccessClaims } from '@/identity/tokens';
import { createDb } from '@/platform/db';
import { AppError, forbidden } from '@/platform/errors';

const BEARER = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/;

const invalidToken = () => new AppError(401, 'INVALID_TOKEN', 'The access token is invalid or has expired', undefined, { 'WWW-Authenticate': 'Bearer error="invalid_token"' });

/** The claims of `Authorization: Bearer …` once jose has checked signature, algorithm, issuer and expiry. */
async function bearerClaims(env: AppBindings['Bindings'], header: string | undefined): Promise<AccessClaims | null | 'invalid'> {
  if (!header) return null;
  const token = BEARER.exec(header)?.[1];
  if (!token) return 'invalid';
  return (await verifyAccessToken(env, token)) ?? 'invalid';
}

/** The token's session still holds: the user exists, is not deleted, and logout, reset or a role change has not bumped its version. */
async function sessionIsCurrent(env: AppBindings['Bindings'], claims: AccessClaims): Promise<boolean> {
  const [row] = await createDb(env)
    .select({ sessionVersion: users.sessionVersion, deletedAt: users.deletedAt })
    .from(users)
    .where(eq(users.id, claims.userId));
  return Boolean(row && !row.deletedAt && row.sessionVersion === claims.sessionVersion);
}

const toAuthUser = (claims: AccessClaims): AuthUser => ({ id: claims.userId, email: claims.email, role: claims.role });

/**
 * Resolves the caller from the bearer token, then the session version and soft-delete against the database, so
 * logout, password reset and role changes take effect at once. Identity never comes from any other header.
 */
async function resolveUser(env: AppBindings['Bindings'], header: string | undefined): Promise<AuthUser | null | 'invalid'> {
  const claims = await bearerClaims(env, header);
  if (claims === null || claims === 'invalid') return claims;
  return (await sessionIsCurrent(env, claims)) ? toAuthUser(claims) : 'invalid';
}

/** The session version of a user that exists and is not deleted, else null (a live ticket is bound to it). */
export async function currentSessionVersion(env: AppBindings['Bindings'], userId: string): Promise<number | null> {
  const [row] = await createDb(env)
    .select({ sessionVersion: users.sessionVersion })
    .from(users)
    .where(and(eq(users.id, userId), isNull(users.deletedAt)));
  return row?.sessionVersion ?? null;
}

const unauthorized = () => new AppError(401, 'UNAUTHORIZED', 'Authentication is required', undefined, { 'WWW-Authenticate': 'Bearer' });
const roleRefused = () => forbidden('Your role does not allow this action', 'FORBIDDEN');

/** Requires a valid access token; sets `c.var.user`. */
export function requireAuth(...roles: UserRole[]): MiddlewareHandler<AppBindings> {
  return async (c, next) => {
    const user = await resolveUser(c.env, c.req.header('authorization'));
    if (user === null) throw unauthorized();
    if (user === 'invalid') throw invalidToken();
    if (roles.length > 0 && !roles.includes(user.role)) throw roleRefused();
    c.set('user', user);
    await next();
  };
}

/**
 * {@link requireAuth} whose database check of the session runs beside the handler instead of before it, for a
 * hot route whose own work starts with reads (the cart): the token's signature, expiry and role are checked at
 * once, the handler starts, and the session check's answer is awaited (1) by every write, through
 * {@link sessionProven}, before it is made, and (2) by this middleware before any answer leaves — a revoked
 * session gets the same 401 as with `requireAuth`, never data, and changes nothing. Saves one database round
 * trip of latency per request; the check itself is not skipped or cached.
 */
export function requireAuthBesideHandler(...roles: UserRole[]): MiddlewareHandler<AppBindings> {
  return async (c, next) => {
    const claims = await bearerClaims(c.env, c.req.header('authorization'));
    if (claims === null) throw unauthorized();
    if (claims === 'invalid') throw invalidToken();
    // Settled at once, so a failed check is never an unhandled rejection while the handler runs.
    const outcome = sessionIsCurrent(c.env, claims).then(
      (current) => ({ current }),
      (error: unknown) => ({ error }),
    );
    const proven = async () => {
      const settled = await outcome;
      if ('error' in settled) throw settled.error;
      if (!settled.current) throw invalidToken();
    };
    if (roles.length > 0 && !roles.includes(claims.role)) {
      await proven();
      throw roleRefused();
    }
    c.set('user', toAuthUser(claims));
    c.set('sessionProven', proven);
    await next();
    await proven();
  };
}

/** Resolves once the caller's session is known to hold (at once behind `requireAuth`); call before any write. */
export function sessionProven(c: { get(key: 'sessionProven'): (() => Promise<void>) | undefined }): Promise<void> {
  return c.get('sessionProven')?.() ?? Promise.resolve();
}

/**
 * For public routes that show more to some callers (a seller's own hidden products): sets
 * `c.var.user` when a valid token is sent, and treats a missing or invalid one as anonymous.
 */
export function optionalAuth(): MiddlewareHandler<AppBindings> {
  return async (c, next) => {
    const user = await resolveUser(c.env, c.req.header('authorization'));
    if (user && user !== 'invalid') c.set('user', user);
    await next();
  };
}

/** The authenticated caller; only call behind `requireAuth`. */
export function currentUser(c: { get(key: 'user'): AuthUser | undefined }): AuthUser {
  const user = c.get('user');
  if (!user) throw new AppError(401, 'UNAUTHORIZED', 'Authentication is required');
  return user;
}
