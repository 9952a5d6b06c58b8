/**
 * The composition root: the one place that builds each domain's collaborators from the Worker's `env` (database,
 * Durable Object stubs, queues, the payment provider's gateway, vault and intents, loggers) and wires one domain's
 * implementation into another's port. The routers (workers/app.ts), the queue consumers and the cron
 * (workers/index.ts) get their collaborators here; tests take the same factories and override a field
 * (`{ ...orderDepsFromEnv(env), stock: fake }`). Nothing but the composition layer imports this file. Over 300
 * lines on purpose: a list of small factories, one section per domain, read top to bottom.
 */
import type { MakeAdminDeps } from '@/admin/service';
import { removeOrderedFromCart } from '@/cart';
import type { CartDeps } from '@/cart/service';
import { commitStock, getCartProducts, releaseStock, reserveStock, restockStock, returnStock, type StockDeps } from '@/catalog';
import type { MakeCatalogDeps } from '@/catalog/product-service';
import type { MakeReviewDeps } from '@/catalog/review-service';
import { getConfig, type AppEnv } from '@/env';
import { signScopedToken, verifyScopedToken } from '@/identity';
import type { MakeIdentityDeps } from '@/identity/accounts';
import { createEmailSender } from '@/identity/email';
import type { MakeUsersDeps } from '@/identity/users-service';
import { stockFeedStub } from '@/live';
import type { AdmissionDeps } from '@/launches';
import { botCheckFromEnv } from '@/launches/bot-check';
import { ADMISSION_AUDIENCE, type LaunchDeps } from '@/launches/service';
import { commissionBpsFromEnv } from '@/marketplace';
import { payoutProviderFromEnv, type PayoutDeps } from '@/marketplace/payouts';
import { consumePaymentEvents, type OrderConsumerDeps } from '@/orders/consumer';
import { countStaleOutboxRows, publishOutboxRows } from '@/orders/outbox';
import { applyCheckoutPaymentCompleted, applyPaymentCompleted } from '@/orders/payment-events';
import { findDeliveredPurchase } from '@/orders/purchases';
import { runScheduledMaintenance } from '@/orders/scheduled';
import { paymentFacts } from '@/payments';
import { consumeOrderEvents } from '@/payments/consumer';
import { createStripeIntent, gatewayFromEnv, type PaymentGateway } from '@/payments/gateway';
import type { PaymentEvent } from '@/orders/messages';
import { reconcileStuckPayments, retrieveStripeIntent, simulatedIntentLookup, type IntentLookup } from '@/payments/reconcile';
import type { IntentPort, PaidOrderPort, PaymentDeps } from '@/payments/service';
import { createSimulatedIntent } from '@/payments/simulator';
import { createSimulatedVault, withSimulatedProvider, type DeliverSimulatedEvent } from '@/payments/simulator-vault';
import { createStripeVault, type VaultPort } from '@/payments/vault';
import { signWebhookPayload } from '@/payments/webhook-signature';
import { handleWebhookDelivery, webhookSettingsFromEnv } from '@/payments/webhooks';
import { coalescedSender } from '@/platform/coalesce';
import { createDb, openTransactionPool, withTransaction, type Db, type MakeDbDeps } from '@/platform/db';
import type { MakeDeadLetterDeps } from '@/platform/dead-letters';
import type { HealthDeps } from '@/platform/health-routes';
import { endLiveSessions } from '@/platform/live-events';
import { createLogger, describeError, type Logger } from '@/platform/logger';
import { SAGA_BATCH_CONCURRENCY } from '@/platform/queue-consumer';
import { sagaQueue } from '@/platform/saga-queues';
import { returnSummaries } from '@/returns';
import type { ReturnDeps } from '@/returns/service';
import { createEmbedder, getSearchConfig } from '@/search/config';
import type { EmbeddingConsumerDeps } from '@/search/embedding-jobs';
import { isolateSearchCaches, QUERY_EMBED_TIMEOUT_MS, type SearchDeps } from '@/search/service';
import { taxCalculatorFromEnv } from '@/tax';

/** The logger of one domain (or job) at the configured level. */
const loggerFor = (env: AppEnv, context: Record<string, string>) => createLogger(getConfig(env).LOG_LEVEL, context);

/** `PAYMENT_GATEWAY_MODE = "stripe"` with a secret key: the real provider's API, else the simulated provider. */
const stripeKey = (env: AppEnv): string | undefined => (env.PAYMENT_GATEWAY_MODE?.trim().toLowerCase() === 'stripe' ? env.STRIPE_SECRET_KEY : undefined);

