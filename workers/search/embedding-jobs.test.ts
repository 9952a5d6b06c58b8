import { createExecutionContext, createMessageBatch, env, getQueueResult } from 'cloudflare:test';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it, vi } from 'vitest';

import { enqueueEmbedding } from '@/catalog/embedding-jobs';
import { embeddingConsumerDepsFromEnv } from '@/composition';
import { handleEmbeddingBatch, handleEmbeddingDeadLetters } from '@/search/embedding-jobs';
import { products } from '@/catalog/tables';
import { productEmbeddings } from '@/search/tables';
import worker from '@/index';
import { createDb } from '@/platform/db';
import { deadLetters } from '@/platform/tables';
import type { Embedder } from '@/search/embedder';
import { productEmbeddingText, sha256Hex } from '@/search/embedding-text';
import { createLocalEmbedder, embedText, LOCAL_EMBEDDER_MODEL } from '@/search/local-embedder';

const db = createDb(env);

async function newProduct(name: string, status: 'ACTIVE' | 'INACTIVE' | 'DELETED' = 'ACTIVE') {
  const [row] = await db
    .insert(products)
    .values({ name, description: 'Queue consumer test item', categoryId: 3, sellerId: crypto.randomUUID(), priceCents: 500, status })
    .returning({ id: products.id });
  return row!.id;
}

const storedVector = async (productId: number) =>
  (await db.select().from(productEmbeddings).where(eq(productEmbeddings.productId, productId)))[0];

let sequence = 0;
const message = (body: unknown, attempts = 1) => ({ id: `msg-${Date.now()}-${sequence++}-${Math.random()}`, timestamp: new Date(), attempts, body });

async function runThroughEntry(queue: string, bodies: unknown[]) {
  const batch = createMessageBatch(queue, bodies.map((body) => message(body)));
  const ctx = createExecutionContext();
  await worker.queue(batch, env, ctx);
  return { batch, result: await getQueueResult(batch, ctx) };
}

