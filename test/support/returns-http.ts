import { env } from 'cloudflare:test';
import { and, eq } from 'drizzle-orm';

import { createTestApp } from '@/app';
import { placeCheckout } from '@/orders/checkout';
import { type StockLine } from '@/orders/model';
import { applyCheckoutPaymentCompleted, applyPaymentCompleted } from '@/orders/payment-events';
import { placeOrder } from '@/orders/placing';
import { deliverOrder, shipOrder } from '@/orders/transitions';
import { orderItems, orders } from '@/orders/tables';
import { createSimulatedGateway, type PaymentGateway, type RefundRequest, type SimulatedMode } from '@/payments/gateway';
import { payments } from '@/payments/tables';
import { createDb, withTransaction } from '@/platform/db';
import { createReturnsRouter } from '@/returns/routes';
import type { ReturnResponse } from '@/returns/schema';
import type { ReturnDeps } from '@/returns/service';
import { Gate } from '@test/support/gate';
import type { Envelope } from '@test/support/orders-http';
import { fakeOrderDeps, quietLogger } from '@test/support/saga-fakes';
import { jsonHeaders, type TestUser } from '@test/support/shop-fixtures';

export const ADDRESS = { street: '1 Return Lane', city: 'Ho Chi Minh City', state: 'HCM', country: 'Vietnam', zipCode: '700000' };

/**
 * A DELIVERED order paid by a real COMPLETED payment row (so refunds go through the payments domain): placed,
 * paid (the seller's SALE in the ledger), shipped by the seller and delivered to the buyer. Before it is paid,
 * `shippingCents` adds a shipping line to the order (and its total), and `line` gives one line a discount and tax
 * (on top of its price, or included in it with `taxIncluded`).
 */
export async function deliveredOrder(
  buyer: TestUser,
  seller: TestUser,
  lines: StockLine[],
  options: { shippingCents?: number; line?: { productId: number; discountCents: number; taxCents: number }; taxIncluded?: boolean } = {},
) {
  const { deps } = fakeOrderDeps();
  const db = createDb(env);
  const customer = { id: buyer.id, role: 'customer' as const };
  const { order } = await placeOrder(deps, customer, { items: lines, shippingAddress: ADDRESS }, `returns-${crypto.randomUUID()}`);
  const shipping = options.shippingCents ?? 0;
  const { productId, discountCents, taxCents } = options.line ?? { productId: 0, discountCents: 0, taxCents: 0 };
  const taxIncluded = options.taxIncluded ?? false;
  if (options.line) await db.update(orderItems).set({ discountCents, taxCents }).where(and(eq(orderItems.orderId, order.id), eq(orderItems.productId, productId)));
  const [row] = await db
    .update(orders)
    .set({ shippingCents: shipping, discountCents, taxCents, taxIncluded, totalCents: Math.round(order.totalAmount * 100) + shipping - discountCents + (taxIncluded ? 0 : taxCents) })
    .where(eq(orders.id, order.id))
    .returning();
  const [payment] = await db
    .insert(payments)
    .values({ orderId: order.id, userId: buyer.id, amountCents: row!.totalCents, status: 'COMPLETED', idempotencyKey: order.id, gatewayReference: `MOCK-${order.id}` })
    .returning();
  await applyPaymentCompleted(deps, { type: 'payment.completed', version: 1, correlationId: 'returns', eventId: crypto.randomUUID(), orderId: order.id, paymentId: payment!.id, amount: row!.totalCents / 100, occurredAt: new Date().toISOString() });
  await shipOrder(deps, { id: seller.id, role: 'seller' }, order.id);
  const delivered = await deliverOrder(deps, customer, order.id);
  return { order: delivered.order, paymentId: payment!.id, totalCents: row!.totalCents };
}

/**
 * A checkout of one product of each seller, paid by ONE real COMPLETED payment for the whole checkout, then every
 * order shipped by its seller and delivered: the orders (one per seller, each with its shipping line) and the payment.
 */
export async function deliveredCheckout(buyer: TestUser, sellers: { seller: TestUser; productId: number }[]) {
  const { deps } = fakeOrderDeps();
  const customer = { id: buyer.id, role: 'customer' as const };
  const { checkout } = await placeCheckout(deps, customer, { items: sellers.map(({ productId }) => ({ productId, quantity: 1 })), shippingAddress: ADDRESS }, `returns-${crypto.randomUUID()}`);
  const amountCents = Math.round(checkout.totals.total * 100);
  const [payment] = await createDb(env)
    .insert(payments)
    .values({ checkoutId: checkout.id, userId: buyer.id, amountCents, status: 'PENDING', idempotencyKey: checkout.id, gatewayReference: `MOCK-${checkout.id}` })
    .returning();
  await applyCheckoutPaymentCompleted(deps, { checkoutId: checkout.id, paymentId: payment!.id, correlationId: 'returns' }, {
    inTransaction: async (tx) => {
      await tx.update(payments).set({ status: 'COMPLETED' }).where(eq(payments.id, payment!.id));
    },
  });
  const delivered = [];
  for (const order of checkout.orders) {
    await shipOrder(deps, { id: order.sellerId, role: 'seller' }, order.id);
    delivered.push((await deliverOrder(deps, customer, order.id)).order);
  }
  return { orders: delivered, paymentId: payment!.id, amountCents };
}

/** Records every `returnUnits` call; idempotent per return id like the StockDO. */
export class FakeReturnStock {
  readonly calls: { returnId: string; lines: StockLine[] }[] = [];
  readonly returned = new Map<number, number>();
  private readonly done = new Set<string>();
  failing = false;
  async returnUnits(returnId: string, lines: StockLine[]) {
    this.calls.push({ returnId, lines });
    if (this.failing) throw new Error('StockDO unreachable');
    if (this.done.has(returnId)) return;
    this.done.add(returnId);
    for (const line of lines) this.returned.set(line.productId, (this.returned.get(line.productId) ?? 0) + line.quantity);
  }
}

/** A gateway whose mode a test can switch, recording every refund request. */
export function recordingGateway() {
  const state = { mode: { kind: 'success' } as SimulatedMode, refunds: [] as RefundRequest[] };
  const gateway: PaymentGateway = {
    charge: (request) => createSimulatedGateway(state.mode).charge(request),
    refund: (request) => {
      state.refunds.push(request);
      return createSimulatedGateway(state.mode).refund(request);
    },
  };
  return { state, gateway };
}

/** The returns router on real Postgres and payments, a recording gateway behind a {@link Gate} and a fake stock, called over HTTP. */
export function returnsHttpHarness() {
  const gate = new Gate();
  const { state, gateway } = recordingGateway();
  const stock = new FakeReturnStock();
  const db = createDb(env);
  const transaction: ReturnDeps['transaction'] = (fn) => withTransaction(env, fn);
  const deps: ReturnDeps = { db, transaction, payments: { db, transaction, gateway: gate.port('gateway', gateway) }, stock, logger: quietLogger() };
  const app = createTestApp(createReturnsRouter(() => deps));
  const call = async <T = ReturnResponse>(method: string, path: string, user: TestUser | null, body?: unknown) => {
    const res = await app.request(path, { method, headers: user ? jsonHeaders(user) : { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) }, env);
    return { status: res.status, body: (await res.json()) as Envelope<T> };
  };
  return { gate, gateway: state, stock, deps, call };
}
