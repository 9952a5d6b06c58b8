import { getConfig, type AppEnv } from '@/env';
import { paidOrderPortFromEnv, aggregateIdOf, orderEventSchema } from '@/orders';
import { createStripeIntent, gatewayFromEnv, type PaymentGateway } from '@/payments/gateway';
import type { PaymentEvent } from '@/payments/messages';
import { chargeCheckout, chargeOrder, refundOrderPayment, type IntentPort, type PaymentDeps } from '@/payments/service';
import { createSimulatedIntent } from '@/payments/simulator';
import { createSimulatedVault, withSimulatedProvider, type DeliverSimulatedEvent } from '@/payments/simulator-vault';
import { signWebhookPayload } from '@/payments/webhook-signature';
import { handleWebhookDelivery, webhookSettingsFromEnv } from '@/payments/webhooks';
import { createStripeVault, type VaultPort } from '@/payments/vault';
import { coalescedSender } from '@/platform/coalesce';
import { createDb, openTransactionPool, withTransaction } from '@/platform/db';
import { storeDeadLetter } from '@/platform/dead-letters';
import { createLogger, describeError, type Logger } from '@/platform/logger';
import { sagaQueue } from '@/platform/saga-queues';
import { consumeBatch, SAGA_BATCH_CONCURRENCY, type QueueBatch } from '@/platform/queue-consumer';

/** Client-confirmed intents at the configured provider: the real one's API, or the simulator's own table. */
function intentPortFromEnv(env: AppEnv): IntentPort {
  const appEnv = getConfig(env).APP_ENV;
  if (env.PAYMENT_GATEWAY_MODE?.trim().toLowerCase() === 'stripe' && env.STRIPE_SECRET_KEY) {
    const secretKey = env.STRIPE_SECRET_KEY;
    return { create: (request) => createStripeIntent({ secretKey, appEnv }, request) };
  }
  const db = createDb(env);
  return { create: async (request) => createSimulatedIntent(db, { ...request, appEnv }) };
}

/** Customers and saved cards at the configured provider: the real one's API, or the simulator's tables. */
function vaultFromEnv(env: AppEnv): VaultPort {
  const appEnv = getConfig(env).APP_ENV;
  if (env.PAYMENT_GATEWAY_MODE?.trim().toLowerCase() === 'stripe' && env.STRIPE_SECRET_KEY) return createStripeVault({ secretKey: env.STRIPE_SECRET_KEY, appEnv });
  return createSimulatedVault(createDb(env), appEnv);
}

/**
 * The simulated provider's webhook deliveries from inside the saga (its refunds): signed with its secret and handed to
 * the same handler the webhook route runs — signature check, dedup, matching — without the HTTP hop (a queue
 * consumer has no app to fetch through). A refused delivery is logged, as a lost webhook.
 */
function simulatedDelivery(env: AppEnv): DeliverSimulatedEvent {
  return async (event) => {
    const settings = webhookSettingsFromEnv(env, 'simulated');
    if (!settings) return;
    const deps = paymentDepsFromEnv(env);
    const rawBody = JSON.stringify(event);
    try {
      await handleWebhookDelivery(deps, settings, { rawBody, signature: await signWebhookPayload(rawBody, env.SIMULATED_WEBHOOK_SECRET ?? ''), correlationId: `simulated:${event.id}` });
    } catch (err) {
      deps.logger.warn('the shop refused a simulated webhook', { eventId: event.id, type: event.type, ...describeError(err) });
    }
  };
}

/** The configured gateway; the simulated one also speaks for the simulated provider (saved cards, refund webhooks). */
export function providerGatewayFromEnv(env: AppEnv): PaymentGateway {
  const gateway = gatewayFromEnv(env);
  if (env.PAYMENT_GATEWAY_MODE?.trim().toLowerCase() === 'stripe') return gateway;
  return withSimulatedProvider(gateway, createDb(env), getConfig(env).APP_ENV, simulatedDelivery(env));
}

export function paymentDepsFromEnv(env: AppEnv, logger?: Logger): PaymentDeps {
  return {
    db: createDb(env),
    gateway: providerGatewayFromEnv(env),
    intents: intentPortFromEnv(env),
    vault: vaultFromEnv(env),
    publish: async (event: PaymentEvent) => {
      await sagaQueue(env, 'payment-events').send(event, { contentType: 'json' });
    },
    transaction: (fn) => withTransaction(env, fn),
    logger: logger ?? createLogger(getConfig(env).LOG_LEVEL, { domain: 'payments' }),
    // The order is confirmed in the transaction that records its payment (read-your-writes).
    orders: paidOrderPortFromEnv(env, logger),
  };
}

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

/**
 * `order-events` entry: one batch shares a pool of WebSocket connections for its transactions and
 * one coalescing sender for its outcomes (concurrent charges publish together with `sendBatch`).
 */
export async function handleOrderEventsBatch(batch: MessageBatch, env: AppEnv): Promise<void> {
  const pool = openTransactionPool(env, SAGA_BATCH_CONCURRENCY);
  const send = coalescedSender(sagaQueue(env, 'payment-events'));
  try {
    await consumeOrderEvents({ ...paymentDepsFromEnv(env), transaction: (fn) => pool.transaction(fn), publish: send }, batch);
  } finally {
    await pool.close();
  }
}
