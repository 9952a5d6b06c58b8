import { z } from 'zod';

/**
 * The one message on `embedding-jobs`: (re)embed this product. Extra fields are tolerated (forward compatible).
 * The catalog announces that a product's text may have changed; search consumes it (workers/search/embedding-jobs.ts).
 */
export const embeddingJobSchema = z.object({
  type: z.literal('product.embed'),
  productId: z.number().int().positive(),
  correlationId: z.string().max(128).optional(),
});
export type EmbeddingJob = z.infer<typeof embeddingJobSchema>;

/** The `embedding-jobs` queue as the catalog sends to it (the composition root hands it over; null where unbound). */
export type EmbeddingJobQueue = Pick<Queue<EmbeddingJob>, 'send'>;

/**
 * Asks for a product's vector to be (re)computed. Call it after the product's transaction committed
 * (a job that runs first would embed the old text). A no-op where the queue binding is absent.
 */
export async function enqueueEmbedding(queue: EmbeddingJobQueue | null, productId: number, correlationId?: string): Promise<void> {
  if (!queue) return;
  const job: EmbeddingJob = { type: 'product.embed', productId, ...(correlationId ? { correlationId } : {}) };
  await queue.send(job);
}
