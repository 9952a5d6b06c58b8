import { createApp } from '@/app';
import { embeddingConsumerDepsFromEnv, handleOrderEventsBatch, handlePaymentEventsBatch, reconcilePaymentsFromEnv, returnDepsFromEnv, runOrderMaintenance } from '@/composition';
import { handleEmbeddingBatch, handleEmbeddingDeadLetters } from '@/search/embedding-jobs';
import { getConfig, type AppEnv } from '@/env';
import { pruneIdentityData } from '@/identity/prune';
import { finishReceivedReturns } from '@/returns/service';
import { handleDeadLetterBatch } from '@/platform/dead-letters';
import { createLogger } from '@/platform/logger';
import { QUEUES } from '@/platform/queues';
import { sagaStageOf } from '@/platform/saga-queues';

export { CartDO } from '@do/cart';

export { StockDO } from '@do/stock';

export { LiveDO } from '@do/live';

export { StockFeedDO } from '@do/stock-feed';

export { WaitingRoomDO } from '@do/waiting-room';

const app = createApp();

export default {
  fetch: app.fetch,

  /** One dispatcher for every queue; each consumer acks or retries per message. */
  async queue(batch, env, _ctx) {
    // Fails closed: with refused settings (workers/env.ts) every message is retried, then dead-lettered, never charged.
    getConfig(env);
    // A saga stage is several queues (workers/platform/saga-queues.ts): one handler serves every partition.
    switch (sagaStageOf(batch.queue) ?? batch.queue) {
      case QUEUES.orderEvents:
        return handleOrderEventsBatch(batch, env);
      case QUEUES.paymentEvents:
        return handlePaymentEventsBatch(batch, env);
      case QUEUES.sagaDeadLetters:
        return handleDeadLetterBatch(batch, env);
      case QUEUES.embeddingJobs:
        return handleEmbeddingBatch(batch, embeddingConsumerDepsFromEnv(env, batch.queue));
      case QUEUES.embeddingDeadLetters:
        return handleEmbeddingDeadLetters(batch, embeddingConsumerDepsFromEnv(env, batch.queue));
      default:
        // An unknown queue is a deployment mistake: retrying would not fix it, so say it loudly and let the messages retry/DLQ.
        createLogger('error').error('no consumer for queue', { queue: batch.queue });
        batch.retryAll();
    }
  },

  /** Every minute: outbox sweep, PENDING reaper, pruning (workers/orders/scheduled.ts), stuck return refunds, payment reconciliation, expired identity rows. */
  async scheduled(controller, env, ctx) {
    getConfig(env);
    ctx.waitUntil(runOrderMaintenance(env));
    ctx.waitUntil(finishReceivedReturns(returnDepsFromEnv(env)).catch(() => 0));
    ctx.waitUntil(reconcilePaymentsFromEnv(env));
    ctx.waitUntil(pruneIdentityData(env, new Date(controller.scheduledTime)));
  },
} satisfies ExportedHandler<AppEnv>;
