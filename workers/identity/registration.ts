/** Registration and email verification: a customer signs up, receives a 6-digit code, and is signed in by it. */
import { and, eq } from 'drizzle-orm';

import type { EmailMessage } from '@/identity/email';
import { byEmail, consumeAttempt, cooldown, findActiveUser, RESEND_COOLDOWN_MS, sendLater, startSession, storeOneTimeSecret, type IdentityDeps } from '@/identity/accounts';
import { withPasswordSlot } from '@/identity/overload';
import { hashPassword } from '@/identity/password';
import type { RegisterInput, TokenResponse, UserSummary } from '@/identity/schema';
import { sha256Hex, sixDigitCode } from '@/identity/secrets';
import type { ClientInfo } from '@/identity/sessions';
import { emailVerifications, loginAttempts, userProfiles, users } from '@/identity/tables';
import { newId } from '@/platform/columns';
import { createDb, isUniqueViolation } from '@/platform/db';
import { badRequest, conflict } from '@/platform/errors';

export const VERIFICATION_CODE_TTL_MS = 15 * 60_000;

export const GENERIC_RESEND_MESSAGE = 'If that address has an account waiting for verification, a new code is on its way.';

const invalidCode = () => badRequest('INVALID_CODE', 'The verification code is invalid or has expired');

export const verificationEmail = (to: string, code: string): EmailMessage => ({
  kind: 'email-verification',
  to,
  subject: 'Your Edge Shop verification code',
  text: `Your verification code is ${code}. It expires in 15 minutes.`,
});

/** Registers a customer (never another role), stores a 6-digit code and mails it. No tokens. */
export function registerCustomer(deps: IdentityDeps, input: RegisterInput): Promise<UserSummary> {
  return withPasswordSlot(() => register(deps, input));
}

async function register(deps: IdentityDeps, input: RegisterInput): Promise<UserSummary> {
  const db = createDb(deps.env);
  const now = deps.now();
  if (await findActiveUser(db, byEmail(input.email))) throw conflict('DUPLICATE_EMAIL', 'An account with this email already exists');
  const passwordHash = await hashPassword(input.password);
  const code = sixDigitCode();
  const id = newId();
  try {
    await db.batch([
      db.insert(users).values({ id, email: input.email, passwordHash, role: 'customer' }),
      db.insert(userProfiles).values({ userId: id, firstName: input.first_name, lastName: input.last_name }),
      storeOneTimeSecret(db, emailVerifications, input.email, await sha256Hex(code), new Date(now.getTime() + VERIFICATION_CODE_TTL_MS), now),
    ]);
  } catch (err) {
    // Also covers a soft-deleted account holding the address (the unique index spans all rows).
    if (isUniqueViolation(err)) throw conflict('DUPLICATE_EMAIL', 'An account with this email already exists');
    throw err;
  }
  sendLater(deps, verificationEmail(input.email, code));
  return { id, email: input.email, role: 'customer', first_name: input.first_name, last_name: input.last_name };
}

export async function verifyEmail(deps: IdentityDeps, input: { email: string; code: string }, client: ClientInfo): Promise<TokenResponse> {
  const db = createDb(deps.env);
  const now = deps.now();
  const user = await findActiveUser(db, byEmail(input.email));
  // Unknown, already verified and unverified addresses take the same path and get the same INVALID_CODE for a
  // wrong code (a verified address has no stored code): ALREADY_VERIFIED would reveal a verified account.
  const { row, throttleKey } = await consumeAttempt(db, emailVerifications, 'verify', input.email, input.code, client.ip, now, invalidCode);
  if (!user || user.isVerified) throw invalidCode();
  await db.batch([
    db.update(users).set({ isVerified: true, verifiedAt: now }).where(eq(users.id, user.id)),
    db.delete(emailVerifications).where(and(eq(emailVerifications.email, input.email), eq(emailVerifications.codeHash, row.codeHash))),
    db.delete(loginAttempts).where(eq(loginAttempts.email, throttleKey)),
  ]);
  return startSession(deps, { ...user, isVerified: true }, client, now);
}

/**
 * Always the same answer for unknown, verified and unverified addresses. The per-address limiter
 * gives every address the same 429 within a minute; the stored `last_sent_at` keeps the real 60 s
 * cooldown for accounts (silently: a 429 only for real accounts would reveal them).
 */
export async function resendVerification(deps: IdentityDeps, email: string): Promise<void> {
  if (!(await deps.emailCooldown(`verify:${email}`))) throw cooldown();
  const db = createDb(deps.env);
  const now = deps.now();
  const user = await findActiveUser(db, byEmail(email));
  if (!user || user.isVerified) return;
  const [existing] = await db.select({ lastSentAt: emailVerifications.lastSentAt }).from(emailVerifications).where(eq(emailVerifications.email, email));
  if (existing && now.getTime() - existing.lastSentAt.getTime() < RESEND_COOLDOWN_MS) return;
  const code = sixDigitCode();
  await storeOneTimeSecret(db, emailVerifications, email, await sha256Hex(code), new Date(now.getTime() + VERIFICATION_CODE_TTL_MS), now);
  sendLater(deps, verificationEmail(email, code));
}

