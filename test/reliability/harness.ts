import type { StockDO } from '@do/stock';
import { env, runInDurableObject } from 'cloudflare:test';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';

import { stockSnapshot } from '@/catalog/stock';
import { products } from '@/catalog/tables';
import { notifications } from '@/notifications/tables';
import { consumePaymentEvents, type OrderConsumerDeps } from '@/orders/consumer';
import { orderDepsFromEnv, stockDepsFromEnv } from '@/composition';
import type { OrderEvent, PaymentEvent } from '@/orders/messages';
import { placeOrder } from '@/orders/placing';
import { orders, orderStatusHistory, outbox } from '@/orders/tables';
import { consumeOrderEvents } from '@/payments/consumer';
import { createSimulatedGateway, type PaymentGateway, type SimulatedMode } from '@/payments/gateway';
import type { PaymentDeps } from '@/payments/service';
import { paymentHistory, payments } from '@/payments/tables';
import { createDb, withTransaction } from '@/platform/db';
import { deadLetters } from '@/platform/tables';
import { poll as pollUntil } from '@test/support/poll';
import { createTestProduct, createTestUser, type TestUser } from '@test/support/shop-fixtures';
import { fakeBatch, FakeQueue, quietLogger } from '@test/support/saga-fakes';

const stock = stockDepsFromEnv(env);

/**
 * The reliability harness: the REAL order service with the real StockDOs, CartDOs and Postgres
 * (`orderDepsFromEnv`), the real payments service with a switchable simulated gateway, and the
 * two consumers driven by hand with recorded batches, so every redelivery, crash and ordering is
 * chosen by the test instead of the local queue's timing.
 */

export const ADDRESS = { street: '1 Reliability Way', city: 'Ho Chi Minh City', state: 'HCM', country: 'Vietnam', zipCode: '700000' };

export interface Shop {
  buyer: TestUser;
  seller: TestUser;
  productId: number;
  priceCents: number;
}

/** A buyer, a seller and a product of this test only (the database is shared by every test file). */
export async function newShop(stock = 10, priceCents = 2500): Promise<Shop> {
  const [buyer, seller] = await Promise.all([createTestUser('customer'), createTestUser('seller')]);
  const { id } = await createTestProduct(seller.id, { priceCents, stock });
  return { buyer, seller, productId: id, priceCents };
}

/** Order-side deps over the real collaborators; `orderEvents` records instead of sending. */
export function realOrderDeps(overrides: Partial<OrderConsumerDeps> = {}) {
  const orderEvents = new FakeQueue();
  const deps: OrderConsumerDeps = { ...orderDepsFromEnv(env, quietLogger()), orderEvents: orderEvents.asQueue(), ...overrides };
  return { deps, orderEvents };
}

/** A simulated gateway whose mode can be switched between deliveries; counts charges and refunds. */
function switchableGateway(initial: SimulatedMode = { kind: 'success' }) {
  const state = { mode: initial, charges: 0, refunds: 0 };
  const gateway: PaymentGateway = {
    charge: (request) => {
      state.charges++;
      return createSimulatedGateway(state.mode).charge(request);
    },
    refund: (request) => {
      state.refunds++;
      return createSimulatedGateway(state.mode).refund(request);
    },
  };
  return { gateway, state };
}

/** Payment-side deps over Postgres; outcomes are recorded in `published` instead of sent. */
export function realPaymentDeps(mode: SimulatedMode = { kind: 'success' }) {
  const published: PaymentEvent[] = [];
  const { gateway, state } = switchableGateway(mode);
  const deps: PaymentDeps = {
    db: createDb(env),
    gateway,
    publish: async (event) => void published.push(event),
    transaction: (fn) => withTransaction(env, fn),
    logger: quietLogger(),
    retryDelaysMs: [0, 0, 0],
  };
  return { deps, published, gateway: state };
}

/** Places an order through the real service (stock really held) and returns its `order.created` outbox payload. */
export async function placeRealOrder(shop: Shop, quantity: number, deps = realOrderDeps().deps) {
  const { order } = await placeOrder(deps, { id: shop.buyer.id, role: 'customer' }, { items: [{ productId: shop.productId, quantity }], shippingAddress: ADDRESS }, `rel-${crypto.randomUUID()}`);
  const created = await outboxEvents(order.id, 'order.created');
  return { orderId: order.id, created: created[0]! };
}

