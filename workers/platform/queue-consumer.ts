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
export const retryDelaySeconds = (attempts: number) => Math.min(60, 2 ** Math.max(1, attempts));

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

/**
 * Runs one batch message by message: parse with `schema` (unparseable → dead letter at once, stage
 * `deserialize`), then `handle`; success → ack; failure → `retry` with backoff, or on the last
 * delivery (or a {@link PermanentMessageError}) → dead letter (stage `process`) and ack. When the
 * dead letter cannot be stored the message is retried instead, so nothing is acknowledged unrecorded.
 */
export async function consumeBatch<S extends z.ZodType>(
  deps: ConsumerDeps,
  batch: QueueBatch,
  schema: S,
  handle: (message: z.infer<S>, delivery: QueueMessage) => Promise<void>,
): Promise<void> {
  for (const message of batch.messages) {
    const parsed = schema.safeParse(message.body);
    const fields = { queue: batch.queue, messageId: message.id, attempts: message.attempts };
    if (!parsed.success) {
      deps.logger.error('unparseable queue message', { ...fields, issues: parsed.error.issues.slice(0, 5) });
      await deadLetterOrRetry(deps, message, { queue: batch.queue, messageId: message.id, body: message.body, stage: 'deserialize', reason: parsed.error.message.slice(0, 2000), attempts: message.attempts });
      continue;
    }
    try {
      await handle(parsed.data, message);
      message.ack();
    } catch (err) {
      const permanent = err instanceof PermanentMessageError;
      if (!permanent && message.attempts < SAGA_MAX_DELIVERIES) {
        deps.logger.warn('queue message failed, will retry', { ...fields, ...describeError(err) });
        message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
        continue;
      }
      deps.logger.error('queue message dead-lettered', { ...fields, ...describeError(err) });
      const reason = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      await deadLetterOrRetry(deps, message, { queue: batch.queue, messageId: message.id, body: message.body, stage: 'process', reason: reason.slice(0, 2000), attempts: message.attempts });
    }
  }
}

async function deadLetterOrRetry(deps: ConsumerDeps, message: QueueMessage, input: DeadLetterInput): Promise<void> {
  try {
    await deps.deadLetter(input);
    message.ack();
  } catch (err) {
    deps.logger.error('could not store dead letter, retrying the message', { messageId: message.id, ...describeError(err) });
    message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
  }
}
