import { env } from 'cloudflare:test';
import { sql } from 'drizzle-orm';

import { createDb } from '@/platform/db';

/** A backend of the test database waiting on a lock right now, and the backends it waits for (PostgreSQL only). */
export interface LockWaiter {
  pid: number;
  blockers: number[];
  query: string;
}

export async function lockWaiters(): Promise<LockWaiter[]> {
  const result = await createDb(env).execute(
    sql`select pid, pg_blocking_pids(pid) as blockers, query from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`,
  );
  return result.rows as unknown as LockWaiter[];
}

/** A promise the test settles itself: hold a step with `promise`, let it go with `resolve`. */
export function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((settle) => (resolve = settle));
  return { promise, resolve };
}
