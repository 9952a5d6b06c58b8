import { and, eq, isNull } from 'drizzle-orm';
import type { MiddlewareHandler } from 'hono';

import type { AppBindings, AuthUser } from '@/env';
import { users, type UserRole } from '@/identity/tables';
import { verifyAccessToken } from '@/identity/tokens';
import { createDb } from '@/platform/db';
import { AppError, forbidden } from '@/platform/errors';

const BEARER = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/;

const invalidToken = () => new AppError(401, 'INVALID_TOKEN', 'The access token is invalid or has expired', undefined, { 'WWW-Authenticate': 'Bearer error="invalid_token"' });

/**
 * Resolves the caller from `Authorization: Bearer …`: signature, algorithm, issuer and expiry via
 * jose, then the session version and soft-delete against the database, so logout, password reset
 * and role changes take effect at once. Identity never comes from any other header.
 */
async function resolveUser(env: AppBindings['Bindings'], header: string | undefined): Promise<AuthUser | null | 'invalid'> {
  if (!header) return null;
  const token = BEARER.exec(header)?.[1];
  if (!token) return 'invalid';
  const claims = await verifyAccessToken(env, token);
  if (!claims) return 'invalid';
  const [row] = await createDb(env)
    .select({ sessionVersion: users.sessionVersion, deletedAt: users.deletedAt })
    .from(users)
    .where(eq(users.id, claims.userId));
  if (!row || row.deletedAt || row.sessionVersion !== claims.sessionVersion) return 'invalid';
  return { id: claims.userId, email: claims.email, role: claims.role };
}

/** The session version of a user that exists and is not deleted, else null (a live ticket is bound to it). */
export async function currentSessionVersion(env: AppBindings['Bindings'], userId: string): Promise<number | null> {
  const [row] = await createDb(env)
    .select({ sessionVersion: users.sessionVersion })
    .from(users)
    .where(and(eq(users.id, userId), isNull(users.deletedAt)));
  return row?.sessionVersion ?? null;
}

/** Requires a valid access token; sets `c.var.user`. */
export function requireAuth(...roles: UserRole[]): MiddlewareHandler<AppBindings> {
  return async (c, next) => {
    const user = await resolveUser(c.env, c.req.header('authorization'));
    if (user === null) throw new AppError(401, 'UNAUTHORIZED', 'Authentication is required', undefined, { 'WWW-Authenticate': 'Bearer' });
    if (user === 'invalid') throw invalidToken();
    if (roles.length > 0 && !roles.includes(user.role)) throw forbidden('Your role does not allow this action', 'FORBIDDEN');
    c.set('user', user);
    await next();
  };
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
