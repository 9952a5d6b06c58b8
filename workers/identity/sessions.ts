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

export type RotationResult = { status: 'rotated'; userId: string; refreshToken: string } | { status: 'invalid' } | { status: 'reused' };

/**
 * Exchanges a refresh token for a new one of the same family, in one transaction with the row
 * locked (two racing uses of one token cannot both rotate). A token that was already rotated or
 * revoked is treated as stolen: the whole family is revoked, and that revocation is committed —
 * the caller turns `reused` into a 401 after the transaction, so it is not rolled back.
 */
export async function rotateRefreshToken(env: AppEnv, raw: string, client: ClientInfo, now: Date): Promise<RotationResult> {
  if (!REFRESH_TOKEN_FORMAT.test(raw)) return { status: 'invalid' };
  const tokenHash = await sha256Hex(raw);
  return withTransaction(env, async (tx): Promise<RotationResult> => {
    const [row] = await tx.select().from(refreshTokens).where(eq(refreshTokens.tokenHash, tokenHash)).for('update');
    if (!row) return { status: 'invalid' };
    if (row.revokedAt) {
      // Revoked by logout or reset (no successor): simply dead. Rotated (has a successor): stolen.
      if (!row.replacedBy) return { status: 'invalid' };
      await tx
        .update(refreshTokens)
        .set({ revokedAt: now })
        .where(and(eq(refreshTokens.familyId, row.familyId), isNull(refreshTokens.revokedAt)));
      return { status: 'reused' };
    }
    if (row.expiresAt.getTime() <= now.getTime()) return { status: 'invalid' };
    const [user] = await tx
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.id, row.userId), isNull(users.deletedAt)));
    if (!user) return { status: 'invalid' };
    const replacementId = newId();
    const refreshToken = await issueRefreshToken(tx, { id: replacementId, userId: row.userId, familyId: row.familyId, client, now });
    await tx.update(refreshTokens).set({ revokedAt: now, replacedBy: replacementId }).where(eq(refreshTokens.id, row.id));
    return { status: 'rotated', userId: row.userId, refreshToken };
  });
}

/** Revokes every live refresh token of a user (logout, password reset). */
export function revokeAllRefreshTokens(db: Queryable, userId: string, now: Date) {
  return db
    .update(refreshTokens)
    .set({ revokedAt: now })
    .where(and(eq(refreshTokens.userId, userId), isNull(refreshTokens.revokedAt)));
}
