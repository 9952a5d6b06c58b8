/**
 * The queue names of wrangler.toml's consumers, in one place. A saga stage is several partitions
 * (`order-events`, `order-events-1` …; workers/platform/saga-queues.ts), dispatched by their stage's name.
 */
export const QUEUES = {
  orderEvents: 'order-events',
  paymentEvents: 'payment-events',
  sagaDeadLetters: 'saga-dlq',
  embeddingJobs: 'embedding-jobs',
  embeddingDeadLetters: 'embedding-jobs-dlq',
} as const;
