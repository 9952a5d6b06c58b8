import { env, SELF } from 'cloudflare:test';

import { lastLoggedEmail } from '@/identity/email';
import { hashPassword } from '@/identity/password';
import { userProfiles, users, type UserRole } from '@/identity/tables';
import { signAccessToken } from '@/identity/tokens';
import { createDb } from '@/platform/db';

const BASE = 'http://shop.test';

/** A fresh client address per test, so the per-IP auth limiter (60/min locally) never spills between tests. */
export const newIp = () => `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250) + 1}`;
export const uniqueEmail = (tag: string) => `${tag}-${crypto.randomUUID()}@example.com`;

export interface CallOptions {
  ip?: string;
  token?: string;
  cookie?: string;
  headers?: Record<string, string>;
}

/** Calls the whole Worker (workers/index.ts) the way a browser would. */
export function call(method: string, path: string, body?: unknown, options: CallOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { 'cf-connecting-ip': options.ip ?? newIp(), ...options.headers };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.cookie) headers.cookie = options.cookie;
  return SELF.fetch(`${BASE}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
}

export const errorCode = async (res: Response) => (await res.json<{ error: { code: string } }>()).error.code;
export const dataOf = async <T>(res: Response) => (await res.json<{ data: T }>()).data;

/** The 6-digit code the log transport last mailed to an address. */
export function lastCode(email: string): string {
  const text = lastLoggedEmail(email)?.text ?? '';
  const code = /\b(\d{6})\b/.exec(text)?.[1];
  if (!code) throw new Error(`no verification code was mailed to ${email}`);
  return code;
}

export interface TokenBody {
  access_token: string;
  refresh_token: string;
  token_type: string;
  expires_in: number;
  user: { id: string; email: string; role: UserRole; first_name: string; last_name: string };
}

export const PASSWORD = 'Sturdy4Pass';

/** Registers, verifies (with the mailed code) and signs in through HTTP; returns the login answer. */
export async function registerVerifiedUser(tag: string, ip = newIp()): Promise<{ email: string; ip: string; tokens: TokenBody }> {
  const email = uniqueEmail(tag);
  const registered = await call('POST', '/api/v1/auth/register', { email, password: PASSWORD, first_name: 'Test', last_name: tag }, { ip });
  if (registered.status !== 201) throw new Error(`register failed: ${registered.status} ${await registered.text()}`);
  const verified = await call('POST', '/api/v1/auth/verify-email', { email, code: lastCode(email) }, { ip });
  if (verified.status !== 200) throw new Error(`verify failed: ${verified.status}`);
  const login = await call('POST', '/api/v1/auth/login', { email, password: PASSWORD }, { ip });
  if (login.status !== 200) throw new Error(`login failed: ${login.status} ${await login.text()}`);
  return { email, ip, tokens: await dataOf<TokenBody>(login) };
}

/** Inserts a verified user straight into the database and mints an access token (fast; for users routes). */
export async function createUserWithToken(role: UserRole = 'customer', tag = 'user'): Promise<{ id: string; email: string; token: string }> {
  const db = createDb(env);
  const email = uniqueEmail(tag);
  const [row] = await db.insert(users).values({ email, passwordHash: await hashPassword(PASSWORD, 1), role, isVerified: true }).returning({ id: users.id });
  await db.insert(userProfiles).values({ userId: row!.id, firstName: 'First', lastName: tag });
  return { id: row!.id, email, token: await signAccessToken(env, { userId: row!.id, email, role, sessionVersion: 0 }) };
}

/**
 * The local Rate Limiting binding counts in wall-clock-aligned windows; a test that expects a second call
 * in the same window to be refused waits out the last seconds of a window first, so it cannot straddle one.
 */
export async function awayFromWindowEdge(periodMs = 60_000, marginMs = 3_000): Promise<void> {
  const left = periodMs - (Date.now() % periodMs);
  if (left < marginMs) await new Promise((resolve) => setTimeout(resolve, left + 50));
}