/**
 * The order's outbox events of one type, oldest first. The test is their relay (it delivers them by
 * hand), so they are stamped published: left unpublished they would read as a stuck outbox to the
 * health check and the invariant check once the (slow, shared) test run passes their age limits.
 */
export async function outboxEvents(orderId: string, type: OrderEvent['type']): Promise<OrderEvent[]> {
  const where = and(eq(outbox.aggregateId, orderId), eq(outbox.eventType, type));
  const rows = await createDb(env).select().from(outbox).where(where).orderBy(asc(outbox.id));
  await createDb(env).update(outbox).set({ publishedAt: sql`coalesce(${outbox.publishedAt}, now())` }).where(where);
  return rows.map((row) => row.payload as OrderEvent);
}

/** One delivery of `bodies` to the payments consumer (`order-events`), as the `attempts`-th delivery. */
export async function deliverToPayments(deps: PaymentDeps, bodies: unknown[], attempts = 1) {
  const batch = fakeBatch('order-events', bodies, attempts);
  await consumeOrderEvents(deps, batch);
  return batch.messages;
}

/** One delivery of `bodies` to the orders consumer (`payment-events`), as the `attempts`-th delivery. */
export async function deliverToOrders(deps: OrderConsumerDeps, bodies: unknown[], attempts = 1) {
  const batch = fakeBatch('payment-events', bodies, attempts);
  await consumePaymentEvents(deps, batch);
  return batch.messages;
}

const db = () => createDb(env);

export const orderRow = async (orderId: string) => (await db().select().from(orders).where(eq(orders.id, orderId)))[0];
export const paymentsOf = (orderId: string) => db().select().from(payments).where(eq(payments.orderId, orderId));
export async function paymentHistoryOf(orderId: string) {
  const ids = (await paymentsOf(orderId)).map((p) => p.id);
  if (ids.length === 0) return [];
  const rows = await db().select().from(paymentHistory).where(inArray(paymentHistory.paymentId, ids)).orderBy(asc(paymentHistory.id));
  return rows.map((row) => [row.oldStatus, row.newStatus]);
}
export async function orderHistoryOf(orderId: string) {
  const rows = await db().select().from(orderStatusHistory).where(eq(orderStatusHistory.orderId, orderId)).orderBy(asc(orderStatusHistory.id));
  return rows.map((row) => [row.oldStatus, row.newStatus]);
}
/** Notification types of an order, sorted, one entry per row. */
export async function noticesOf(orderId: string) {
  const rows = await db().select().from(notifications).where(eq(notifications.orderId, orderId));
  return rows.map((row) => row.type).sort();
}
export const deadLettersOf = (orderId: string) => db().select().from(deadLetters).where(eq(deadLetters.originalKey, orderId)).orderBy(asc(deadLetters.id));

/** The StockDO's counts (the truth) and the Postgres mirror of the same product. */
export async function stockOf(productId: number) {
  const snapshot = await stockSnapshot(stock, productId);
  const [row] = await db()
    .select({ onHand: products.stockQuantity, reserved: products.stockReserved, sold: products.soldCount, version: products.stockVersion })
    .from(products)
    .where(eq(products.id, productId));
  return { onHand: snapshot.onHand, reserved: snapshot.reserved, available: snapshot.available, sold: snapshot.sold, version: snapshot.version, mirror: row! };
}

/** The mirror equals the DO's snapshot (same counts, same version). */
export const mirrored = (stock: Awaited<ReturnType<typeof stockOf>>) => ({ onHand: stock.onHand, reserved: stock.reserved, sold: stock.sold, version: stock.version });

export const stockStub = (productId: number) => env.STOCK_DO.get(env.STOCK_DO.idFromName(String(productId))) as DurableObjectStub<StockDO>;

/** Makes the order's reservation due now (as if its 15-minute TTL had passed). */
export const expireReservation = (productId: number, orderId: string) =>
  runInDurableObject(stockStub(productId), (_instance, state) => {
    state.storage.sql.exec('update reservations set expires_at = ? where order_id = ?', Date.now() - 1, orderId);
  });

/** The suite's one polling helper, at this harness's pace (15 s, every 200 ms). */
export const poll = <T>(fn: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> => pollUntil(fn, timeoutMs, 200);