// ── platform ────────────────────────────────────────────────────────────────────────────────────────────────────

/**
 * A request's database: a plain client and interactive transactions. The routers whose only collaborator is the
 * database take this; the richer factories below start from it.
 */
export const dbDepsFromEnv: MakeDbDeps = (env) => ({ db: createDb(env), transaction: (fn) => withTransaction(env, fn) });

/** Health checks: the database and readiness' outbox-lag probe (orders' outbox, so platform imports no domain). */
export const healthDepsFromEnv = (env: AppEnv): HealthDeps => ({ db: createDb(env), countStaleEvents: countStaleOutboxRows });

// ── identity (and the operator console's mail) ─────────────────────────────────────────────────────────────────

/** Accounts and sessions: the env (database, signing key), the configured e-mail transport and its per-address limiter. */
export const identityDepsFromEnv: MakeIdentityDeps = (env, { logger, defer }) => ({
  env,
  email: createEmailSender(env, logger),
  now: () => new Date(),
  logger,
  defer,
  emailCooldown: async (key) => (await env.EMAIL_RATE_LIMITER.limit({ key })).success,
});

/** Profiles, addresses and user records: Postgres, and the live port that closes a demoted user's sockets. */
export const usersDepsFromEnv: MakeUsersDeps = (env) => ({
  ...dbDepsFromEnv(env),
  endLiveSessions: (userId, sessionVersion) => endLiveSessions(env, userId, sessionVersion),
});

// ── cart ────────────────────────────────────────────────────────────────────────────────────────────────────────

/** The shopper's CartDO: one per user id, so a cart follows the account across logins and devices. */
export const cartStubFromEnv = (env: AppEnv, userId: string) => env.CART_DO.get(env.CART_DO.idFromName(userId));

/** One shopper's cart: their CartDO and the catalog's live rows for its lines. */
export function cartDepsFromEnv(env: AppEnv, userId: string): CartDeps {
  const db = createDb(env);
  return { cart: cartStubFromEnv(env, userId), products: (ids) => getCartProducts(db, ids), now: () => new Date() };
}

// ── catalog ─────────────────────────────────────────────────────────────────────────────────────────────────────

/** The R2 bucket product images are uploaded to and served from. */
export const imageBucketFromEnv = (env: AppEnv) => env.IMAGES;

/**
 * The catalog's stock port: the StockDOs by name, the products' live stock feeds (when the Worker has them), the plain
 * client for reads and mirrors outside a transaction (`db`: a caller's own, so a request uses one) and a logger.
 */
export const stockDepsFromEnv = (env: AppEnv, db: Db = createDb(env)): StockDeps => ({
  stockObject: (name) => env.STOCK_DO.get(env.STOCK_DO.idFromName(name)),
  stockFeed: env.STOCK_FEED_DO ? (productId) => stockFeedStub(env, productId) : null,
  db,
  logger: loggerFor(env, { domain: 'catalog' }),
});

/**
 * The product and inventory routes: Postgres and the stock port on the same client (a product write seeds and changes
 * stock), and the embedding-jobs queue a changed product's text is sent to.
 */
export const catalogDepsFromEnv: MakeCatalogDeps = (env) => {
  const deps = dbDepsFromEnv(env);
  return { ...deps, stock: stockDepsFromEnv(env, deps.db), embeddingJobs: env.EMBEDDING_JOBS };
};

/** Reviews: Postgres and orders' verified-purchase check (a review needs a delivered purchase). */
export const reviewDepsFromEnv: MakeReviewDeps = (env) => ({ ...dbDepsFromEnv(env), findDeliveredPurchase });

// ── launches ────────────────────────────────────────────────────────────────────────────────────────────────────

/** A launch's WaitingRoomDO and the admission tokens it hands out (signed with the shop's key, their own audience). */
export const admissionDepsFromEnv = (env: AppEnv): AdmissionDeps => ({
  waitingRoom: (launchId) => env.WAITING_ROOM_DO.get(env.WAITING_ROOM_DO.idFromName(launchId)),
  admissionTokens: {
    sign: (account, claims, options) => signScopedToken(env, ADMISSION_AUDIENCE, account, claims, options),
    verify: (token) => verifyScopedToken(env, token, ADMISSION_AUDIENCE),
  },
});

/**
 * The launch routes: Postgres, the waiting rooms, the `BOT_CHECK` verifier (built at a join, so a misconfigured one
 * refuses joins, not reads) and what the SPA renders for it (from the vars only: the secret is checked at the join).
 */
