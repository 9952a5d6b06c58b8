import { createApp } from '@/app';
import type { AppEnv } from '@/env';
import { handleOrderEventsBatch } from '@/payments/consumer';
import { handleDeadLetterBatch } from '@/platform/dead-letters';
import { createLogger } from '@/platform/logger';

export { CartDO } from '@do/cart';

const app = createApp();

export default {
  fetch: app.fetch,

  /** One dispatcher for every queue; each consumer acks or retries per message. */
  async queue(batch, env) {
    switch (batch.queue) {
      case 'order-events':
        return handleOrderEventsBatch(batch, env);
      case 'saga-dlq':
        return handleDeadLetterBatch(batch, env);
      default:
        createLogger('error').error('message from an unknown queue, retrying', { queue: batch.queue, count: batch.messages.length });
        batch.retryAll();
    }
  },
} satisfies ExportedHandler<AppEnv>;
