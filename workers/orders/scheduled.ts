import { prunePublishedOutbox, publishOutboxRows, sweepOutbox } from '@/orders/outbox';
import type { OrderConsumerDeps } from '@/orders/consumer';
import { cancelTimedOutOrders, releaseShippedEarnings, requeueStuckOrders } from '@/orders/maintenance';
import { pruneIdempotencyKeys } from '@/platform/idempotency';
import { describeError } from '@/platform/logger';

/**
 * The every-minute cron: resend outbox rows unpublished for >30 s, re-publish
 * `order.created` for stuck PENDING orders (≤5 times), cancel PENDING orders past the reservation
 * TTL, release sellers' earnings of orders shipped 14 days ago, and prune expired idempotency keys and week-old
 * published outbox rows. Each step is
 * independent: one failing does not stop the others.
 */
export async function runScheduledMaintenance(deps: OrderConsumerDeps): Promise<Record<string, number>> {
  const report: Record<string, number> = {};
  const step = async (name: string, fn: () => Promise<number>) => {
    try {
      report[name] = await fn();
    } catch (err) {
      report[name] = -1;
      deps.logger.error(`cron step ${name} failed`, describeError(err));
    }
  };
  await step('requeued', async () => {
    const ids = await requeueStuckOrders(deps.db);
    await publishOutboxRows(deps.db, deps.orderEvents, ids, deps.logger);
    return ids.length;
  });
  await step('timedOut', async () => {
    const { cancelled, outboxIds } = await cancelTimedOutOrders(deps);
    await publishOutboxRows(deps.db, deps.orderEvents, outboxIds, deps.logger);
    return cancelled.length;
  });
  await step('resent', () => sweepOutbox(deps.db, deps.orderEvents, deps.logger));
  await step('releasedEarnings', () => releaseShippedEarnings(deps.db, deps.transaction));
  await step('prunedKeys', () => pruneIdempotencyKeys(deps.db));
  await step('prunedOutbox', () => prunePublishedOutbox(deps.db));
  deps.logger.info('cron maintenance', report);
  return report;
}