describe('embedding-jobs consumer', () => {
  it('is wired to the queue: a job sent with enqueueEmbedding gets the product embedded', async () => {
    const id = await newProduct('Queue Test Hammock');
    await enqueueEmbedding(env.EMBEDDING_JOBS, id);
    await vi.waitFor(async () => expect(await storedVector(id)).toBeDefined(), { timeout: 5_000, interval: 100 });
  });

  it('embeds a product through the Worker entry, storing its model and text hash', async () => {
    const id = await newProduct('Queue Test Lantern');
    const { result } = await runThroughEntry('embedding-jobs', [{ type: 'product.embed', productId: id }]);
    expect(result.explicitAcks).toHaveLength(1);
    expect(result.retryMessages).toHaveLength(0);
    const stored = await storedVector(id);
    const text = productEmbeddingText({ name: 'Queue Test Lantern', description: 'Queue consumer test item', categoryName: 'Home & Kitchen' });
    expect(stored).toMatchObject({ model: LOCAL_EMBEDDER_MODEL, sourceHash: await sha256Hex(text) });
    expect(stored!.embedding[0]).toBeCloseTo(embedText(text)[0]!, 6);
  });

  it('skips a product whose text is unchanged and re-embeds it after an edit', async () => {
    const id = await newProduct('Queue Test Compass');
    await runThroughEntry('embedding-jobs', [{ type: 'product.embed', productId: id }]);
    const first = await storedVector(id);

    const embed = vi.fn(createLocalEmbedder().embed);
    const counting: Embedder = { ...createLocalEmbedder(), embed };
    const again = createMessageBatch('embedding-jobs', [message({ type: 'product.embed', productId: id })]);
    await handleEmbeddingBatch(again, { ...embeddingConsumerDepsFromEnv(env, 'embedding-jobs'), embedder: counting });
    expect(embed).not.toHaveBeenCalled();
    expect((await storedVector(id))!.embeddedAt).toEqual(first!.embeddedAt);

    await db.update(products).set({ name: 'Queue Test Compass Pro' }).where(eq(products.id, id));
    await handleEmbeddingBatch(createMessageBatch('embedding-jobs', [message({ type: 'product.embed', productId: id })]), { ...embeddingConsumerDepsFromEnv(env, 'embedding-jobs'), embedder: counting });
    expect(embed).toHaveBeenCalledOnce();
    expect((await storedVector(id))!.sourceHash).not.toBe(first!.sourceHash);
  });

  it('dead-letters an unparseable body (stage deserialize) and acks it instead of retrying', async () => {
    const bad = { type: 'product.embed', productId: 'seven' };
    const { batch, result } = await runThroughEntry('embedding-jobs', [bad]);
    expect(result.explicitAcks).toEqual([batch.messages[0]!.id]);
    expect(result.retryMessages).toHaveLength(0);
    const [row] = await db
      .select()
      .from(deadLetters)
      .where(and(eq(deadLetters.queue, 'embedding-jobs'), eq(deadLetters.messageId, batch.messages[0]!.id)));
    expect(row).toMatchObject({ errorStage: 'deserialize', attempts: 1 });
    expect(row!.errorReason).toContain('productId');
    expect(JSON.parse(atob(row!.originalBody))).toEqual(bad);
  });

  it('retries only the messages whose product failed to embed, acks the rest', async () => {
    const good = await newProduct('Queue Test Tarp');
    const poisoned = await newProduct('Queue Test Poison');
    const local = createLocalEmbedder();
    const picky: Embedder = {
      ...local,
      embed: async (texts) => {
        if (texts.some((text) => text.includes('Poison'))) throw new Error('model rejected the text');
        return local.embed(texts);
      },
    };
    const batch = createMessageBatch('embedding-jobs', [message({ type: 'product.embed', productId: good }), message({ type: 'product.embed', productId: poisoned })]);
    const ack = vi.spyOn(batch.messages[0]!, 'ack');
    const retry = vi.spyOn(batch.messages[1]!, 'retry');
    const logger = { debug: vi.fn(), info: vi.fn(), warn: vi.fn(), error: vi.fn(), child: vi.fn() };
    await handleEmbeddingBatch(batch, { ...embeddingConsumerDepsFromEnv(env, batch.queue), embedder: picky, logger });
    expect(logger.error).toHaveBeenCalledWith('embedding a product failed', expect.objectContaining({ productId: poisoned }));
    expect(ack).toHaveBeenCalledOnce();
    expect(retry).toHaveBeenCalledOnce();
    expect(await storedVector(good)).toBeDefined();
    expect(await storedVector(poisoned)).toBeUndefined();
  });

  it('acks jobs for missing or DELETED products without writing a vector', async () => {
    const deleted = await newProduct('Queue Test Gone', 'DELETED');
    const { result } = await runThroughEntry('embedding-jobs', [
      { type: 'product.embed', productId: deleted },
      { type: 'product.embed', productId: 987_654_321 },
    ]);
    expect(result.explicitAcks).toHaveLength(2);
    expect(await storedVector(deleted)).toBeUndefined();
  });

  it('keeps jobs that exhausted their retries in dead_letters (stage process)', async () => {
    const batch = createMessageBatch('embedding-jobs-dlq', [message({ type: 'product.embed', productId: 42 }, 4)]);
    const logger = { debug: vi.fn(), info: vi.fn(), warn: vi.fn(), error: vi.fn(), child: vi.fn() };
    await handleEmbeddingDeadLetters(batch, { ...embeddingConsumerDepsFromEnv(env, batch.queue), logger });
    expect(logger.error).toHaveBeenCalledOnce();
    const [row] = await db.select().from(deadLetters).where(and(eq(deadLetters.queue, 'embedding-jobs'), eq(deadLetters.messageId, batch.messages[0]!.id)));
    expect(row).toMatchObject({ errorStage: 'process', attempts: 4, originalKey: '42' });
  });
});
