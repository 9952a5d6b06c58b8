import { aggregateIdOf, orderEventSchema } from '@/orders';
import { refundOrderPayment } from '@/payments/refunds';
import { chargeCheckout, chargeOrder, type PaymentDeps } from '@/payments/service';
import { storeDeadLetter } from '@/platform/dead-letters';
import { consumeBatch, SAGA_BATCH_CONCURRENCY, type QueueBatch } from '@/platform/queue-consumer';

/**
 * Consumer of `order-events` (the payments side of the saga). `order.created` → one payment per
 * order, charged and its outcome published; `order.cancelled` → refund a COMPLETED payment. Both
 * are idempotent by order id, so redeliveries and the reaper's re-publications are safe. A batch's
 * orders are handled concurrently (one order's events in batch order, see `consumeBatch`).
 */
export async function consumeOrderEvents(deps: PaymentDeps, batch: QueueBatch): Promise<void> {
  await consumeBatch({ logger: deps.logger, deadLetter: (input) => storeDeadLetter(deps.db, input) }, batch, orderEventSchema, async (event) => {
    const logger = deps.logger.child({ correlationId: event.correlationId, orderId: aggregateIdOf(event), type: event.type });
    const scoped = { ...deps, logger };
    if (event.type === 'checkout.created') {
      const payment = await chargeCheckout(scoped, event);
      logger.info('checkout charged', { paymentId: payment.id, status: payment.status });
    } else if (event.type === 'order.created') {
      const payment = await chargeOrder(scoped, event);
      logger.info('order charged', { paymentId: payment.id, status: payment.status });
    } else {
      const payment = await refundOrderPayment(scoped, event);
      logger.info('order cancellation handled', { paymentId: payment?.id ?? null, status: payment?.status ?? null });
    }
  }, { keyOf: aggregateIdOf, concurrency: SAGA_BATCH_CONCURRENCY });
}
