import { like, sql } from 'drizzle-orm';

import type { AppEnv } from '@/env';
import { ACCOUNT_THROTTLE, deleteLoginRecords, LOCKOUT_WINDOW_MS } from '@/identity/lockout';
import { emailVerifications, loginAttempts, passwordResets, refreshTokens } from '@/identity/tables';
import { createDb } from '@/platform/db';

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
    deleteLoginRecords(
      db,
      sql`(case when ${like(loginAttempts.email, 'account:%')} then ${loginAttempts.firstFailureAt} <= ${accountWindowStart}::timestamptz else ${loginAttempts.firstFailureAt} <= ${windowStart}::timestamptz end) and (${loginAttempts.lockedUntil} is null or ${loginAttempts.lockedUntil} <= ${nowText}::timestamptz)`,
    ).returning({ email: loginAttempts.email }),
  ]);
  return { refreshTokens: tokens.length, codes: codes.length, resets: resets.length, loginAttempts: attempts.length };
}
