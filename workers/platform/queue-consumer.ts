import type { z } from 'zod';

import type { Logger } from '@/platform/logger';
import { describeError } from '@/platform/logger';
import type { DeadLetterStage } from '@/platform/tables';

/**
 * Deliveries of one saga message before it is dead-lettered: `max_retries = 4` in wrangler.toml,
 * so the platform gives up after the 5th delivery; the consumer records the dead letter itself on
 * that last delivery so the row carries the real error (the DLQ copy cannot say why it failed).
 */
export const SAGA_MAX_DELIVERIES = 5;
/** The backoff between redeliveries, in seconds: 2, 4, 8, 16 … capped at a minute. */
const retryDelaySeconds = (attempts: number) => Math.min(60, 2 ** Math.max(1, attempts));

/**
 * Orders of one saga batch in progress at once. Each holds at most one database connection and one
 * outgoing call at a time; the local database serialises transactions anyway, and in production a
 * Worker invocation keeps only six connections open at once (the rest wait), so more would only
 * queue. Throughput beyond this comes from larger batches and concurrent invocations (wrangler.toml).
 */
export const SAGA_BATCH_CONCURRENCY = 16;

/** An error that no retry can fix (a contract violation): dead-lettered at once instead of retried. */
export class PermanentMessageError extends Error {
  override readonly name = 'PermanentMessageError';
}

export interface DeadLetterInput {
  queue: string;
  messageId: string;
  body: unknown;
  stage: DeadLetterStage;
  reason: string;
  attempts: number;
}

export interface ConsumerDeps {
  logger: Logger;
  /** Stores a dead letter; throws if it could not (then the message is retried, never lost). */
  deadLetter(input: DeadLetterInput): Promise<void>;
}

/** The subset of a queue message the consumers use, so tests can pass plain fakes. */
export interface QueueMessage {
  readonly id: string;
  readonly body: unknown;
  readonly attempts: number;
  ack(): void;
  retry(options?: { delaySeconds?: number }): void;
}

export interface QueueBatch {
  readonly queue: string;
  readonly messages: readonly QueueMessage[];
}

/** How the messages of one batch are scheduled. */
export interface BatchOptions<T> {
  /**
   * Messages with the same key (the saga uses the order id) run one after another in batch order;
   * messages with different keys never wait for each other. Without it every message is its own key.
   */
  keyOf?: (message: T) => string;
  /** At most this many keys are in progress at once (default 1: the whole batch in sequence). */
  concurrency?: number;
}

/** What happened to one message: acknowledged (handled or dead-lettered), or retried after `delaySeconds`. */
type Settled = { retried: false } | { retried: true; delaySeconds: number };

/**
 * Runs one batch: parse each message with `schema` (unparseable → dead letter at once, stage
 * `deserialize`), then `handle`; success → ack; failure → `retry` with backoff, or on the last
 * delivery (or a {@link PermanentMessageError}) → dead letter (stage `process`) and ack. When the
 * dead letter cannot be stored the message is retried instead, so nothing is acknowledged unrecorded.
 *
 * Scheduling ({@link BatchOptions}): keys run concurrently up to `concurrency`, one key's messages in
 * batch order. A message that is retried holds back the later messages of its key (they are retried
 * with the same delay, unprocessed, so the key's order survives the retry), except a message on its
 * last delivery, which runs rather than expire unprocessed. Each message is settled on its own: a
 * failure never re-runs or holds back another key's messages.
 */
export async function consumeBatch<S extends z.ZodType>(
  deps: ConsumerDeps,
  batch: QueueBatch,
  schema: S,
  handle: (message: z.infer<S>, delivery: QueueMessage) => Promise<void>,
  options: BatchOptions<z.infer<S>> = {},
): Promise<void> {
  const groups = new Map<string, { message: QueueMessage; data: z.infer<S> }[]>();
  const tasks: (() => Promise<unknown>)[] = [];
  batch.messages.forEach((message, index) => {
    const parsed = schema.safeParse(message.body);
    if (!parsed.success) {
      deps.logger.error('unparseable queue message', { queue: batch.queue, messageId: message.id, attempts: message.attempts, issues: parsed.error.issues.slice(0, 5) });
      tasks.push(() => deadLetterOrRetry(deps, message, { queue: batch.queue, messageId: message.id, body: message.body, stage: 'deserialize', reason: parsed.error.message.slice(0, 2000), attempts: message.attempts }));
      return;
    }
    const key = options.keyOf ? options.keyOf(parsed.data) : `#${index}`;
    let group = groups.get(key);
    if (!group) {
      const members: { message: QueueMessage; data: z.infer<S> }[] = [];
      groups.set(key, members);
      tasks.push(() => runInOrder(deps, batch.queue, members, handle));
      group = members;
    }
    group.push({ message, data: parsed.data });
  });
  await runBounded(tasks, options.concurrency ?? 1);
}

/** One key's messages in batch order; a retried message holds back the ones after it. */
async function runInOrder<T>(deps: ConsumerDeps, queue: string, members: { message: QueueMessage; data: T }[], handle: (message: T, delivery: QueueMessage) => Promise<void>): Promise<void> {
  let heldBack: number | undefined;
  for (const { message, data } of members) {
    if (heldBack !== undefined && message.attempts < SAGA_MAX_DELIVERIES) {
      deps.logger.info('queue message held back behind a retried message of the same key', { queue, messageId: message.id, attempts: message.attempts });
      message.retry({ delaySeconds: heldBack });
      continue;
    }
    const settled = await handleOne(deps, queue, message, data, handle);
    if (settled.retried) heldBack = settled.delaySeconds;
  }
}

async function handleOne<T>(deps: ConsumerDeps, queue: string, message: QueueMessage, data: T, handle: (message: T, delivery: QueueMessage) => Promise<void>): Promise<Settled> {
  const fields = { queue, messageId: message.id, attempts: message.attempts };
  try {
    await handle(data, message);
    message.ack();
    return { retried: false };
  } catch (err) {
    const permanent = err instanceof PermanentMessageError;
    if (!permanent && message.attempts < SAGA_MAX_DELIVERIES) {
      deps.logger.warn('queue message failed, will retry', { ...fields, ...describeError(err) });
      const delaySeconds = retryDelaySeconds(message.attempts);
      message.retry({ delaySeconds });
      return { retried: true, delaySeconds };
    }
    deps.logger.error('queue message dead-lettered', { ...fields, ...describeError(err) });
    const reason = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    return deadLetterOrRetry(deps, message, { queue, messageId: message.id, body: message.body, stage: 'process', reason: reason.slice(0, 2000), attempts: message.attempts });
  }
}

/**
 * Runs `tasks` with at most `limit` in flight; resolves when all have settled and then rethrows the
 * first failure (a handler that escaped its own error handling: the platform retries what is unacked).
 */
async function runBounded(tasks: readonly (() => Promise<unknown>)[], limit: number): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (next < tasks.length) {
      const task = tasks[next++]!;
      try {
        await task();
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, tasks.length)) }, worker));
  if (failure) throw failure.error;
}

async function deadLetterOrRetry(deps: ConsumerDeps, message: QueueMessage, input: DeadLetterInput): Promise<Settled> {
  try {
    await deps.deadLetter(input);
    message.ack();
    return { retried: false };
  } catch (err) {
    deps.logger.error('could not store dead letter, retrying the message', { messageId: message.id, ...describeError(err) });
    const delaySeconds = retryDelaySeconds(message.attempts);
    message.retry({ delaySeconds });
    return { retried: true, delaySeconds };
  }
}
