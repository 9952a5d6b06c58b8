import { cartStub, removeOrderedFromCart } from '@/cart';
import { commitStock, releaseStock, reserveStock, restockStock } from '@/catalog';
import { getConfig, type AppEnv } from '@/env';
import type { OrderConsumerDeps } from '@/orders/consumer';
import { publishOutboxRows } from '@/orders/outbox';
import { commissionBpsFromEnv } from '@/marketplace';
import { applyCheckoutPaymentCompleted, applyPaymentCompleted } from '@/orders/payment-events';
import type { PaidOrderPort } from '@/payments';
import { createDb, withTransaction } from '@/platform/db';
import { createLogger, type Logger } from '@/platform/logger';
import { sagaQueue } from '@/platform/saga-queues';
import { taxCalculatorFromEnv } from '@/tax';

/** The real collaborators of the order service: Postgres, the catalog's StockDOs and the buyer's CartDO. */
export function orderDepsFromEnv(env: AppEnv, logger?: Logger): OrderConsumerDeps {
  const db = createDb(env);
  return {
    db,
    tax: taxCalculatorFromEnv(env, db),
    transaction: (fn) => withTransaction(env, fn),
    stock: {
      reserve: (orderId, lines, ttlMs) => reserveStock(env, orderId, lines, ttlMs),
      commit: (orderId, lines) => commitStock(env, orderId, lines),
      release: (orderId, lines) => releaseStock(env, orderId, lines),
      restock: (orderId, lines) => restockStock(env, orderId, lines),
    },
    cart: {
      removeOrdered: async (userId, orderId, items) => {
        await removeOrderedFromCart(env, userId, orderId, items);
      },
      lines: async (userId) => (await cartStub(env, userId).getCart()).lines.map((line) => ({ productId: line.productId, quantity: line.quantity })),
    },
    commissionBps: commissionBpsFromEnv(env.PLATFORM_COMMISSION_BPS),
    orderEvents: sagaQueue(env, 'order-events'),
    logger: logger ?? createLogger(getConfig(env).LOG_LEVEL, { domain: 'orders' }),
  };
}

/**
 * The orders side of an approved payment, for the payments step (read-your-writes): commit stock,
 * decide the order in the transaction that records the payment, relay any refund request at once.
 */
export function paidOrderPortFromEnv(env: AppEnv, logger?: Logger): PaidOrderPort {
  const deps = orderDepsFromEnv(env, logger);
  return {
    async applyPaymentCompleted(event, options) {
      const result = await applyPaymentCompleted(deps, event, options);
      await publishOutboxRows(deps.db, deps.orderEvents, result.outboxIds, deps.logger).catch(() => 0);
      return result;
    },
    async applyCheckoutPaymentCompleted(event, options) {
      const result = await applyCheckoutPaymentCompleted(deps, event, options);
      await publishOutboxRows(deps.db, deps.orderEvents, result.outboxIds, deps.logger).catch(() => 0);
      return result;
    },
  };
}
