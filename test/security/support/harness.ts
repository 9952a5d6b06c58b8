import { AsyncLocalStorage } from 'node:async_hooks';

import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { neonConfig } from '@neondatabase/serverless';
import { count } from 'drizzle-orm';
import { vi } from 'vitest';

import { createApp } from '@/app';
import { users } from '@/identity/tables';
import { createDb } from '@/platform/db';
import type { FuzzBody } from '@test/security/support/arbitraries';
import { createUserWithToken } from '@test/support/identity';

/** The whole app, in process: far faster than `SELF.fetch`, same middleware and routers. */
const app = createApp();

let ipCounter = 0;
/** A new client address per request, so the shared per-IP limiters measure nothing but the test that wants them. */
const freshIp = () => {
  ipCounter += 1;
  return `172.${16 + ((ipCounter >> 16) & 15)}.${(ipCounter >> 8) & 255}.${ipCounter & 255}`;
};

export interface SendOptions {
  token?: string;
  ip?: string;
  headers?: Record<string, string>;
  /** A JSON value to send, serialized with JSON.stringify. */
  body?: unknown;
  /** A body sent byte for byte (malformed JSON and the like). */
  raw?: string;
  /** Bindings to use instead of the test env (the fuzz passes {@link withoutRateLimits}). */
  env?: Env;
  /** The Content-Type to send with a body instead of `application/json`; null sends the body with none. */
  contentType?: string | null;
}

const unlimited: RateLimit = { limit: async () => ({ success: true }) };

/**
 * The test env with the three rate-limit bindings always allowing. Each binding call is a round trip to the
 * local runtime (~5 ms here); the fuzz, which is about input handling, would spend most of its time in them.
 * Limits are tested on their own in password-spray.test.ts.
 */
export const withoutRateLimits = (): Env => ({ ...env, API_RATE_LIMITER: unlimited, AUTH_RATE_LIMITER: unlimited, EMAIL_RATE_LIMITER: unlimited, HEALTH_RATE_LIMITER: unlimited });

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json: unknown;
}

/** Turns a generated {@link FuzzBody} into send options. */
export const fuzzOptions = (body: FuzzBody): Pick<SendOptions, 'body' | 'raw'> =>
  body.kind === 'json' ? { body: body.value } : body.kind === 'raw' ? { raw: body.text } : {};

