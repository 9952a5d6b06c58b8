/** Password reset: a one-time link by email, then a new password that ends every session. */
import { and, eq, isNull, or, sql } from 'drizzle-orm';

import type { EmailMessage } from '@/identity/email';
import { byEmail, consumeAttempt, cooldown, findActiveUser, RESEND_COOLDOWN_MS, sendLater, storeOneTimeSecret, type IdentityDeps } from '@/identity/accounts';
import { accountKeyOf, allLoginFailuresOf, deleteLoginRecords, pairKeyPrefix } from '@/identity/lockout';
import { withPasswordSlot } from '@/identity/overload';
import { hashPassword } from '@/identity/password';
import type { ResetPasswordInput } from '@/identity/schema';
import { randomHex, sha256Hex } from '@/identity/secrets';
import { revokeAllRefreshTokens, type ClientInfo } from '@/identity/sessions';
import { emailVerifications, loginAttempts, passwordResets, users } from '@/identity/tables';
import { createDb, withTransaction } from '@/platform/db';
import { badRequest } from '@/platform/errors';
import { endLiveSessions } from '@/platform/live-events';

export const RESET_TOKEN_TTL_MS = 30 * 60_000;

export const GENERIC_FORGOT_MESSAGE = 'If that address is registered, a password reset link is on its way.';

const invalidResetToken = () => badRequest('INVALID_RESET_TOKEN', 'The reset token is invalid or has expired');

export const passwordResetEmail = (to: string, link: string): EmailMessage => ({
  kind: 'password-reset',
  to,
  subject: 'Reset your Edge Shop password',
  text: `Reset your password within 30 minutes: ${link}\nIf you did not ask for this, ignore this email.`,
});

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
      .returning({ id: users.id, sessionVersion: users.sessionVersion });
    if (!user) return false;
    await revokeAllRefreshTokens(tx, user.id, now);
    await deleteLoginRecords(tx, or(allLoginFailuresOf(input.email, pairPrefix, accountKey), eq(loginAttempts.email, throttleKey))!);
    await tx.delete(emailVerifications).where(eq(emailVerifications.email, input.email));
    return user;
  });
  if (!done) throw invalidResetToken();
  endLiveSessions(deps.env, done.id, done.sessionVersion);
}

