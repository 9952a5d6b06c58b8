import { createApp } from '@/app';
import { handleEmbeddingBatch, handleEmbeddingDeadLetters } from '@/catalog/embedding-jobs';
import type { AppEnv } from '@/env';
import { createLogger } from '@/platform/logger';

export { CartDO } from '@do/cart';

export { StockDO } from '@do/stock';

const app = createApp();

export default {
  fetch: app.fetch,
  async queue(batch, env, _ctx) {
    switch (batch.queue) {
      case 'embedding-jobs':
        return handleEmbeddingBatch(batch, env);
      case 'embedding-jobs-dlq':
        return handleEmbeddingDeadLetters(batch, env);
      default:
        // An unknown queue is a deployment mistake: retrying would not fix it, so say it loudly and let the messages retry/DLQ.
        createLogger('error').error('no consumer for queue', { queue: batch.queue });
        batch.retryAll();
    }
  },
} satisfies ExportedHandler<AppEnv>;
