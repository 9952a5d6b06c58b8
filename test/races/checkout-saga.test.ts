import { env } from 'cloudflare:test';
import { and, asc, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';

import { balanceCents } from '@/marketplace/ledger';
import { sellerLedgerEntries } from '@/marketplace/tables';
import { placeCheckout } from '@/orders/checkout';
import type { CheckoutCreated, OrderEvent } from '@/orders/messages';
import { type OrderDeps } from '@/orders/model';
import { applyCheckoutPaymentCompleted, applyPaymentCompleted } from '@/orders/payment-events';
import { cancelOrder, shipOrder } from '@/orders/transitions';
import { checkouts, outbox } from '@/orders/tables';
import { paymentHistory, paymentRefunds, payments } from '@/payments/tables';
import { createDb } from '@/platform/db';
import { Gate } from '@test/support/gate';
import { expectInvariants } from '@test/support/invariants';
import { createTestProduct, createTestUser, type TestUser } from '@test/support/shop-fixtures';

import { ADDRESS, deliverToOrders, deliverToPayments, orderRow, outboxEvents, realOrderDeps, realPaymentDeps, stockOf } from '@test/reliability/harness';

/**
 * The checkout saga over the real services, StockDOs and Postgres (runs in both lanes: PGlite and a real
 * PostgreSQL 15): one `checkout.created` → one payment → one outcome per order; declines release every seller's
 * hold; a buyer's cancel of one seller's order refunds only that order; and the cancel-vs-confirm race.
 */

interface Market {
  buyer: TestUser;
  sellers: [TestUser, TestUser];
  products: [number, number];
}

/** Two sellers with one product each (12.00 and 30.00, 5 units each), neither with shipping options (default 4.99). */
async function newMarket(): Promise<Market> {
  const [buyer, s1, s2] = await Promise.all([createTestUser('customer'), createTestUser('seller'), createTestUser('seller')]);
  const [p1, p2] = await Promise.all([createTestProduct(s1.id, { priceCents: 1200, stock: 5 }), createTestProduct(s2.id, { priceCents: 3000, stock: 5 })]);
  return { buyer, sellers: [s1, s2], products: [p1.id, p2.id] };
}

async function checkOut(market: Market, deps: OrderDeps = realOrderDeps().deps, quantities: [number, number] = [2, 1]) {
  const { checkout } = await placeCheckout(
    deps,
    { id: market.buyer.id, role: 'customer' },
    { items: [{ productId: market.products[0], quantity: quantities[0] }, { productId: market.products[1], quantity: quantities[1] }], shippingAddress: ADDRESS },
    `checkout-${crypto.randomUUID()}`,
  );
  const [row] = await createDb(env).select().from(outbox).where(and(eq(outbox.aggregateId, checkout.id), eq(outbox.eventType, 'checkout.created')));
  await createDb(env).update(outbox).set({ publishedAt: new Date() }).where(eq(outbox.aggregateId, checkout.id));
  const orderOf = (seller: TestUser) => checkout.orders.find((o) => o.sellerId === seller.id)!.id;
  return { checkout, created: row!.payload as CheckoutCreated, orderIds: [orderOf(market.sellers[0]), orderOf(market.sellers[1])] as [string, string] };
}

const db = () => createDb(env);
const checkoutRow = async (id: string) => (await db().select().from(checkouts).where(eq(checkouts.id, id)))[0]!;
const paymentOf = async (checkoutId: string) => db().select().from(payments).where(eq(payments.checkoutId, checkoutId));
const buyerOf = (market: Market) => ({ id: market.buyer.id, role: 'customer' as const });

describe('checkout saga: one payment for every seller', () => {
  it('payment completed → every order CONFIRMED, stock committed, the checkout PAID; redeliveries change nothing', async () => {
    const market = await newMarket();
    const orders = realOrderDeps();
    const pay = realPaymentDeps();
    const { checkout, created, orderIds } = await checkOut(market, orders.deps);
    // 2×12.00 + 4.99 and 30.00 + 4.99
    expect(checkout.totals.total).toBe(63.98);

    const [charged] = await deliverToPayments(pay.deps, [created, created]);
    expect(charged!.acked).toBe(true);
    const [payment] = await paymentOf(checkout.id);
    expect(payment).toMatchObject({ amountCents: 6398, status: 'COMPLETED', orderId: null, checkoutId: checkout.id });
    expect(pay.gateway.charges).toBe(1);
    // One outcome per order, with that order's amount (twice: the duplicate delivery re-publishes the same events).
    expect(pay.published.map((e) => [e.type, e.orderId, e.eventId]).slice(0, 2).sort()).toEqual(
      orderIds.map((id) => ['payment.completed', id, `${id}:COMPLETED`]).sort(),
    );
    await deliverToOrders(orders.deps, pay.published);
    for (const id of orderIds) expect((await orderRow(id))!).toMatchObject({ status: 'CONFIRMED', paymentId: payment!.id });
    expect(await checkoutRow(checkout.id)).toMatchObject({ status: 'PAID', paymentId: payment!.id });
    expect(await stockOf(market.products[0])).toMatchObject({ onHand: 3, reserved: 0, sold: 2 });
    expect(await stockOf(market.products[1])).toMatchObject({ onHand: 4, reserved: 0, sold: 1 });
    await expectInvariants(...market.products);
  });

  it('with the orders port, payment COMPLETED and every order CONFIRMED commit together (read-your-writes)', async () => {
    const market = await newMarket();
    const orders = realOrderDeps();
    const pay = realPaymentDeps();
    const gate = new Gate().arm('publish', 2);
    const deps = {
      ...pay.deps,
      publish: gate.wrap('publish', pay.deps.publish),
      orders: {
        applyPaymentCompleted: (event: Parameters<typeof applyPaymentCompleted>[1], options: Parameters<typeof applyPaymentCompleted>[2]) => applyPaymentCompleted(orders.deps, event, options),
        applyCheckoutPaymentCompleted: (event: Parameters<typeof applyCheckoutPaymentCompleted>[1], options: Parameters<typeof applyCheckoutPaymentCompleted>[2]) => applyCheckoutPaymentCompleted(orders.deps, event, options),
      },
    };
    const { checkout, created, orderIds } = await checkOut(market, orders.deps);
    const delivering = deliverToPayments(deps, [created]);
    await gate.reached('publish');
    // Held before the outcomes go out: the orders are already decided with the payment.
    expect((await paymentOf(checkout.id))[0]!.status).toBe('COMPLETED');
    for (const id of orderIds) expect((await orderRow(id))!.status).toBe('CONFIRMED');
    expect((await checkoutRow(checkout.id)).status).toBe('PAID');
    gate.release('publish');
    gate.release('publish');
    await delivering;
    await deliverToOrders(orders.deps, pay.published);
    await expectInvariants(...market.products);
  });

  it('payment declined → every order CANCELLED, every seller\'s hold released, the checkout PAYMENT_FAILED', async () => {
    const market = await newMarket();
    const orders = realOrderDeps();
    const pay = realPaymentDeps({ kind: 'decline' });
    const { checkout, created, orderIds } = await checkOut(market, orders.deps);
    expect(await stockOf(market.products[0])).toMatchObject({ onHand: 5, reserved: 2, available: 3 });
    await deliverToPayments(pay.deps, [created]);
    expect(pay.published.map((e) => e.type)).toEqual(['payment.failed', 'payment.failed']);
    await deliverToOrders(orders.deps, pay.published);
    await deliverToOrders(orders.deps, pay.published, 2);
    for (const id of orderIds) expect((await orderRow(id))!.status).toBe('CANCELLED');
    expect((await paymentOf(checkout.id))[0]!.status).toBe('FAILED');
    expect((await checkoutRow(checkout.id)).status).toBe('PAYMENT_FAILED');
    expect(await stockOf(market.products[0])).toMatchObject({ onHand: 5, reserved: 0, available: 5, sold: 0 });
    expect(await stockOf(market.products[1])).toMatchObject({ onHand: 5, reserved: 0, available: 5, sold: 0 });
    await expectInvariants(...market.products);
  });

  it("after payment each seller ships its own; the buyer cancels one seller's order → only that order is refunded, once", async () => {
    const market = await newMarket();
    const orders = realOrderDeps();
    const pay = realPaymentDeps();
    const { checkout, created, orderIds } = await checkOut(market, orders.deps);
    await deliverToPayments(pay.deps, [created]);
    await deliverToOrders(orders.deps, pay.published);
    const [first, second] = orderIds;

    // Seller 2 may not ship seller 1's order; seller 1 ships its own.
    await expect(shipOrder(orders.deps, { id: market.sellers[1].id, role: 'seller' }, first)).rejects.toMatchObject({ status: 403 });
    await shipOrder(orders.deps, { id: market.sellers[0].id, role: 'seller' }, first);
    // The buyer cancels seller 2's CONFIRMED order: 30.00 + 4.99 shipping comes back, nothing else.
    await cancelOrder(orders.deps, buyerOf(market), second, 'found it cheaper', 'partial');
    const cancelled = await outboxEvents(second, 'order.cancelled');
    await deliverToPayments(pay.deps, cancelled);
    await deliverToPayments(pay.deps, cancelled, 2);
    const [payment] = await paymentOf(checkout.id);
    expect(payment).toMatchObject({ status: 'COMPLETED', amountCents: 6398, refundedCents: 3499 });
    expect(pay.gateway.refunds).toBe(1);
    const refunds = await db().select().from(paymentRefunds).where(eq(paymentRefunds.paymentId, payment!.id));
    expect(refunds.map((r) => [r.orderId, r.amountCents, r.status])).toEqual([[second, 3499, 'COMPLETED']]);
    const history = await db().select().from(paymentHistory).where(eq(paymentHistory.paymentId, payment!.id)).orderBy(asc(paymentHistory.id));
    expect(history.map((h) => [h.oldStatus, h.newStatus])).toEqual([
      [null, 'PENDING'],
      ['PENDING', 'COMPLETED'],
      ['COMPLETED', 'COMPLETED'],
    ]);
    expect((await orderRow(first))!.status).toBe('SHIPPED');
    expect(await stockOf(market.products[1])).toMatchObject({ onHand: 5, sold: 0 });
    expect(await stockOf(market.products[0])).toMatchObject({ onHand: 3, sold: 2 });
    // Seller 2's sale is reversed, commission included; seller 1 keeps its (still pending) earnings.
    expect(await balanceCents(db(), market.sellers[1].id)).toMatchObject({ pending: 0, gross: 0, commission: 0 });
    expect(await balanceCents(db(), market.sellers[0].id)).toMatchObject({ pending: 2899 - 240, gross: 2899, commission: 240 });
    // Cancelling it again is refused by the order's state machine: no second refund.
    await expect(cancelOrder(orders.deps, buyerOf(market), second, undefined, 'again')).rejects.toMatchObject({ status: 409 });
    await expectInvariants(...market.products);
  });
});

describe('race: the buyer cancels one order while the payment confirms the checkout', () => {
  it('cancel lands while the payment step commits the stock: that order ends CANCELLED and refunded, the other CONFIRMED', async () => {
    const market = await newMarket();
    const plain = realOrderDeps();
    const gate = new Gate();
    const gated = { ...plain.deps, stock: gate.port('stock', plain.deps.stock) };
    const pay = realPaymentDeps();
    const deps = {
      ...pay.deps,
      orders: {
        applyPaymentCompleted: (event: Parameters<typeof applyPaymentCompleted>[1], options: Parameters<typeof applyPaymentCompleted>[2]) => applyPaymentCompleted(gated, event, options),
        applyCheckoutPaymentCompleted: (event: Parameters<typeof applyCheckoutPaymentCompleted>[1], options: Parameters<typeof applyCheckoutPaymentCompleted>[2]) => applyCheckoutPaymentCompleted(gated, event, options),
      },
    };
    const { checkout, created, orderIds } = await checkOut(market, plain.deps);
    const [first, second] = orderIds;
    // Both commits are held: the payment was approved, the orders are not decided yet.
    gate.arm('stock.commit', 2);
    const charging = deliverToPayments(deps, [created]);
    await gate.reached('stock.commit');
    await cancelOrder(plain.deps, buyerOf(market), first, 'changed my mind', 'race-checkout');
    gate.release('stock.commit');
    await gate.reached('stock.commit');
    gate.release('stock.commit');
    const [message] = await charging;
    expect(message!.acked).toBe(true);

    expect((await orderRow(first))!.status).toBe('CANCELLED');
    expect((await orderRow(second))!.status).toBe('CONFIRMED');
    // The whole checkout was charged; the cancelled order's part is asked back (order.cancelled, previousStatus CANCELLED).
    const refundRequests = (await outboxEvents(first, 'order.cancelled')) as Extract<OrderEvent, { type: 'order.cancelled' }>[];
    expect(refundRequests.map((e) => e.previousStatus)).toEqual(['PENDING', 'CANCELLED']);
    await deliverToPayments(pay.deps, refundRequests);
    await deliverToOrders(plain.deps, pay.published);
    const [payment] = await paymentOf(checkout.id);
    const firstTotal = checkout.orders.find((o) => o.id === first)!.totals.total;
    expect(payment).toMatchObject({ status: 'COMPLETED', amountCents: 6398, refundedCents: Math.round(firstTotal * 100) });
    expect(pay.gateway.refunds).toBe(1);
    // Units conserved: the cancelled order holds none, the confirmed one sold its own.
    expect(await stockOf(market.products[0])).toMatchObject({ onHand: 5, reserved: 0, sold: 0 });
    expect(await stockOf(market.products[1])).toMatchObject({ onHand: 4, reserved: 0, sold: 1 });
    expect(await checkoutRow(checkout.id)).toMatchObject({ status: 'PAID' });
    const ledger = await db().select().from(sellerLedgerEntries).where(eq(sellerLedgerEntries.checkoutId, checkout.id));
    expect(ledger.map((e) => [e.orderId, e.type])).toEqual([[second, 'SALE']]);
    await expectInvariants(...market.products);
  });

  it('every order cancelled before the charge → nothing is charged at all', async () => {
    const market = await newMarket();
    const orders = realOrderDeps();
    const pay = realPaymentDeps();
    const { checkout, created, orderIds } = await checkOut(market, orders.deps);
    for (const id of orderIds) await cancelOrder(orders.deps, buyerOf(market), id, undefined, 'both');
    expect((await checkoutRow(checkout.id)).status).toBe('CANCELLED');
    await deliverToPayments(pay.deps, [created]);
    expect(pay.gateway.charges).toBe(0);
    expect((await paymentOf(checkout.id))[0]!.status).toBe('FAILED');
    await deliverToOrders(orders.deps, pay.published);
    for (const id of orderIds) expect((await orderRow(id))!.status).toBe('CANCELLED');
    expect(await stockOf(market.products[0])).toMatchObject({ onHand: 5, reserved: 0, available: 5 });
    await expectInvariants(...market.products);
  });
});
