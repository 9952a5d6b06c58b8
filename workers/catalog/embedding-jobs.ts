import type { AppEnv } from '@/env';

/**
 * Asks for a product's embedding to be (re)computed after its name, description or category
 * changed. A no-op where the `EMBEDDING_JOBS` queue is not bound; the search domain owns the
 * binding and the consumer.
 */
export async function enqueueEmbedding(env: AppEnv, productId: number): Promise<void> {
  const queue = (env as { EMBEDDING_JOBS?: Queue }).EMBEDDING_JOBS;
  if (queue) await queue.send({ type: 'product.embed', productId });
}