export const launchDepsFromEnv = (env: AppEnv): LaunchDeps => ({
  ...admissionDepsFromEnv(env),
  ...dbDepsFromEnv(env),
  botCheck: () => botCheckFromEnv(env),
  botCheckView: (env.BOT_CHECK ?? 'off').trim().toLowerCase() === 'turnstile' ? { provider: 'turnstile', siteKey: env.TURNSTILE_SITE_KEY ?? '' } : null,
});

// ── orders ──────────────────────────────────────────────────────────────────────────────────────────────────────

/** The real collaborators of the order service: Postgres, the catalog's StockDOs and the buyer's CartDO. */
export function orderDepsFromEnv(env: AppEnv, logger?: Logger): OrderConsumerDeps {
  const { db, transaction } = dbDepsFromEnv(env);
  const stock = stockDepsFromEnv(env, db);
  return {
    db,
    tax: taxCalculatorFromEnv(env, db),
    transaction,
    stock: {
      reserve: (orderId, lines, ttlMs) => reserveStock(stock, orderId, lines, ttlMs),
      commit: (orderId, lines) => commitStock(stock, orderId, lines),
      release: (orderId, lines) => releaseStock(stock, orderId, lines),
      restock: (orderId, lines) => restockStock(stock, orderId, lines),
    },
    cart: {
      removeOrdered: async (userId, orderId, items) => {
        await removeOrderedFromCart(cartStubFromEnv(env, userId), orderId, items);
      },
      lines: async (userId) => (await cartStubFromEnv(env, userId).getCart()).lines.map((line) => ({ productId: line.productId, quantity: line.quantity })),
    },
    commissionBps: commissionBpsFromEnv(env.PLATFORM_COMMISSION_BPS),
    returnSummaries,
    payments: paymentFacts,
    admissions: admissionDepsFromEnv(env),
    orderEvents: sagaQueue(env, 'order-events'),
    logger: logger ?? loggerFor(env, { domain: 'orders' }),
  };
}

/**
 * The orders side of an approved payment, handed to payments (read-your-writes): commit stock, decide the order in
 * the transaction that records the payment, relay any refund request at once.
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

// ── payments ────────────────────────────────────────────────────────────────────────────────────────────────────

/** Client-confirmed intents at the configured provider: the real one's API, or the simulator's own table. */
function intentPortFromEnv(env: AppEnv): IntentPort {
  const appEnv = getConfig(env).APP_ENV;
  const secretKey = stripeKey(env);
  if (secretKey) return { create: (request) => createStripeIntent({ secretKey, appEnv }, request) };
  const db = createDb(env);
  return { create: async (request) => createSimulatedIntent(db, { ...request, appEnv }) };
}

