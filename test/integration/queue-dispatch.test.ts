import { createExecutionContext, createMessageBatch, env, getQueueResult } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';

import { newId } from '@/platform/columns';
import { createDb } from '@/platform/db';
import { deadLetters } from '@/platform/tables';
import worker from '@/index';

const message = (body: unknown, attempts = 1) => ({ id: `m-${newId()}`, timestamp: new Date(), attempts, body });

describe('the Worker entry queue() dispatcher', () => {
  it('routes saga-dlq messages to dead_letters under their original queue and acks them', async () => {
    const orderId = newId();
    const msg = message({ type: 'payment.completed', orderId, correlationId: 'dlq-corr' });
    const batch = createMessageBatch('saga-dlq', [msg]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env, ctx);
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks).toEqual([msg.id]);
    const [row] = await createDb(env).select().from(deadLetters).where(eq(deadLetters.originalKey, orderId));
    expect(row).toMatchObject({ queue: 'payment-events', errorStage: 'process', correlationId: 'dlq-corr' });
  });

  it('dead-letters an unparseable order-events message at once and acks it', async () => {
    const orderId = newId();
    const msg = message({ type: 'order.created', orderId });
    const batch = createMessageBatch('order-events', [msg]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env, ctx);
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks).toEqual([msg.id]);
    expect(result.retryMessages).toEqual([]);
    const [row] = await createDb(env).select().from(deadLetters).where(eq(deadLetters.originalKey, orderId));
    expect(row).toMatchObject({ queue: 'order-events', errorStage: 'deserialize' });
  });

  it('serves every partition of a saga stage with the stage consumer, recording the partition a message failed on', async () => {
    const orderId = newId();
    const msg = message({ type: 'payment.completed', orderId });
    const batch = createMessageBatch('payment-events-2', [msg]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env, ctx);
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks).toEqual([msg.id]);
    const [row] = await createDb(env).select().from(deadLetters).where(eq(deadLetters.originalKey, orderId));
    expect(row).toMatchObject({ queue: 'payment-events-2', errorStage: 'deserialize' });
  });

  it('retries messages of an unknown queue', async () => {
    const batch = createMessageBatch('nobody-listens', [message({ hello: 'world' })]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env, ctx);
    expect((await getQueueResult(batch, ctx)).retryBatch.retry).toBe(true);
  });
});
