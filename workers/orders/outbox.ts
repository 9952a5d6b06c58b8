import { and, asc, count, inArray, isNotNull, isNull, lt, sql } from 'drizzle-orm';

import { outbox } from '@/orders/tables';
import type { Db, Queryable } from '@/platform/db';
import { describeError, type Logger } from '@/platform/logger';

/** Outbox rows still unpublished after `olderThanSeconds`: a growing number means the queue path is broken. */
export async function countStaleOutboxRows(db: Queryable, olderThanSeconds: number): Promise<number> {
  const [row] = await db
    .select({ stale: count() })
    .from(outbox)
    .where(and(isNull(outbox.publishedAt), lt(outbox.createdAt, sql`now() - make_interval(secs => ${olderThanSeconds})`)));
  return row?.stale ?? 0;
}

/** Rows the sweep resends: unpublished for longer than this (the request's own relay had its chance). */
export const OUTBOX_RESEND_AFTER_SECONDS = 30;
/** Published rows are kept this long for inspection, then pruned by the cron. */
const OUTBOX_RETENTION_DAYS = 7;

type OutboxRow = Pick<typeof outbox.$inferSelect, 'id' | 'payload'>;

async function send(db: Db, queue: Queue, rows: OutboxRow[], logger: Logger): Promise<number> {
  if (rows.length === 0) return 0;
  const ids = rows.map((row) => row.id);
  try {
    await queue.sendBatch(rows.map((row) => ({ body: row.payload, contentType: 'json' as const })));
  } catch (err) {
    logger.error('outbox relay failed', { ids, ...describeError(err) });
    const message = err instanceof Error ? err.message : String(err);
    await db
      .update(outbox)
      .set({ attempts: sql`${outbox.attempts} + 1`, lastError: message.slice(0, 1000) })
      .where(inArray(outbox.id, ids))
      .catch(() => undefined);
    return 0;
  }
  await db
    .update(outbox)
    .set({ publishedAt: sql`now()`, attempts: sql`${outbox.attempts} + 1`, lastError: null })
    .where(and(inArray(outbox.id, ids), isNull(outbox.publishedAt)));
  return rows.length;
}

/**
 * Relays just-committed outbox rows to `order-events` and stamps `published_at` (run via
 * `waitUntil` after the response). A failure leaves them for {@link sweepOutbox}; consumers are
 * idempotent, so the rare double send (relay and sweep racing) is harmless.
 */
export async function publishOutboxRows(db: Db, queue: Queue, ids: number[], logger: Logger): Promise<number> {
  if (ids.length === 0) return 0;
  const rows = await db.select({ id: outbox.id, payload: outbox.payload }).from(outbox).where(and(inArray(outbox.id, ids), isNull(outbox.publishedAt)));
  return send(db, queue, rows, logger);
}

/**
 * Relays rows the caller just committed and still holds (`OrderChange.outboxRows`): one `sendBatch` and
 * the stamp, without reading the payloads back. Same failure handling as {@link publishOutboxRows}.
 */
export async function publishOutboxPayloads(db: Db, queue: Queue, rows: OutboxRow[], logger: Logger): Promise<number> {
  return send(db, queue, rows, logger);
}

/** Cron: resends rows still unpublished after {@link OUTBOX_RESEND_AFTER_SECONDS}, oldest first. */
export async function sweepOutbox(db: Db, queue: Queue, logger: Logger, limit = 100): Promise<number> {
  const rows = await db
    .select({ id: outbox.id, payload: outbox.payload })
    .from(outbox)
    .where(and(isNull(outbox.publishedAt), lt(outbox.createdAt, sql`now() - make_interval(secs => ${OUTBOX_RESEND_AFTER_SECONDS})`)))
    .orderBy(asc(outbox.id))
    .limit(limit);
  return send(db, queue, rows, logger);
}

/** Cron: deletes published rows older than {@link OUTBOX_RETENTION_DAYS}. */
export async function prunePublishedOutbox(db: Db): Promise<number> {
  const rows = await db
    .delete(outbox)
    .where(and(isNotNull(outbox.publishedAt), lt(outbox.publishedAt, sql`now() - make_interval(days => ${OUTBOX_RETENTION_DAYS})`)))
    .returning({ id: outbox.id });
  return rows.length;
}
