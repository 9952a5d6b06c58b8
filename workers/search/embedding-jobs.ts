import { embeddingJobSchema } from '@/catalog';
import { QUEUES } from '@/platform/queues';
import type { Db } from '@/platform/db';
import { describeError, type Logger } from '@/platform/logger';
import { deadLetters, type DeadLetterStage } from '@/platform/tables';
import type { Embedder } from '@/search/embedder';
import { embedProducts } from '@/search/embedding-store';

export interface EmbeddingConsumerDeps {
  db: Db;
  embedder: Embedder;
  logger: Logger;
}

function toBase64(body: unknown): string {
  let text: string;
  try {
    text = typeof body === 'string' ? body : (JSON.stringify(body) ?? String(body));
  } catch {
    text = String(body);
  }
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

async function recordDeadLetter(db: Db, queue: string, message: Message, stage: DeadLetterStage, reason: string): Promise<void> {
  const body = message.body as { correlationId?: unknown; productId?: unknown } | null;
  await db
    .insert(deadLetters)
    .values({
      queue,
      messageId: message.id,
      originalBody: toBase64(message.body),
      originalKey: typeof body?.productId === 'number' ? String(body.productId) : null,
      errorStage: stage,
      errorReason: reason.slice(0, 2_000),
      attempts: message.attempts,
      correlationId: typeof body?.correlationId === 'string' ? body.correlationId.slice(0, 128) : null,
    })
    .onConflictDoNothing();
}

/**
 * Consumer of `embedding-jobs`. Idempotent by product id: a job whose text hash and model match the
 * stored vector writes nothing. Valid jobs are embedded together (one embedder call per 32); if that
 * fails, each product is tried alone so one bad product cannot hold back the rest, and only the failing
 * messages are retried (after `max_retries` they land on `embedding-jobs-dlq`). Bodies that do not parse
 * are written to `dead_letters` (stage `deserialize`) and acked — retrying cannot fix them.
 */
export async function handleEmbeddingBatch(batch: MessageBatch, { db, logger, embedder }: EmbeddingConsumerDeps): Promise<void> {

  const jobs = new Map<number, Message[]>();
  for (const message of batch.messages) {
    const parsed = embeddingJobSchema.safeParse(message.body);
    if (!parsed.success) {
      try {
        await recordDeadLetter(db, batch.queue, message, 'deserialize', `invalid embedding job: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || '_'}: ${issue.message}`).join('; ')}`);
        logger.warn('unparseable embedding job dead-lettered', { messageId: message.id });
        message.ack();
      } catch (err) {
        logger.error('could not dead-letter an embedding job', { ...describeError(err), messageId: message.id });
        message.retry();
      }
      continue;
    }
    jobs.set(parsed.data.productId, [...(jobs.get(parsed.data.productId) ?? []), message]);
  }
  if (jobs.size === 0) return;

  try {
    const result = await embedProducts(db, embedder, { productIds: [...jobs.keys()] });
    logger.info('embedding jobs done', { embedded: result.embedded.length, unchanged: result.unchanged.length, messages: batch.messages.length });
    for (const messages of jobs.values()) for (const message of messages) message.ack();
    return;
  } catch (err) {
    logger.warn('embedding batch failed, trying products one by one', describeError(err));
  }
  for (const [productId, messages] of jobs) {
    try {
      await embedProducts(db, embedder, { productIds: [productId] });
      for (const message of messages) message.ack();
    } catch (err) {
      logger.error('embedding a product failed', { ...describeError(err), productId });
      for (const message of messages) message.retry();
    }
  }
}

/**
 * Consumer of `embedding-jobs-dlq`: jobs that failed `max_retries` times are kept in `dead_letters`
 * (stage `process`, queue `embedding-jobs` so a replay goes back there) and acked.
 */
export async function handleEmbeddingDeadLetters(batch: MessageBatch, { db, logger }: Pick<EmbeddingConsumerDeps, 'db' | 'logger'>): Promise<void> {
  for (const message of batch.messages) {
    try {
      await recordDeadLetter(db, QUEUES.embeddingJobs, message, 'process', 'embedding failed after the maximum number of retries');
      logger.error('embedding job exhausted its retries', { messageId: message.id });
      message.ack();
    } catch (err) {
      logger.error('could not record a dead embedding job', { ...describeError(err), messageId: message.id });
      message.retry();
    }
  }
}
