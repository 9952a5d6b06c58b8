import { and, eq, isNull } from 'drizzle-orm';

import type { AppEnv } from '@/env';
import { refreshTokens, users } from '@/identity/tables';
import { randomHex, sha256Hex } from '@/identity/secrets';
import { newId } from '@/platform/columns';
import { withTransaction, type Queryable } from '@/platform/db';

export const REFRESH_TOKEN_TTL_MS = 7 * 24 * 60 * 60_000;
const REFRESH_TOKEN_FORMAT = /^[0-9a-f]{128}$/;

/** Where a session was started or refreshed from (stored for the user's and operators' benefit). */
export interface ClientInfo {
  ip: string;
  userAgent: string | undefined;
}

/** A refresh token for `userId`: 64 random bytes as 128 hex chars; only its SHA-256 is stored. */
export async function issueRefreshToken(db: Queryable, input: { userId: string; familyId?: string; client: ClientInfo; now: Date; id?: string }): Promise<string> {
  const raw = randomHex(64);
  await db.insert(refreshTokens).values({
    id: input.id ?? newId(),
    userId: input.userId,
    tokenHash: await sha256Hex(raw),
    familyId: input.familyId ?? newId(),
    expiresAt: new Date(input.now.getTime() + REFRESH_TOKEN_TTL_MS),
    userAgent: input.client.userAgent?.slice(0, 255) ?? null,
    ip: input.client.ip.slice(0, 64),
  });
  return raw;
}

export type RotationResult =
  | { status: 'rotated'; userId: string; refreshToken: string; sessionVersion: number }
  | { status: 'invalid' }
  | { status: 'reused' };

/** Pause points inside the rotation transaction, for race tests only (production passes none). */
export interface RotationHooks {
  /** After the token and its user were read and locked, before the replacement is inserted. */
  afterRead?: () => Promise<void>;
}

/**
 * Exchanges a refresh token for a new one of the same family, in one transaction. Rotation, logout and
 * password reset serialize on the **user row**: each locks it first (rotation with `SELECT … FOR UPDATE`,
 * logout and reset by updating `session_version`), then touches refresh-token rows. So a revocation either
 * commits before the rotation reads the token (which is then revoked: 401) or waits until the replacement is
 * committed and revokes it too — it can never miss a token minted concurrently. The session version read
 * under that lock is returned for the access token, so a revocation that follows bumps it past that token.
 * A token that was already rotated is treated as stolen: the whole family is revoked, and that revocation is
 * committed — the caller turns `reused` into a 401 after the transaction, so it is not rolled back.
 */
export async function rotateRefreshToken(env: AppEnv, raw: string, client: ClientInfo, now: Date, hooks: RotationHooks = {}): Promise<RotationResult> {
  if (!REFRESH_TOKEN_FORMAT.test(raw)) return { status: 'invalid' };
  const tokenHash = await sha256Hex(raw);
  return withTransaction(env, async (tx): Promise<RotationResult> => {
    // The owner first (no lock), then the user lock, then the token row: the lock order of logout and reset.
    const [owner] = await tx.select({ userId: refreshTokens.userId }).from(refreshTokens).where(eq(refreshTokens.tokenHash, tokenHash));
    if (!owner) return { status: 'invalid' };
    const [user] = await tx
      .select({ id: users.id, sessionVersion: users.sessionVersion })
      .from(users)
      .where(and(eq(users.id, owner.userId), isNull(users.deletedAt)))
      .for('update');
    if (!user) return { status: 'invalid' };
    const [row] = await tx.select().from(refreshTokens).where(eq(refreshTokens.tokenHash, tokenHash)).for('update');
    if (!row) return { status: 'invalid' };
    if (row.revokedAt) {
      // Revoked by logout or reset (no successor): simply dead. Rotated (has a successor): stolen — unless the
      // rotation's answer never reached its client (a reload aborting the refresh in flight), see below.
      if (!row.replacedBy) return { status: 'invalid' };
      const retried = await retryLostRotation(tx, row, client, now);
      if (retried) return { status: 'rotated', userId: row.userId, refreshToken: retried, sessionVersion: user.sessionVersion };
      await tx
        .update(refreshTokens)
        .set({ revokedAt: now })
        .where(and(eq(refreshTokens.familyId, row.familyId), isNull(refreshTokens.revokedAt)));
      return { status: 'reused' };
    }
    if (row.expiresAt.getTime() <= now.getTime()) return { status: 'invalid' };
    await hooks.afterRead?.();
    const replacementId = newId();
    const refreshToken = await issueRefreshToken(tx, { id: replacementId, userId: row.userId, familyId: row.familyId, client, now });
    await tx.update(refreshTokens).set({ revokedAt: now, replacedBy: replacementId }).where(eq(refreshTokens.id, row.id));
    return { status: 'rotated', userId: row.userId, refreshToken, sessionVersion: user.sessionVersion };
  });
}

/** How long after a rotation the same client may present the old token again and still be served. */
const ROTATION_RETRY_GRACE_MS = 10_000;

/**
 * A browser that reloads while its refresh is in flight drops the answer (and the cookie with the successor), then
 * presents the old token again. That is not theft when it happens within a few seconds, from the same client, and
 * the successor was never used: the unused successor is retired (presenting it later counts as reuse) and a new
 * one is issued in the same family. Anything else — later, another client, or a successor already in use — is
 * reuse, and the family is revoked. Returns the new raw token, or null for reuse.
 */
async function retryLostRotation(tx: Queryable, row: typeof refreshTokens.$inferSelect, client: ClientInfo, now: Date): Promise<string | null> {
  if (!row.revokedAt || !row.replacedBy || now.getTime() - row.revokedAt.getTime() > ROTATION_RETRY_GRACE_MS) return null;
  if ((row.userAgent ?? null) !== (client.userAgent?.slice(0, 255) ?? null)) return null;
  const [successor] = await tx.select().from(refreshTokens).where(eq(refreshTokens.id, row.replacedBy)).for('update');
  if (!successor || successor.revokedAt) return null;
  const replacementId = newId();
  const refreshToken = await issueRefreshToken(tx, { id: replacementId, userId: row.userId, familyId: row.familyId, client, now });
  await tx.update(refreshTokens).set({ revokedAt: now, replacedBy: replacementId }).where(eq(refreshTokens.id, successor.id));
  return refreshToken;
}

/**
 * Revokes every live refresh token of a user (logout, password reset). Callers must have locked the user row
 * first (by updating `session_version` in the same transaction) — see {@link rotateRefreshToken}.
 */
export function revokeAllRefreshTokens(db: Queryable, userId: string, now: Date) {
  return db
    .update(refreshTokens)
    .set({ revokedAt: now })
    .where(and(eq(refreshTokens.userId, userId), isNull(refreshTokens.revokedAt)));
}
