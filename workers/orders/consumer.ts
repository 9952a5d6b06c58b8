import { publishOutboxRows } from '@/orders/outbox';
import { type OrderDeps } from '@/orders/model';
import { applyPaymentCompleted, applyPaymentFailed } from '@/orders/payment-events';
import { paymentEventSchema } from '@/orders/messages';
import { createCoalescer } from '@/platform/coalesce';
import { storeDeadLetter } from '@/platform/dead-letters';
import { consumeBatch, SAGA_BATCH_CONCURRENCY, type QueueBatch } from '@/platform/queue-consumer';

export interface OrderConsumerDeps extends OrderDeps {
  /** `order-events`, for the refund request a late `payment.completed` produces. */
  orderEvents: Queue;
}

/**
 * Consumer of `payment-events` (the orders side of the saga): applies `payment.completed` /
 * `payment.failed` to the order under its row lock. Idempotent by order id + payment id:
 * duplicates and late events only re-run idempotent stock steps or do nothing. A failed stock step
 * throws, so the message is retried (and the retry re-runs the step); the delivery number lets the
 * last delivery settle a stock commit that keeps failing instead of dead-lettering it. A batch's orders are handled
 * concurrently (one order's events in batch order, see `consumeBatch`); the outbox rows they write
 * are relayed together (one read, one `sendBatch`, one stamp per flush).
 */
export async function consumePaymentEvents(deps: OrderConsumerDeps, batch: QueueBatch): Promise<void> {
  const relay = createCoalescer<number[]>(async (groups) => {
    await publishOutboxRows(deps.db, deps.orderEvents, groups.flat(), deps.logger);
  });
  await consumeBatch(
    { logger: deps.logger, deadLetter: (input) => storeDeadLetter(deps.db, input) },
    batch,
    paymentEventSchema,
    async (event, delivery) => {
      const logger = deps.logger.child({ correlationId: event.correlationId, orderId: event.orderId, type: event.type });
      const result =
        event.type === 'payment.completed' ? await applyPaymentCompleted({ ...deps, logger }, event, { attempts: delivery.attempts }) : await applyPaymentFailed({ ...deps, logger }, event);
      logger.info('payment event applied', { outcome: result.outcome, status: result.status });
      // The outbox sweep resends these if this relay fails, so it never fails the message.
      if (result.outboxIds.length > 0) await relay(result.outboxIds).catch(() => undefined);
    },
    { keyOf: (event) => event.orderId, concurrency: SAGA_BATCH_CONCURRENCY },
  );
}