/** Customers and saved cards at the configured provider: the real one's API, or the simulator's tables. */
function vaultFromEnv(env: AppEnv): VaultPort {
  const appEnv = getConfig(env).APP_ENV;
  const secretKey = stripeKey(env);
  return secretKey ? createStripeVault({ secretKey, appEnv }) : createSimulatedVault(createDb(env), appEnv);
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
function providerGatewayFromEnv(env: AppEnv): PaymentGateway {
  const gateway = gatewayFromEnv(env);
  if (env.PAYMENT_GATEWAY_MODE?.trim().toLowerCase() === 'stripe') return gateway;
  return withSimulatedProvider(gateway, createDb(env), getConfig(env).APP_ENV, simulatedDelivery(env));
}

export function paymentDepsFromEnv(env: AppEnv, logger?: Logger): PaymentDeps {
  return {
    ...dbDepsFromEnv(env),
    gateway: providerGatewayFromEnv(env),
    intents: intentPortFromEnv(env),
    vault: vaultFromEnv(env),
    publish: async (event: PaymentEvent) => {
      await sagaQueue(env, 'payment-events').send(event, { contentType: 'json' });
    },
    logger: logger ?? loggerFor(env, { domain: 'payments' }),
    // The order is confirmed in the transaction that records its payment (read-your-writes).
    orders: paidOrderPortFromEnv(env, logger),
  };
}

/** The provider configured for this Worker, asked about a stuck payment: the real one's API, or the simulator's table. */
function intentLookupFromEnv(env: AppEnv, deps: PaymentDeps): IntentLookup {
  const secretKey = stripeKey(env);
  if (secretKey) return (payment) => retrieveStripeIntent({ secretKey }, payment);
  return simulatedIntentLookup(deps.db);
}

// ── returns and marketplace ─────────────────────────────────────────────────────────────────────────────────────

/**
 * The real collaborators of returns: Postgres, the payment provider's gateway (the one payments uses, so a return's
 * refund is asked of the provider and confirmed by its signed webhook like any other refund) and the StockDOs.
 */
export function returnDepsFromEnv(env: AppEnv, logger?: Logger): ReturnDeps {
  const { db, transaction } = dbDepsFromEnv(env);
  const stock = stockDepsFromEnv(env, db);
  return {
    db,
    transaction,
    payments: { db, gateway: providerGatewayFromEnv(env), transaction },
    stock: { returnUnits: (returnId, lines) => returnStock(stock, returnId, lines) },
    logger: logger ?? loggerFor(env, { domain: 'returns' }),
  };
}

/** Payouts to sellers: Postgres and the configured payout provider. */
export function payoutDepsFromEnv(env: AppEnv, logger: Logger): PayoutDeps {
  const deps = dbDepsFromEnv(env);
  return { ...deps, provider: payoutProviderFromEnv(env, deps.db), logger };
}

// ── search ──────────────────────────────────────────────────────────────────────────────────────────────────────

/** The search service: Postgres, the embedder `EMBEDDER` selects, the ranking settings and the isolate's caches. */
export function searchDepsFromEnv(env: AppEnv, logger: Logger): SearchDeps {
  const config = getSearchConfig(env);
  return {
    db: createDb(env),
    embedder: createEmbedder(env),
    minSimilarity: config.AI_MIN_SIMILARITY,
    queryTimeoutMs: Math.min(QUERY_EMBED_TIMEOUT_MS, config.EMBEDDINGS_TIMEOUT_MS),
    caches: isolateSearchCaches,
    logger,
  };
}

/** The `embedding-jobs` consumer (and its dead letters): Postgres, the embedder, a logger named after the queue. */
export const embeddingConsumerDepsFromEnv = (env: AppEnv, queue: string): EmbeddingConsumerDeps => ({
  db: createDb(env),
  embedder: createEmbedder(env),
  logger: loggerFor(env, { queue }),
});

// ── admin ───────────────────────────────────────────────────────────────────────────────────────────────────────

/** The operator console: Postgres and the configured e-mail transport (a resent verification code). */
export const adminDepsFromEnv: MakeAdminDeps = (env, logger) => ({ ...dbDepsFromEnv(env), email: createEmailSender(env, logger) });

/** The console's dead letters: Postgres, the saga's producers (a replay goes back to its stage) and the request's logger. */
export const deadLetterDepsFromEnv: MakeDeadLetterDeps = (env, logger) => ({
  ...dbDepsFromEnv(env),
  queues: { 'order-events': sagaQueue(env, 'order-events'), 'payment-events': sagaQueue(env, 'payment-events') },
  logger,
});

// ── queue consumers and cron jobs (workers/index.ts) ───────────────────────────────────────────────────────────

/**
 * `order-events` (the payments side of the saga): one batch shares a pool of WebSocket connections for its
 * transactions and one coalescing sender for its outcomes (concurrent charges publish together with `sendBatch`).
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

/**
 * `payment-events` (the orders side of the saga): the batch's transactions share one pool of WebSocket
 * connections, closed when the batch is done.
 */
export async function handlePaymentEventsBatch(batch: MessageBatch, env: AppEnv): Promise<void> {
  const pool = openTransactionPool(env, SAGA_BATCH_CONCURRENCY);
  try {
    await consumePaymentEvents({ ...orderDepsFromEnv(env), transaction: (fn) => pool.transaction(fn) }, batch);
  } finally {
    await pool.close();
  }
}

/** Cron: outbox sweep, reaper, earnings release and pruning (workers/orders/scheduled.ts). */
export const runOrderMaintenance = (env: AppEnv) => runScheduledMaintenance(orderDepsFromEnv(env));

/** Cron: payments stuck between states are asked about at the provider (a lost webhook; docs/decisions/payments.md). */
export async function reconcilePaymentsFromEnv(env: AppEnv, lookup?: IntentLookup): Promise<number> {
  const logger = loggerFor(env, { job: 'reconcile-payments' });
  const deps = paymentDepsFromEnv(env, logger);
  const moved = await reconcileStuckPayments(deps, lookup ?? intentLookupFromEnv(env, deps));
  logger.info('payment reconciliation', { moved });
  return moved;
}
