import { env } from 'cloudflare:test';
import { and, eq, sql } from 'drizzle-orm';
import { describe, expect, it, vi } from 'vitest';

import { createDb } from '@/platform/db';
import { AppError } from '@/platform/errors';
import { idFromSeed, parseIdempotencyKey, pruneIdempotencyKeys, withIdempotencyKey } from '@/platform/idempotency';
import { idempotencyKeys } from '@/platform/tables';

const user = () => crypto.randomUUID();
const scope = 'test.create';

async function codeOf(promise: Promise<unknown>) {
  try {
    await promise;
    return 'no error';
  } catch (err) {
    return err instanceof AppError ? `${err.status} ${err.code}` : String(err);
  }
}

describe('withIdempotencyKey', () => {
  it('runs once and replays the stored status and body for the same key and body', async () => {
    const db = createDb(env);
    const userId = user();
    let runs = 0;
    const run = async () => ({ status: 201, body: { success: true, data: { n: ++runs } } });
    const first = await withIdempotencyKey(db, { userId, scope, key: 'k-1', body: { a: 1, b: [1, 2] } }, run);
    const second = await withIdempotencyKey(db, { userId, scope, key: 'k-1', body: { b: [1, 2], a: 1 } }, run);
    expect(first).toEqual({ status: 201, body: { success: true, data: { n: 1 } }, replayed: false });
    expect(second).toEqual({ status: 201, body: { success: true, data: { n: 1 } }, replayed: true });
    expect(runs).toBe(1);
  });

  it('answers 422 IDEMPOTENCY_KEY_REUSED for the same key with another body', async () => {
    const db = createDb(env);
    const userId = user();
    await withIdempotencyKey(db, { userId, scope, key: 'k', body: { a: 1 } }, async () => ({ status: 201, body: 'x' }));
    expect(await codeOf(withIdempotencyKey(db, { userId, scope, key: 'k', body: { a: 2 } }, async () => ({ status: 201, body: 'y' })))).toBe('422 IDEMPOTENCY_KEY_REUSED');
  });

  it('answers 409 IDEMPOTENCY_KEY_IN_FLIGHT while the first request runs', async () => {
    const db = createDb(env);
    const userId = user();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const first = withIdempotencyKey(db, { userId, scope, key: 'slow', body: {} }, async () => {
      started();
      await gate;
      return { status: 201, body: 'done' };
    });
    // The handler runs only once the key is claimed.
    await running;
    expect(await codeOf(withIdempotencyKey(db, { userId, scope, key: 'slow', body: {} }, async () => ({ status: 201, body: 'other' })))).toBe('409 IDEMPOTENCY_KEY_IN_FLIGHT');
    release();
    expect((await first).body).toBe('done');
  });

  it('forgets the key when the first request fails, so a retry runs', async () => {
    const db = createDb(env);
    const userId = user();
    const failing = withIdempotencyKey(db, { userId, scope, key: 'f', body: {} }, async () => {
      throw new AppError(409, 'INSUFFICIENT_STOCK', 'short');
    });
    expect(await codeOf(failing)).toBe('409 INSUFFICIENT_STOCK');
    const retry = await withIdempotencyKey(db, { userId, scope, key: 'f', body: {} }, async () => ({ status: 201, body: 'ok' }));
    expect(retry).toEqual({ status: 201, body: 'ok', replayed: false });
  });

  it('scopes keys per user and takes over expired keys; the pruner deletes expired rows', async () => {
    const db = createDb(env);
    const [a, b] = [user(), user()];
    await withIdempotencyKey(db, { userId: a, scope, key: 'shared', body: { a: 1 } }, async () => ({ status: 201, body: 'a' }));
    expect((await withIdempotencyKey(db, { userId: b, scope, key: 'shared', body: { b: 1 } }, async () => ({ status: 201, body: 'b' }))).replayed).toBe(false);

    const row = and(eq(idempotencyKeys.userId, a), eq(idempotencyKeys.key, 'shared'));
    await db.update(idempotencyKeys).set({ expiresAt: sql`now() - interval '1 minute'` }).where(row);
    expect((await withIdempotencyKey(db, { userId: a, scope, key: 'shared', body: { a: 2 } }, async () => ({ status: 201, body: 'new' }))).body).toBe('new');

    await db.update(idempotencyKeys).set({ expiresAt: sql`now() - interval '1 minute'` }).where(row);
    expect(await pruneIdempotencyKeys(db)).toBeGreaterThanOrEqual(1);
    expect(await db.select().from(idempotencyKeys).where(row)).toHaveLength(0);
  });

  it('hands a takeover of an abandoned key the same seed as the first run; an expired key gets a new one', async () => {
    const db = createDb(env);
    const userId = user();
    const seeds: (string | null)[] = [];
    const row = and(eq(idempotencyKeys.userId, userId), eq(idempotencyKeys.key, 'seeded'));
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const first = withIdempotencyKey(db, { userId, scope, key: 'seeded', body: {} }, async ({ seed }) => {
      seeds.push(seed);
      await held;
      return { status: 201, body: 'first' };
    });
    await vi.waitFor(() => expect(seeds).toHaveLength(1));
    await db.update(idempotencyKeys).set({ createdAt: sql`now() - interval '5 minutes'` }).where(row);
    expect(await codeOf(withIdempotencyKey(db, { userId, scope, key: 'seeded', body: { other: 1 } }, async () => ({ status: 201, body: 'x' })))).toBe('422 IDEMPOTENCY_KEY_REUSED');
    const takeover = await withIdempotencyKey(db, { userId, scope, key: 'seeded', body: {} }, async ({ seed }) => {
      seeds.push(seed);
      return { status: 201, body: 'takeover' };
    });
    expect(takeover.body).toBe('takeover');
    release();
    await first;
    expect(seeds[1]).toBe(seeds[0]);
    expect(await idFromSeed(seeds[0]!)).toBe(await idFromSeed(seeds[1]!));
    expect(await idFromSeed(seeds[0]!)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);

    await db.update(idempotencyKeys).set({ expiresAt: sql`now() - interval '1 minute'` }).where(row);
    await withIdempotencyKey(db, { userId, scope, key: 'seeded', body: {} }, async ({ seed }) => {
      seeds.push(seed);
      return { status: 201, body: 'fresh' };
    });
    expect(seeds[2]).not.toBe(seeds[0]);
    expect(await withIdempotencyKey(db, { userId, scope, key: undefined, body: {} }, async ({ seed }) => ({ status: 200, body: seed }))).toMatchObject({ body: null });
  });

  it('accepts printable keys up to 255 characters only', () => {
    expect(parseIdempotencyKey(undefined)).toBeUndefined();
    expect(parseIdempotencyKey('a'.repeat(255))).toBe('a'.repeat(255));
    expect(() => parseIdempotencyKey('a'.repeat(256))).toThrow(AppError);
    expect(() => parseIdempotencyKey('bad\nkey')).toThrow(AppError);
    expect(() => parseIdempotencyKey('')).toThrow(AppError);
  });
});
