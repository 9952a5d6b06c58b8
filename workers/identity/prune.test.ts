import { env } from 'cloudflare:test';
import { eq, inArray } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';

import { accountKeyOf } from '@/identity/lockout';
import { pruneIdentityData } from '@/identity/prune';
import { emailVerifications, loginAttempts, passwordResets, refreshTokens } from '@/identity/tables';
import { createDb } from '@/platform/db';
import { createUserWithToken, uniqueEmail } from '@test/support/identity';

const HOUR = 60 * 60_000;

describe('pruneIdentityData', () => {
  it('deletes only rows that can no longer matter', async () => {
    const db = createDb(env);
    const now = new Date();
    const ago = (ms: number) => new Date(now.getTime() - ms);
    const user = await createUserWithToken('customer', 'prune');
    const family = crypto.randomUUID();
    const token = (hash: string, expiresAt: Date) => ({ userId: user.id, tokenHash: hash, familyId: family, expiresAt, ip: 'test' });
    const [oldToken, recentToken] = [crypto.randomUUID().replaceAll('-', '').padEnd(64, '0'), crypto.randomUUID().replaceAll('-', '').padEnd(64, '1')];
    await db.insert(refreshTokens).values([token(oldToken, ago(48 * HOUR)), token(recentToken, ago(HOUR))]);
    const [oldEmail, liveEmail] = [uniqueEmail('prune-old'), uniqueEmail('prune-live')];
    const code = (email: string, expiresAt: Date) => ({ email, codeHash: '0'.repeat(64), expiresAt });
    await db.insert(emailVerifications).values([code(oldEmail, ago(1000)), code(liveEmail, new Date(now.getTime() + HOUR))]);
    await db.insert(passwordResets).values([code(oldEmail, ago(1000)), code(liveEmail, new Date(now.getTime() + HOUR))]);
    await db.insert(loginAttempts).values([
      { email: oldEmail, failures: 3, firstFailureAt: ago(HOUR) },
      { email: liveEmail, failures: 5, firstFailureAt: ago(HOUR), lockedUntil: new Date(now.getTime() + 60_000) },
    ]);

    const pruned = await pruneIdentityData(env, now);
    expect(pruned.refreshTokens).toBeGreaterThanOrEqual(1);

    const remainingTokens = await db.select({ hash: refreshTokens.tokenHash }).from(refreshTokens).where(eq(refreshTokens.familyId, family));
    expect(remainingTokens.map((row) => row.hash)).toEqual([recentToken]);
    for (const table of [emailVerifications, passwordResets, loginAttempts]) {
      const rows = await db.select({ email: table.email }).from(table).where(inArray(table.email, [oldEmail, liveEmail]));
      expect(rows.map((row) => row.email)).toEqual([liveEmail]);
    }
  });

  it('keeps an account throttle for its whole day (ACCOUNT_THROTTLE), other records for 15 minutes', async () => {
    const db = createDb(env);
    const now = new Date();
    const ago = (ms: number) => new Date(now.getTime() - ms);
    const [recent, old] = await Promise.all([accountKeyOf(uniqueEmail('prune-acct')), accountKeyOf(uniqueEmail('prune-acct-old'))]);
    await db.insert(loginAttempts).values([
      { email: recent, failures: 12, firstFailureAt: ago(HOUR), lockedUntil: ago(60_000) },
      { email: old, failures: 12, firstFailureAt: ago(25 * HOUR), lockedUntil: ago(60_000) },
    ]);
    await pruneIdentityData(env, now);
    const rows = await db.select({ email: loginAttempts.email }).from(loginAttempts).where(inArray(loginAttempts.email, [recent, old]));
    expect(rows.map((row) => row.email)).toEqual([recent]);
  });
});
