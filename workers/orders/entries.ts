/**
 * The orders domain's entries for the Worker's queue and cron handlers (workers/index.ts), apart from deps.ts so that
 * importing the orders front door never loads the consumer and the cron jobs (and the modules they import) with it.
 */
import type { AppEnv } from '@/env';
import { consumePaymentEvents } from '@/orders/consumer';
import { orderDepsFromEnv } from '@/orders/deps';
import { runScheduledMaintenance } from '@/orders/scheduled';
import { openTransactionPool } from '@/platform/db';
import { SAGA_BATCH_CONCURRENCY } from '@/platform/queue-consumer';

/**
 * `payment-events` consumer entry: the orders side of the saga with the real collaborators; the
 * batch's transactions share one pool of WebSocket connections, closed when the batch is done.
 */
export async function handlePaymentEventsBatch(batch: MessageBatch, env: AppEnv): Promise<void> {
  const pool = openTransactionPool(env, SAGA_BATCH_CONCURRENCY);
  try {
    await consumePaymentEvents({ ...orderDepsFromEnv(env), transaction: (fn) => pool.transaction(fn) }, batch);
  } finally {
    await pool.close();
  }
}

/** Cron entry: outbox sweep, reaper and pruning with the real collaborators. */
export const runScheduled = (env: AppEnv) => runScheduledMaintenance(orderDepsFromEnv(env));
