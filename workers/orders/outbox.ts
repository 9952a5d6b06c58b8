import { and, count, isNull, lt, sql } from 'drizzle-orm';

import { outbox } from '@/orders/tables';
import type { Queryable } from '@/platform/db';

/** Outbox rows still unpublished after `olderThanSeconds`: a growing number means the queue path is broken. */
export async function countStaleOutboxRows(db: Queryable, olderThanSeconds: number): Promise<number> {
  const [row] = await db
    .select({ stale: count() })
    .from(outbox)
    .where(and(isNull(outbox.publishedAt), lt(outbox.createdAt, sql`now() - make_interval(secs => ${olderThanSeconds})`)));
  return row?.stale ?? 0;
}
