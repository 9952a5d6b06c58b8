import { createExecutionContext, env } from 'cloudflare:test';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';

import { createApp } from '@/app';
import { createEmailSender } from '@/identity/email';
import { sha256Hex } from '@/identity/secrets';
import type { IdentityDeps } from '@/identity/accounts';
import { logout, refreshSession } from '@/identity/login';
import { resetPassword } from '@/identity/password-reset';
import { issueRefreshToken, rotateRefreshToken, type ClientInfo } from '@/identity/sessions';
import { passwordResets } from '@/identity/tables';
import { createDb } from '@/platform/db';
import { createLogger } from '@/platform/logger';
import { createUserWithToken } from '@test/support/identity';
import { deferred, lockWaiters } from '@test/support/pg-locks';

/**
 * Hardening item 1: a refresh-token rotation racing a logout or a password reset. The rotation is held inside
 * its transaction — token and user read, replacement not yet inserted — while the revocation starts; then it is
 * released. On PostgreSQL the test first waits until the revocation is blocked on a row lock (so both really
 * overlap); the embedded database runs one transaction at a time, so there the revocation simply queues behind
 * the held rotation. Either way, afterwards no token minted by the rotation may still work.
 */

const client: ClientInfo = { ip: '203.0.113.40', userAgent: 'race-test' };
const logger = createLogger('warn', { requestId: 'race', correlationId: 'race' });
const deps: IdentityDeps = {
  env,
  email: createEmailSender(env, logger),
  now: () => new Date(),
  defer: (task) => void task.catch(() => undefined),
  emailCooldown: async () => true,
  logger,
};

let embedded = false;
beforeAll(async () => {
  const result = await createDb(env).execute(sql`select version() as version`);
  embedded = String((result.rows[0] as { version: string }).version).includes('PGlite');
});

/** Backends of this database waiting on a lock right now (PostgreSQL only). */
const blockedOnLocks = async () => (await lockWaiters()).length;

const profileStatus = async (accessToken: string) =>
  (await createApp().request('/api/v1/users/profile', { headers: { authorization: `Bearer ${accessToken}`, 'cf-connecting-ip': client.ip } }, env, createExecutionContext())).status;

/** Holds a rotation after its reads, runs `revoke` against it, releases it; returns what the rotation minted (if anything). */
async function raceRotation(raw: string, revoke: () => Promise<unknown>) {
  const held = deferred();
  const release = deferred();
  const rotating = refreshSession(deps, raw, client, {
    afterRead: async () => {
      held.resolve();
      await release.promise;
    },
  }).then(
    (tokens) => tokens,
    () => null,
  );
  await held.promise;
  const revoking = revoke();
  if (!embedded) await expect.poll(blockedOnLocks, { timeout: 15_000, interval: 50 }).toBeGreaterThan(0);
  release.resolve();
  const [minted] = await Promise.all([rotating, revoking]);
  return minted;
}

describe('refresh rotation racing a revocation (hardening item 1)', () => {
  it('logout: the token and access token minted by a concurrent rotation are dead afterwards', { timeout: 60_000 }, async () => {
    const user = await createUserWithToken('customer', 'race-logout');
    const raw = await issueRefreshToken(createDb(env), { userId: user.id, client, now: new Date() });
    const minted = await raceRotation(raw, () => logout(deps, user.id));
    // The rotation read the token before the logout: it completes, and what it minted must be dead.
    expect(minted).not.toBeNull();
    expect(await rotateRefreshToken(env, minted!.refresh_token, client, new Date())).toEqual({ status: 'invalid' });
    expect(await profileStatus(minted!.access_token)).toBe(401);
    expect(await rotateRefreshToken(env, raw, client, new Date())).not.toMatchObject({ status: 'rotated' });
    expect(await profileStatus(user.token)).toBe(401);
  });

  it('password reset: the token and access token minted by a concurrent rotation are dead afterwards', { timeout: 60_000 }, async () => {
    const user = await createUserWithToken('customer', 'race-reset');
    const raw = await issueRefreshToken(createDb(env), { userId: user.id, client, now: new Date() });
    const resetToken = 'a'.repeat(128);
    await createDb(env)
      .insert(passwordResets)
      .values({ email: user.email, codeHash: await sha256Hex(resetToken), expiresAt: new Date(Date.now() + 10 * 60_000), attempts: 0, lastSentAt: new Date() });
    const minted = await raceRotation(raw, () => resetPassword(deps, { email: user.email, token: resetToken, password: 'Changed4Pass' }, client));
    expect(minted).not.toBeNull();
    expect(await rotateRefreshToken(env, minted!.refresh_token, client, new Date())).toEqual({ status: 'invalid' });
    expect(await profileStatus(minted!.access_token)).toBe(401);
    expect(await profileStatus(user.token)).toBe(401);
  });
});