/** Sends one request through {@link app} and reads the whole answer. */
export async function send(method: string, path: string, options: SendOptions = {}): Promise<Answer> {
  const headers: Record<string, string> = { 'cf-connecting-ip': options.ip ?? freshIp(), ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const body = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  if (body !== undefined && options.contentType !== null) headers['content-type'] ??= options.contentType ?? 'application/json';
  const ctx = createExecutionContext();
  const res = await app.request(path, { method: method.toUpperCase(), headers, body }, options.env ?? env, ctx);
  const text = await res.text();
  await waitOnExecutionContext(ctx);
  let json: unknown = undefined;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** What must never appear in any answer: secrets, hashes, internals, stack traces, SQL. */
const LEAK_PATTERNS: [string, RegExp][] = [
  ['password hash field', /"(password_?hash|passwordHash)"\s*:/i],
  ['password hash value', /pbkdf2-sha256\$/],
  ['session version', /"(session_?version|sessionVersion)"\s*:/i],
  ['token hash', /"(token_?hash|tokenHash|code_?hash|codeHash)"\s*:/i],
  ['private key', /"d"\s*:\s*"[\w-]{20,}"/],
  ['stack trace', /\bat \S+ \(.*:\d+:\d+\)|\n\s+at /],
  ['SQL text', /\b(select\s.+\sfrom|insert into|update \S+ set|delete from)\b|relation "|syntax error at or near|violates (unique|foreign key|check) constraint|duplicate key value/i],
  ['internal error text', /TypeError|ReferenceError|Cannot read propert|undefined is not/],
];

/** Returns the name of the first leak found in an answer body, if any. */
function findLeak(text: string): string | undefined {
  return LEAK_PATTERNS.find(([, pattern]) => pattern.test(text))?.[0];
}

/**
 * The answer text with the keys of `error.details` replaced: a validation error names the client's own
 * unknown fields (`password_hash: Unknown field`), which is an echo, not a leak. Values are kept.
 */
function withoutEchoedFieldNames(answer: Answer): string {
  const body = answer.json as { error?: { details?: Record<string, unknown> } } | undefined;
  const details = body?.error?.details;
  if (!details || typeof details !== 'object') return answer.text;
  return JSON.stringify({ ...body, error: { ...body.error, details: Object.values(details) } });
}

/** Checks the one error envelope `{success:false,error:{code,message,details?,requestId}}`. */
function envelopeProblem(answer: Answer): string | undefined {
  const body = answer.json as { success?: unknown; error?: { code?: unknown; message?: unknown; requestId?: unknown; details?: unknown } } | undefined;
  if (!body || typeof body !== 'object') return 'body is not a JSON object';
  if (body.success !== false) return 'success is not false';
  const error = body.error;
  if (!error || typeof error !== 'object') return 'no error object';
  if (typeof error.code !== 'string' || !/^[A-Z][A-Z0-9_]+$/.test(error.code)) return 'error.code is not an UPPER_SNAKE string';
  if (typeof error.message !== 'string') return 'error.message is not a string';
  if (typeof error.requestId !== 'string' || !error.requestId) return 'error.requestId missing';
  if (error.details !== undefined) {
    if (!error.details || typeof error.details !== 'object' || Array.isArray(error.details)) return 'error.details is not an object';
    if (Object.values(error.details).some((v) => typeof v !== 'string')) return 'error.details has non-string values';
  }
  const extra = Object.keys(body).filter((k) => k !== 'success' && k !== 'error');
  if (extra.length) return `unexpected top-level keys ${extra.join(',')}`;
  return undefined;
}

/** The generic verdict for any answer: no 5xx, envelope on 4xx, JSON success body on 2xx, no leak anywhere. */
export function verdict(answer: Answer): string | undefined {
  if (answer.status >= 500) return `status ${answer.status}: ${answer.text.slice(0, 200)}`;
  const leak = findLeak(withoutEchoedFieldNames(answer));
  if (leak) return `leak (${leak}) in ${answer.status}: ${answer.text.slice(0, 200)}`;
  if (answer.status >= 400) {
    const problem = envelopeProblem(answer);
    return problem ? `${answer.status} without the error envelope (${problem}): ${answer.text.slice(0, 200)}` : undefined;
  }
  if (answer.status >= 200 && answer.status < 300 && answer.text) {
    const body = answer.json as { success?: unknown } | undefined;
    if (!body || body.success !== true) return `${answer.status} body is not {success:true,…}: ${answer.text.slice(0, 200)}`;
  }
  return undefined;
}

export type Role = 'customer' | 'seller' | 'admin';

export interface Actor {
  id: string;
  email: string;
  token: string;
  role: Role;
}

/** A fresh verified user of a role with a minted access token (straight into the database: fast). */
export async function newActor(role: Role, tag: string = role): Promise<Actor> {
  const user = await createUserWithToken(role, `sec-${tag}`);
  return { ...user, role };
}

/** Number of rows in `users` (the "database intact" check after injection attempts). */
export async function countUsers(): Promise<number> {
  const [row] = await createDb(env).select({ n: count() }).from(users);
  return row!.n;
}

/** Runs `task` over `items` with at most `limit` in flight (requests overlap their database waits). */
export async function inBatches<T, R>(items: readonly T[], limit: number, task: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

interface WorkCount {
  queries: number;
  hashes: number;
}
const counting = new AsyncLocalStorage<WorkCount>();

/**
 * Runs `work` and counts the database round trips (Neon HTTP queries and batches) and PBKDF2 derivations that
 * `work` itself causes, its `waitUntil` tasks included. All test files of a project share one runtime, so work an
 * earlier file left running (a queue batch, a live push) may query the database meanwhile: it runs in another
 * async context, so it is not counted.
 */
export async function countWork<T>(work: () => Promise<T>): Promise<WorkCount & { result: T }> {
  const originalFetch = neonConfig.fetchFunction as typeof fetch | undefined;
  neonConfig.fetchFunction = (input: RequestInfo | URL, init?: RequestInit) => {
    const tally = counting.getStore();
    if (tally) tally.queries += 1;
    return (originalFetch ?? fetch)(input, init);
  };
  const deriveBits = crypto.subtle.deriveBits.bind(crypto.subtle);
  const derive = vi.spyOn(crypto.subtle, 'deriveBits').mockImplementation((algorithm, baseKey, length) => {
    const tally = counting.getStore();
    if (tally && (algorithm as { name?: string }).name === 'PBKDF2') tally.hashes += 1;
    return deriveBits(algorithm, baseKey, length);
  });
  const tally: WorkCount = { queries: 0, hashes: 0 };
  try {
    const result = await counting.run(tally, work);
    return { ...tally, result };
  } finally {
    neonConfig.fetchFunction = originalFetch;
    derive.mockRestore();
  }
}

/**
 * Serves repeated `requireAuth` session lookups (`select session_version, deleted_at from users where id = $1`)
 * from memory while the returned function has not been called. Only the fuzz uses it: there every request
 * carries the same token, and without the cache each of the thousands of bodies that fail validation would
 * still wait on one database round trip. The authorization and token tests never use it.
 */
export function cacheSessionLookups(): () => void {
  const original = neonConfig.fetchFunction as typeof fetch | undefined;
  const cache = new Map<string, Promise<{ status: number; text: string }>>();
  neonConfig.fetchFunction = async (input: RequestInfo | URL, init?: RequestInit) => {
    const body = typeof init?.body === 'string' ? init.body : '';
    const doFetch = () => (original ?? fetch)(input, init);
    // The query text arrives JSON-encoded: `select \"session_version\", \"deleted_at\" from \"users\" …`.
    if (!/^\{"query":"select \\"session_version\\", \\"deleted_at\\" from \\"users\\"/.test(body)) return doFetch();
    let hit = cache.get(body);
    if (!hit) {
      hit = doFetch().then(async (res) => ({ status: res.status, text: await res.text() }));
      cache.set(body, hit);
    }
    const { status, text } = await hit;
    return new Response(text, { status, headers: { 'content-type': 'application/json' } });
  };
  return () => {
    neonConfig.fetchFunction = original;
  };
}
