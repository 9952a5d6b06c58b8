import { env } from 'cloudflare:test';
import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';

import { attemptKeys, clearLoginFailures, reserveLoginAttempt } from '@/identity/lockout';
import { loginAttempts } from '@/identity/tables';
import { createDb, withTransaction } from '@/platform/db';
import { deferred, lockWaiters, type LockWaiter } from '@test/support/pg-locks';

/**
 * A login's reservation (one statement: the account throttle, then the email and pair records) racing another
 * login's clear of the same account. The clear locks its rows in the reservation's order (`deleteLoginRecords`),
 * so it waits for the account throttle's row before taking any other: neither can hold a row the other waits for.
 * A third transaction holds the email's row, so the reservation stops after taking the account's; the test then
 * looks at who waits for whom in PostgreSQL.
 */

const waiting = (all: LockWaiter[], cte: string) => all.find((waiter) => waiter.query.includes(`with "${cte}"`));

describe('login records: a reservation and a clear of one account', () => {
  it('the clear waits behind the reservation for the account row, holding none of the rows the reservation still needs', { timeout: 60_000 }, async () => {
    // The email sorts before the `account:` key and its row is written first: a clear that took rows in scan or
    // key order would take the email's row first.
    const email = `aaa-lock-${crypto.randomUUID()}@example.com`;
    const now = new Date();
    const first = await attemptKeys(email, '198.51.100.1');
    const second = await attemptKeys(email, '198.51.100.2');
    const db = createDb(env);
    await db.insert(loginAttempts).values([email, first.pairKey, first.accountKey].map((key) => ({ email: key, failures: 1, firstFailureAt: now })));

    const release = deferred();
    const held = deferred();
    const holder = withTransaction(env, async (tx) => {
      await tx.select().from(loginAttempts).where(eq(loginAttempts.email, email)).for('update');
      held.resolve();
      await release.promise;
    });
    await held.promise;

    const reserving = reserveLoginAttempt(db, second, now);
    await expect.poll(async () => waiting(await lockWaiters(), 'throttle') !== undefined, { timeout: 15_000, interval: 50 }).toBe(true);
    const clearing = clearLoginFailures(db, first);
    await expect
      .poll(
        async () => {
          const all = await lockWaiters();
          const reservation = waiting(all, 'throttle');
          const clear = waiting(all, 'locked');
          return clear && reservation ? clear.blockers.includes(reservation.pid) : false;
        },
        { timeout: 15_000, interval: 50 },
      )
      .toBe(true);

    release.resolve();
    await holder;
    await expect(reserving).resolves.toMatchObject({ admitted: true, email: { failures: 2 }, pair: { failures: 1 } });
    await expect(clearing).resolves.toBeUndefined();
    const left = await db.select({ key: loginAttempts.email }).from(loginAttempts).where(sql`${loginAttempts.email} in (${email}, ${first.pairKey}, ${second.pairKey}, ${first.accountKey})`);
    expect(left.map((row) => row.key)).toEqual([second.pairKey]);
  });
});
