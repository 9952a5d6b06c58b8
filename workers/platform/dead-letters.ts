import { and, asc, count, desc, eq, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';

import { recordAdminAction, type AuditActor } from '@/platform/audit';
import { getConfig, type AppEnv } from '@/env';
import { createDb, type Db, type DbDeps, type Queryable } from '@/platform/db';
import { AppError, notFound } from '@/platform/errors';
import { createLogger, describeError, type Logger } from '@/platform/logger';
import { pageOffset } from '@/platform/pagination';
import { consumeBatch, SAGA_MAX_DELIVERIES, type DeadLetterInput, type QueueBatch } from '@/platform/queue-consumer';
import { sagaStageOf, type SagaStage } from '@/platform/saga-queues';
import { deadLetters } from '@/platform/tables';

/** The message body as stored: base64 of its JSON text (or of its bytes). */
function encodeBody(body: unknown): string {
  const bytes = body instanceof ArrayBuffer ? new Uint8Array(body) : body instanceof Uint8Array ? body : new TextEncoder().encode(typeof body === 'string' ? body : (JSON.stringify(body) ?? 'null'));
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

export function decodeBody(base64: string): unknown {
  const text = new TextDecoder().decode(Uint8Array.from(atob(base64), (ch) => ch.charCodeAt(0)));
  return JSON.parse(text);
}

const bodyFields = (body: unknown) => {
  const record = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const text = (value: unknown) => (typeof value === 'string' ? value.slice(0, 128) : null);
  return { originalKey: text(record.orderId) ?? text(record.checkoutId), correlationId: text(record.correlationId), type: text(record.type) };
};

/** Stores one dead letter; a second store of the same (queue, message id) is a no-op. */
export async function storeDeadLetter(db: Queryable, input: DeadLetterInput): Promise<void> {
  const { originalKey, correlationId } = bodyFields(input.body);
  await db
    .insert(deadLetters)
    .values({
      queue: input.queue,
      messageId: input.messageId.slice(0, 128),
      originalBody: encodeBody(input.body),
      originalKey,
      errorStage: input.stage,
      errorReason: input.reason,
      attempts: input.attempts,
      correlationId,
    })
    .onConflictDoNothing();
}

/** Which saga queue a message type travels on (the DLQ copy does not say where it came from). */
function queueForType(type: string | null): 'order-events' | 'payment-events' | null {
  if (type?.startsWith('order.') || type?.startsWith('checkout.')) return 'order-events';
  if (type?.startsWith('payment.')) return 'payment-events';
  return null;
}

/**
 * Consumer of `saga-dlq`: the platform moved a message here after `max_retries` (normally the saga
 * consumer has already stored it on its last delivery; this catches the case where that store failed).
 */
export async function consumeDeadLetterQueue(deps: { db: Db; logger: Logger }, batch: QueueBatch): Promise<void> {
  await consumeBatch({ logger: deps.logger, deadLetter: (input) => storeDeadLetter(deps.db, input) }, batch, z.unknown(), async (body, message) => {
    const { type } = bodyFields(body);
    await storeDeadLetter(deps.db, {
      queue: queueForType(type) ?? batch.queue,
      messageId: message.id,
      body,
      stage: 'process',
      reason: `retries exhausted (${SAGA_MAX_DELIVERIES} deliveries) and moved to ${batch.queue}`,
      attempts: SAGA_MAX_DELIVERIES,
    });
  });
}

export type DeadLetterRow = typeof deadLetters.$inferSelect;

export async function listDeadLetters(db: Queryable, page: { page: number; size: number; sort?: { direction: 'ASC' | 'DESC' } }, onlyOpen: boolean) {
  const where = onlyOpen ? isNull(deadLetters.replayedAt) : undefined;
  const order = page.sort?.direction === 'ASC' ? asc : desc;
  const [rows, [total]] = await Promise.all([
    db.select().from(deadLetters).where(where).orderBy(order(deadLetters.failedAt), order(deadLetters.id)).limit(page.size).offset(pageOffset(page)),
    db.select({ total: count() }).from(deadLetters).where(where),
  ]);
  return { rows, total: total?.total ?? 0 };
}

export async function countOpenDeadLetters(db: Queryable): Promise<number> {
  const [row] = await db.select({ total: count() }).from(deadLetters).where(isNull(deadLetters.replayedAt));
  return row?.total ?? 0;
}

/** What the operator console's dead-letter routes need: the database, the saga's producers (a replay) and a logger. */
export interface DeadLetterDeps extends DbDeps {
  queues: Record<SagaStage, Queue>;
  logger: Logger;
}

/** Builds a request's {@link DeadLetterDeps} (the composition root's `deadLetterDepsFromEnv`). */
export type MakeDeadLetterDeps = (env: AppEnv, logger: Logger) => DeadLetterDeps;

/**
 * Re-enqueues a dead letter to the queue it came from. Idempotent: the row is claimed by stamping
 * `replayed_at` inside a transaction that also sends the message and writes the admin's audit
 * record, so a second replay (or a concurrent one, which waits on the row lock) sends nothing and
 * reports `requeued: false`, and a failed send rolls the claim and the record back.
 */
export async function replayDeadLetter(
  deps: DeadLetterDeps,
  id: number,
  actor: AuditActor,
): Promise<{ row: DeadLetterRow; requeued: boolean }> {
  const [existing] = await deps.db.select().from(deadLetters).where(eq(deadLetters.id, id));
  if (!existing) throw notFound('DEAD_LETTER_NOT_FOUND', `Dead letter ${id} was not found`);
  if (existing.errorStage === 'deserialize') {
    throw new AppError(409, 'DEAD_LETTER_NOT_REPLAYABLE', 'This message could not be parsed; replaying it would fail again');
  }
  // Back to its stage (any partition it failed on): the stage's producer picks the partition by its order id.
  const target = sagaStageOf(existing.queue);
  if (!target) throw new AppError(409, 'DEAD_LETTER_NOT_REPLAYABLE', `Unknown original queue ${existing.queue}`);
  const claimed = await deps.transaction(async (tx) => {
    const [row] = await tx
      .update(deadLetters)
      .set({ replayedAt: sql`now()` })
      .where(and(eq(deadLetters.id, id), isNull(deadLetters.replayedAt)))
      .returning();
    if (!row) return undefined;
    await recordAdminAction(tx, { actor, action: 'dead_letter.replayed', targetType: 'dead_letter', targetId: id, before: { replayedAt: null }, after: { replayedAt: row.replayedAt?.toISOString() ?? null, queue: target, orderId: row.originalKey } });
    try {
      await deps.queues[target].send(decodeBody(row.originalBody), { contentType: 'json' });
    } catch (err) {
      deps.logger.error('dead letter replay failed', { id, ...describeError(err) });
      throw new AppError(503, 'SERVICE_UNAVAILABLE', 'The queue is unavailable, please retry');
    }
    return row;
  });
  if (!claimed) {
    const [current] = await deps.db.select().from(deadLetters).where(eq(deadLetters.id, id));
    return { row: current ?? existing, requeued: false };
  }
  return { row: claimed, requeued: true };
}

/** `saga-dlq` consumer entry. */
export const handleDeadLetterBatch = (batch: MessageBatch, env: AppEnv) =>
  consumeDeadLetterQueue({ db: createDb(env), logger: createLogger(getConfig(env).LOG_LEVEL, { consumer: 'saga-dlq' }) }, batch);
