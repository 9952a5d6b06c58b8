import { and, eq, lt, sql } from 'drizzle-orm';

import type { Db } from '@/platform/db';
import { AppError } from '@/platform/errors';
import { idempotencyKeys } from '@/platform/tables';

/** Keys are kept (and replayed) for 24 hours; the cron prunes expired rows. */
const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;
/**
 * A key whose first request has shown no result for this long is treated as abandoned (the Worker
 * died mid-request) and may be taken over, rather than answering 409 in-flight for a whole day.
 */
const IN_FLIGHT_TIMEOUT_SECONDS = 60;
const KEY_PATTERN = /^[\x20-\x7E]{1,255}$/;

export interface StoredResponse<B = unknown> {
  status: number;
  body: B;
  /** True when this is the stored answer of an earlier request with the same key. */
  replayed: boolean;
}

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Stable JSON: object keys sorted, so the same body always hashes the same. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Validates the header value (IETF draft: a string of printable characters, here at most 255). */
export function parseIdempotencyKey(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (!KEY_PATTERN.test(header)) {
    throw new AppError(400, 'VALIDATION_ERROR', 'Request validation failed', { 'Idempotency-Key': 'Must be 1–255 printable ASCII characters' });
  }
  return header;
}

/** What {@link withIdempotencyKey} hands its `run`: a value stable across takeovers of one key. */
export interface IdempotentRun {
  /**
   * The same for the first request and for any retry that takes an abandoned key over (it changes
   * only when the key expired and is used afresh); `null` without a key. Derive the ids of what
   * `run` creates from it, so a takeover finds the first request's work instead of repeating it.
   */
  seed: string | null;
}

/**
 * Runs `run` at most once per (user, scope, key) — the `Idempotency-Key` semantics of Stripe and
 * the IETF draft: a repeat with the same body replays the stored status and body; a repeat with a
 * different body is 422 `IDEMPOTENCY_KEY_REUSED`; a repeat while the first is still running is 409
 * `IDEMPOTENCY_KEY_IN_FLIGHT`. If the first request throws, its key is deleted so a retry can run.
 * A key with no response after {@link IN_FLIGHT_TIMEOUT_SECONDS} is taken over by the next retry,
 * which runs again with the SAME `seed` (the first request may have committed before it died).
 * Without a key, `run` simply runs.
 */
export async function withIdempotencyKey<B>(
  db: Db,
  request: { userId: string; scope: string; key: string | undefined; body: unknown },
  run: (claim: IdempotentRun) => Promise<{ status: number; body: B }>,
): Promise<StoredResponse<B>> {
  const { userId, scope, key } = request;
  if (key === undefined) return { ...(await run({ seed: null })), replayed: false };
  const requestHash = await sha256Hex(canonicalJson(request.body));
  const row = and(eq(idempotencyKeys.userId, userId), eq(idempotencyKeys.scope, scope), eq(idempotencyKeys.key, key));
  // The key's first claim time, as text (exact to the microsecond), names this use of the key.
  const seedOf = (expiresAt: string) => `${userId}\n${scope}\n${key}\n${expiresAt}`;

  const claim = () =>
    db
      .insert(idempotencyKeys)
      .values({ userId, scope, key, requestHash, expiresAt: sql`now() + make_interval(secs => ${IDEMPOTENCY_TTL_SECONDS})` })
      .onConflictDoNothing()
      .returning({ expiresAt: sql<string>`${idempotencyKeys.expiresAt}::text` });

  let [claimed] = await claim();
  if (!claimed) {
    const [existing] = await db
      .select({
        requestHash: idempotencyKeys.requestHash,
        responseStatus: idempotencyKeys.responseStatus,
        responseBody: idempotencyKeys.responseBody,
        expired: sql<boolean>`${idempotencyKeys.expiresAt} < now()`,
        abandoned: sql<boolean>`${idempotencyKeys.responseStatus} is null and ${idempotencyKeys.createdAt} < now() - make_interval(secs => ${IN_FLIGHT_TIMEOUT_SECONDS})`,
      })
      .from(idempotencyKeys)
      .where(row);
    if (existing && !existing.expired) {
      if (existing.requestHash !== requestHash) {
        throw new AppError(422, 'IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used with a different request body');
      }
      if (existing.responseStatus !== null) return { status: existing.responseStatus, body: existing.responseBody as B, replayed: true };
      if (!existing.abandoned) {
        throw new AppError(409, 'IDEMPOTENCY_KEY_IN_FLIGHT', 'A request with this Idempotency-Key is still being processed', undefined, { 'Retry-After': '1' });
      }
      // Abandoned: take it over in place (one taker wins the conditional update), keeping its seed.
      [claimed] = await db
        .update(idempotencyKeys)
        .set({ createdAt: sql`now()` })
        .where(and(row, sql`${idempotencyKeys.responseStatus} is null and ${idempotencyKeys.createdAt} < now() - make_interval(secs => ${IN_FLIGHT_TIMEOUT_SECONDS})`))
        .returning({ expiresAt: sql<string>`${idempotencyKeys.expiresAt}::text` });
    } else {
      // Expired (or deleted meanwhile): a fresh use of the key.
      await db.delete(idempotencyKeys).where(and(row, sql`${idempotencyKeys.expiresAt} < now()`));
      [claimed] = await claim();
    }
    if (!claimed) throw new AppError(409, 'IDEMPOTENCY_KEY_IN_FLIGHT', 'A request with this Idempotency-Key is still being processed', undefined, { 'Retry-After': '1' });
  }

  let result: { status: number; body: B };
  try {
    result = await run({ seed: seedOf(claimed.expiresAt) });
  } catch (err) {
    await db.delete(idempotencyKeys).where(row).catch(() => undefined);
    throw err;
  }
  await db.update(idempotencyKeys).set({ responseStatus: result.status, responseBody: result.body }).where(row);
  return { ...result, replayed: false };
}

/**
 * A UUID (version 8, RFC 9562 "custom") derived from `seed` with SHA-256: the same seed always
 * gives the same id, so work keyed by it is found again instead of repeated.
 */
export async function idFromSeed(seed: string): Promise<string> {
  const bytes = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(seed))).slice(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x80;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Deletes expired keys (cron). */
export async function pruneIdempotencyKeys(db: Db): Promise<number> {
  const rows = await db.delete(idempotencyKeys).where(lt(idempotencyKeys.expiresAt, sql`now()`)).returning({ key: idempotencyKeys.key });
  return rows.length;
}
