import { env } from 'cloudflare:test';
import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';

import { adminAuditLog } from '@/platform/tables';
import { sellerLedgerEntries } from '@/marketplace/tables';
import { notifications } from '@/notifications/tables';
import { getOrder } from '@/orders/reading';
import { orders, orderStatusHistory } from '@/orders/tables';
import { paymentRefunds, payments } from '@/payments/tables';
import { createDb } from '@/platform/db';
import type { ReturnResponse } from '@/returns/schema';
import { finishReceivedReturns, SYSTEM_RETURNS } from '@/returns/service';
import { returnSummaries } from '@/returns/summary';
import { paymentFacts } from '@/payments/order-facts';
import { returns } from '@/returns/tables';
import { deliveredCheckout, deliveredOrder, returnsHttpHarness } from '@test/support/returns-http';
import { createTestProduct, createTestUser, type TestUser } from '@test/support/shop-fixtures';
import { expectMoneyInvariants, moneyViolationsHere } from '@test/support/invariants';

let buyer: TestUser;
let seller: TestUser;
let otherSeller: TestUser;
let stranger: TestUser;
let admin: TestUser;
let productA: { id: number; priceCents: number };
let productB: { id: number; priceCents: number };

beforeAll(async () => {
  [buyer, seller, otherSeller, stranger, admin] = await Promise.all([createTestUser('customer'), createTestUser('seller'), createTestUser('seller'), createTestUser('customer'), createTestUser('admin')]);
  [productA, productB] = await Promise.all([createTestProduct(seller.id, { priceCents: 1999 }), createTestProduct(seller.id, { priceCents: 250 })]);
});

const db = () => createDb(env);
const twoLineOrder = (options: Parameters<typeof deliveredOrder>[3] = {}) =>
  deliveredOrder(
    buyer,
    seller,
    [
      { productId: productA.id, quantity: 3 },
      { productId: productB.id, quantity: 2 },
    ],
    options,
  );
const lineOf = (order: Awaited<ReturnType<typeof twoLineOrder>>['order'], productId: number) => order.items.find((item) => item.productId === productId)!.id;
const returnsOfOrder = (orderId: string) => db().select().from(returns).where(eq(returns.orderId, orderId));

/** Requests, approves and sends a return of `quantity` × product A; returns the harness and the return. */
async function sentReturn(t: ReturnType<typeof returnsHttpHarness>, order: Awaited<ReturnType<typeof twoLineOrder>>['order'], lines: { orderItemId: string; quantity: number }[]) {
  const requested = await t.call('POST', `/api/v1/orders/${order.id}/returns`, buyer, { lines, reason: 'Does not fit' });
  expect(requested.status).toBe(201);
  expect((await t.call('POST', `/api/v1/returns/${requested.body.data.id}/approve`, seller, {})).status).toBe(200);
  expect((await t.call('POST', `/api/v1/returns/${requested.body.data.id}/sent`, buyer)).status).toBe(200);
  return requested.body.data;
}

describe('a return from request to refund', () => {
  it('is requested, approved, sent, received and refunded once through the payment, with history, notices, ledger and restock', async () => {
    const t = returnsHttpHarness();
    const { order, paymentId } = await twoLineOrder();
    const itemA = lineOf(order, productA.id);

    const requested = await t.call('POST', `/api/v1/orders/${order.id}/returns`, buyer, { lines: [{ orderItemId: itemA, quantity: 2 }], reason: 'Too small' });
    expect(requested.status).toBe(201);
    expect(requested.body.data).toMatchObject({ orderId: order.id, buyerId: buyer.id, sellerId: seller.id, status: 'REQUESTED', reason: 'Too small', refundAmount: null });
    expect(requested.body.data.lines).toEqual([{ orderItemId: itemA, productId: productA.id, productName: expect.any(String), quantity: 2, unitPrice: 19.99, refund: 39.98 }]);
    const id = requested.body.data.id;

    const approved = await t.call('POST', `/api/v1/returns/${id}/approve`, seller, { note: 'Send it in the original box' });
    expect(approved.body.data).toMatchObject({ status: 'APPROVED', sellerNote: 'Send it in the original box' });
    expect((await t.call('POST', `/api/v1/returns/${id}/sent`, buyer)).body.data.status).toBe('SENT');

    const received = await t.call('POST', `/api/v1/returns/${id}/received`, seller, { restock: true });
    expect(received.status).toBe(200);
    expect(received.body.data).toMatchObject({ status: 'REFUNDED', refundAmount: 39.98, restock: true });
    expect(received.body.data.history.map((h) => [h.oldStatus, h.newStatus])).toEqual([
      [null, 'REQUESTED'],
      ['REQUESTED', 'APPROVED'],
      ['APPROVED', 'SENT'],
      ['SENT', 'RECEIVED'],
      ['RECEIVED', 'REFUNDED'],
    ]);

    const [payment] = await db().select().from(payments).where(eq(payments.id, paymentId));
    expect(payment).toMatchObject({ status: 'COMPLETED', refundedCents: 3998 });
    expect(await db().select({ amount: paymentRefunds.amountCents, status: paymentRefunds.status }).from(paymentRefunds).where(eq(paymentRefunds.returnId, id))).toEqual([{ amount: 3998, status: 'COMPLETED' }]);
    expect(t.gateway.refunds).toEqual([expect.objectContaining({ paymentId, amountCents: 3998, idempotencyKey: expect.stringMatching(/^refund-/) })]);
    expect(t.stock.calls).toEqual([{ returnId: id, lines: [{ productId: productA.id, quantity: 2 }] }]);

    // The seller's earnings give back the refund less its share of the commission, from the released balance.
    const [entry] = await db().select().from(sellerLedgerEntries).where(and(eq(sellerLedgerEntries.returnId, id), eq(sellerLedgerEntries.type, 'RETURN')));
    expect(entry).toMatchObject({ sellerId: seller.id, grossCents: -3998, pendingDeltaCents: 0 });
    expect(entry!.availableDeltaCents + entry!.commissionCents).toBe(-3998);

    const notices = await db().select({ userId: notifications.userId, type: notifications.type }).from(notifications).where(eq(notifications.orderId, order.id));
    const types = (userId: string) => notices.filter((n) => n.userId === userId).map((n) => n.type);
    expect(types(seller.id)).toEqual(expect.arrayContaining(['RETURN_REQUESTED', 'RETURN_SENT', 'RETURN_REFUNDED']));
    expect(types(buyer.id)).toEqual(expect.arrayContaining(['RETURN_APPROVED', 'RETURN_RECEIVED', 'REFUND_ISSUED']));

    // The order shows its returns; every money invariant holds.
    expect((await getOrder({ db: db(), returnSummaries, payments: paymentFacts }, { id: buyer.id, role: 'customer' }, order.id)).returns).toEqual([{ id, status: 'REFUNDED', itemCount: 2, refundAmount: 39.98, createdAt: expect.any(String) }]);
    await expectMoneyInvariants(order.id);
  });

  it('refunds shipping with the return that completes the whole order, and the refunds add up to what was paid', async () => {
    const t = returnsHttpHarness();
    const { order, paymentId, totalCents } = await twoLineOrder({ shippingCents: 500 });
    const first = await sentReturn(t, order, [{ orderItemId: lineOf(order, productA.id), quantity: 3 }]);
    expect((await t.call('POST', `/api/v1/returns/${first.id}/received`, seller, {})).body.data.refundAmount).toBe(59.97);
    const second = await sentReturn(t, order, [{ orderItemId: lineOf(order, productB.id), quantity: 2 }]);
    const last = await t.call('POST', `/api/v1/returns/${second.id}/received`, seller, {});
    expect(last.body.data).toMatchObject({ status: 'REFUNDED', refundAmount: 10, restock: false });
    const [payment] = await db().select().from(payments).where(eq(payments.id, paymentId));
    expect(payment).toMatchObject({ status: 'REFUNDED', refundedCents: totalCents });
    // The order lists both refunds as returns (the payment turning REFUNDED adds no third one).
    const refunds = (await getOrder({ db: db(), returnSummaries, payments: paymentFacts }, { id: buyer.id, role: 'customer' }, order.id)).refunds;
    expect(refunds?.map((r) => [r.reason, r.amount])).toEqual([
      ['return', 59.97],
      ['return', 10],
    ]);
    expect(t.stock.calls).toEqual([]);
    await expectMoneyInvariants(order.id);
  });

  it('refunds what a line cost: its discounted price plus its tax, or the price alone when it included the tax', async () => {
    const t = returnsHttpHarness();
    // 3 × 19.99 = 59.97, 6.00 off: 53.97, plus 5.40 tax = 59.37 paid for the line.
    const taxed = await twoLineOrder({ line: { productId: productA.id, discountCents: 600, taxCents: 540 } });
    const one = await sentReturn(t, taxed.order, [{ orderItemId: lineOf(taxed.order, productA.id), quantity: 1 }]);
    expect((await t.call('POST', `/api/v1/returns/${one.id}/received`, seller, {})).body.data.refundAmount).toBe(19.79);
    const rest = await sentReturn(t, taxed.order, [{ orderItemId: lineOf(taxed.order, productA.id), quantity: 2 }]);
    expect((await t.call('POST', `/api/v1/returns/${rest.id}/received`, seller, {})).body.data.refundAmount).toBe(39.58);
    // Tax-inclusive prices: 53.97 paid, 4.91 of it tax; nothing is added to the refund.
    const included = await twoLineOrder({ line: { productId: productA.id, discountCents: 600, taxCents: 491 }, taxIncluded: true });
    const all = await sentReturn(t, included.order, [{ orderItemId: lineOf(included.order, productA.id), quantity: 3 }]);
    expect((await t.call('POST', `/api/v1/returns/${all.id}/received`, seller, {})).body.data).toMatchObject({ status: 'REFUNDED', refundAmount: 53.97 });
    await expectMoneyInvariants(taxed.order.id);
    await expectMoneyInvariants(included.order.id);
  });

  it("refunds a checkout order's return from the checkout's one payment, its shipping included, and the books still balance", async () => {
    const t = returnsHttpHarness();
    const otherProduct = await createTestProduct(otherSeller.id, { priceCents: 800 });
    const { orders: [first, second], paymentId, amountCents } = await deliveredCheckout(buyer, [
      { seller, productId: productA.id },
      { seller: otherSeller, productId: otherProduct.id },
    ]);
    const mine = first!.sellerId === seller.id ? first! : second!;
    const sent = await sentReturn(t, mine, [{ orderItemId: mine.items[0]!.id, quantity: 1 }]);
    const received = await t.call('POST', `/api/v1/returns/${sent.id}/received`, seller, {});
    // The whole seller order comes back: its line and its shipping line.
    expect(received.body.data).toMatchObject({ status: 'REFUNDED', refundAmount: mine.totalAmount });
    expect(mine.totals.shipping).toBeGreaterThan(0);
    const [payment] = await db().select().from(payments).where(eq(payments.id, paymentId));
    expect(payment).toMatchObject({ status: 'COMPLETED', refundedCents: Math.round(mine.totalAmount * 100) });
    expect(payment!.refundedCents).toBeLessThan(amountCents);
    await expectMoneyInvariants(first!.id, second!.id);
  });

  it('a repeated "received" answers the refunded return and never refunds twice', async () => {
    const t = returnsHttpHarness();
    const { order, paymentId } = await twoLineOrder();
    const sent = await sentReturn(t, order, [{ orderItemId: lineOf(order, productB.id), quantity: 1 }]);
    const first = await t.call('POST', `/api/v1/returns/${sent.id}/received`, seller, {});
    const again = await t.call('POST', `/api/v1/returns/${sent.id}/received`, seller, { restock: true });
    expect([first.status, again.status]).toEqual([200, 200]);
    expect(again.body.data).toMatchObject({ status: 'REFUNDED', refundAmount: 2.5, restock: false });
    expect(t.gateway.refunds).toHaveLength(1);
    expect((await db().select().from(payments).where(eq(payments.id, paymentId)))[0]!.refundedCents).toBe(250);
  });

  it('a gateway timeout leaves the return RECEIVED (504), and calling again finishes the refund once', async () => {
    const t = returnsHttpHarness();
    const { order, paymentId } = await twoLineOrder();
    const sent = await sentReturn(t, order, [{ orderItemId: lineOf(order, productB.id), quantity: 2 }]);
    t.gateway.mode = { kind: 'transient' };
    const failed = await t.call('POST', `/api/v1/returns/${sent.id}/received`, seller, {});
    expect(failed.status).toBe(504);
    expect(failed.body.error!.code).toBe('GATEWAY_TIMEOUT');
    expect((await returnsOfOrder(order.id))[0]).toMatchObject({ status: 'RECEIVED', refundCents: 500 });
    expect((await db().select().from(payments).where(eq(payments.id, paymentId)))[0]!.refundedCents).toBe(0);
    t.gateway.mode = { kind: 'success' };
    const retried = await t.call('POST', `/api/v1/returns/${sent.id}/received`, seller, {});
    expect(retried.body.data).toMatchObject({ status: 'REFUNDED', refundAmount: 5 });
    expect(new Set(t.gateway.refunds.map((r) => r.idempotencyKey)).size).toBe(1);
    expect((await db().select().from(payments).where(eq(payments.id, paymentId)))[0]!.refundedCents).toBe(500);
  });

  it('the cron finishes a refund nobody retried, once, and leaves a young RECEIVED return to its seller', async () => {
    const t = returnsHttpHarness();
    const { order, paymentId } = await twoLineOrder();
    const sent = await sentReturn(t, order, [{ orderItemId: lineOf(order, productA.id), quantity: 1 }]);
    t.gateway.mode = { kind: 'transient' };
    expect((await t.call('POST', `/api/v1/returns/${sent.id}/received`, seller, { restock: true })).status).toBe(504);
    t.gateway.mode = { kind: 'success' };
    await finishReceivedReturns(t.deps);
    expect((await returnsOfOrder(order.id))[0]!.status).toBe('RECEIVED');

    await db().update(returns).set({ receivedAt: new Date(Date.now() - 2 * 60_000) }).where(eq(returns.id, sent.id));
    expect(await finishReceivedReturns(t.deps)).toBeGreaterThanOrEqual(1);
    const [row] = await returnsOfOrder(order.id);
    expect(row).toMatchObject({ status: 'REFUNDED', refundCents: 1999 });
    expect(t.stock.calls.map((c) => c.returnId)).toEqual([sent.id]);
    expect((await db().select().from(payments).where(eq(payments.id, paymentId)))[0]!.refundedCents).toBe(1999);
    const history = (await t.call('GET', `/api/v1/returns/${sent.id}`, buyer)).body.data.history;
    expect(history.at(-1)).toMatchObject({ newStatus: 'REFUNDED', changedBy: SYSTEM_RETURNS });
    await expectMoneyInvariants(order.id);
  });
});

describe('the money invariant', () => {
  it('reports a refund that exceeds what was paid', async () => {
    const { order, paymentId, totalCents } = await twoLineOrder();
    await db().insert(paymentRefunds).values({ paymentId, orderId: order.id, amountCents: totalCents + 1, status: 'COMPLETED', reason: 'corrupted on purpose' });
    expect(await moneyViolationsHere([order.id])).toEqual(
      expect.arrayContaining([`order ${order.id}: refunds ${totalCents + 1} exceed its total ${totalCents}`, `payment ${paymentId}: refunded 0 ≠ completed refunds ${totalCents + 1}`]),
    );
  });
});

describe('what may be returned', () => {
  it('never more than bought, nor twice the same units; a rejected return frees its units', async () => {
    const t = returnsHttpHarness();
    const { order } = await twoLineOrder();
    const itemA = lineOf(order, productA.id);
    const tooMany = await t.call('POST', `/api/v1/orders/${order.id}/returns`, buyer, { lines: [{ orderItemId: itemA, quantity: 4 }], reason: 'x' });
    expect(tooMany.status).toBe(422);
    expect(tooMany.body.error).toMatchObject({ code: 'RETURN_QUANTITY_EXCEEDED', details: { [`line.${itemA}`]: 'only 3 left to return' } });
    expect(await returnsOfOrder(order.id)).toEqual([]);

    const first = await t.call('POST', `/api/v1/orders/${order.id}/returns`, buyer, { lines: [{ orderItemId: itemA, quantity: 2 }], reason: 'x' });
    expect(first.status).toBe(201);
    const twice = await t.call('POST', `/api/v1/orders/${order.id}/returns`, buyer, { lines: [{ orderItemId: itemA, quantity: 2 }], reason: 'x' });
    expect(twice.status).toBe(422);
    expect(twice.body.error!.details).toEqual({ [`line.${itemA}`]: 'only 1 left to return' });

    expect((await t.call('POST', `/api/v1/returns/${first.body.data.id}/reject`, seller, { note: 'Worn' })).body.data).toMatchObject({ status: 'REJECTED', sellerNote: 'Worn' });
    expect((await t.call('POST', `/api/v1/orders/${order.id}/returns`, buyer, { lines: [{ orderItemId: itemA, quantity: 3 }], reason: 'x' })).status).toBe(201);
  });

  it('two concurrent requests for the same units: one is accepted, the other refused', async () => {
    const t = returnsHttpHarness();
    const { order } = await twoLineOrder();
    const body = { lines: [{ orderItemId: lineOf(order, productA.id), quantity: 2 }], reason: 'x' };
    const both = await Promise.all([t.call('POST', `/api/v1/orders/${order.id}/returns`, buyer, body), t.call('POST', `/api/v1/orders/${order.id}/returns`, buyer, body)]);
    expect(both.map((r) => r.status).sort()).toEqual([201, 422]);
    expect(await returnsOfOrder(order.id)).toHaveLength(1);
  });

  it("only within the seller's window after delivery: 30 days by default, else the seller's own policy", async () => {
    const t = returnsHttpHarness();
    const windowSeller = await createTestUser('seller');
    const product = await createTestProduct(windowSeller.id, { priceCents: 700 });
    const { order } = await deliveredOrder(buyer, windowSeller, [{ productId: product.id, quantity: 1 }]);
    expect((await t.call('GET', '/api/v1/sellers/me/return-policy', windowSeller)).body.data).toEqual({ returnWindowDays: 30 });
    await db().update(orderStatusHistory).set({ changedAt: new Date(Date.now() - 31 * 24 * 3600 * 1000) }).where(and(eq(orderStatusHistory.orderId, order.id), eq(orderStatusHistory.newStatus, 'DELIVERED')));
    const body = { lines: [{ orderItemId: order.items[0]!.id, quantity: 1 }], reason: 'x' };
    const late = await t.call('POST', `/api/v1/orders/${order.id}/returns`, buyer, body);
    expect([late.status, late.body.error!.code]).toEqual([422, 'RETURN_WINDOW_CLOSED']);

    for (const bad of [{ returnWindowDays: -1 }, { returnWindowDays: 366 }, { returnWindowDays: 1.5 }, {}]) expect((await t.call('PUT', '/api/v1/sellers/me/return-policy', windowSeller, bad)).status).toBe(400);
    expect((await t.call('PUT', '/api/v1/sellers/me/return-policy', buyer, { returnWindowDays: 60 })).status).toBe(403);
    expect((await t.call('PUT', '/api/v1/sellers/me/return-policy', windowSeller, { returnWindowDays: 60 })).body.data).toEqual({ returnWindowDays: 60 });
    expect((await t.call('POST', `/api/v1/orders/${order.id}/returns`, buyer, body)).status).toBe(201);
  });

  it('only a delivered order, only its buyer, only its lines; bad bodies are 400 — and nothing is written', async () => {
    const t = returnsHttpHarness();
    const { order } = await twoLineOrder();
    const other = await deliveredOrder(buyer, seller, [{ productId: productB.id, quantity: 1 }]);
    const itemA = lineOf(order, productA.id);
    const ask = (user: TestUser, orderId: string, body: unknown) => t.call('POST', `/api/v1/orders/${orderId}/returns`, user, body);
    const good = { lines: [{ orderItemId: itemA, quantity: 1 }], reason: 'x' };

    expect((await ask(stranger, order.id, good)).body.error!.code).toBe('ACCESS_DENIED');
    expect((await ask(otherSeller, order.id, good)).status).toBe(403);
    expect((await ask(admin, order.id, good)).status).toBe(403);
    expect((await ask(buyer, crypto.randomUUID(), good)).status).toBe(404);
    const foreignLine = await ask(buyer, order.id, { lines: [{ orderItemId: other.order.items[0]!.id, quantity: 1 }], reason: 'x' });
    expect([foreignLine.status, foreignLine.body.error!.code]).toEqual([422, 'UNKNOWN_ORDER_LINE']);
    for (const bad of [{ lines: [], reason: 'x' }, { lines: [{ orderItemId: itemA, quantity: 0 }], reason: 'x' }, { lines: [{ orderItemId: itemA, quantity: 1 }], reason: '  ' }, { lines: [{ orderItemId: itemA, quantity: 1 }, { orderItemId: itemA, quantity: 1 }], reason: 'x' }, { ...good, extra: 1 }]) {
      const res = await ask(buyer, order.id, bad);
      expect([res.status, res.body.error!.code]).toEqual([400, 'VALIDATION_ERROR']);
    }
    expect(await returnsOfOrder(order.id)).toEqual([]);

    // Not delivered yet: a shipped order.
    await db().update(orderStatusHistory).set({ newStatus: 'SHIPPED' }).where(and(eq(orderStatusHistory.orderId, other.order.id), eq(orderStatusHistory.newStatus, 'DELIVERED')));
    await db().update(orders).set({ status: 'SHIPPED' }).where(eq(orders.id, other.order.id));
    const undelivered = await ask(buyer, other.order.id, { lines: [{ orderItemId: other.order.items[0]!.id, quantity: 1 }], reason: 'x' });
    expect([undelivered.status, undelivered.body.error!.code]).toEqual([409, 'ORDER_NOT_DELIVERED']);
    expect(await returnsOfOrder(other.order.id)).toEqual([]);
  });
});

describe('who moves a return, and from where', () => {
  it('refuses wrong transitions with 409 and other people with 403, changing nothing', async () => {
    const t = returnsHttpHarness();
    const { order } = await twoLineOrder();
    const requested = await t.call('POST', `/api/v1/orders/${order.id}/returns`, buyer, { lines: [{ orderItemId: lineOf(order, productA.id), quantity: 1 }], reason: 'x' });
    const id = requested.body.data.id;
    const expectCode = async (res: Promise<{ status: number; body: { error?: { code: string } } }>, status: number, code: string) => {
      const r = await res;
      expect([r.status, r.body.error?.code]).toEqual([status, code]);
    };
    await expectCode(t.call('POST', `/api/v1/returns/${id}/sent`, buyer), 409, 'INVALID_RETURN_TRANSITION');
    await expectCode(t.call('POST', `/api/v1/returns/${id}/received`, seller, {}), 409, 'INVALID_RETURN_TRANSITION');
    await expectCode(t.call('POST', `/api/v1/returns/${id}/approve`, otherSeller, {}), 403, 'ACCESS_DENIED');
    await expectCode(t.call('POST', `/api/v1/returns/${id}/approve`, buyer, {}), 403, 'FORBIDDEN');
    await expectCode(t.call('POST', `/api/v1/returns/${id}/sent`, stranger), 403, 'ACCESS_DENIED');
    await expectCode(t.call('GET', `/api/v1/returns/${id}`, stranger), 403, 'ACCESS_DENIED');
    await expectCode(t.call('POST', `/api/v1/returns/${crypto.randomUUID()}/approve`, seller, {}), 404, 'RETURN_NOT_FOUND');
    await expectCode(t.call('POST', `/api/v1/returns/not-a-uuid/approve`, seller, {}), 400, 'VALIDATION_ERROR');
    expect((await t.call('POST', `/api/v1/returns/${id}/reject`, admin)).body.data.status).toBe('REJECTED');
    const audit = await db().select().from(adminAuditLog).where(and(eq(adminAuditLog.targetType, 'return'), eq(adminAuditLog.targetId, id)));
    expect(audit.map((a) => [a.actorId, a.action])).toEqual([[admin.id, 'return.rejected']]);
    await expectCode(t.call('POST', `/api/v1/returns/${id}/approve`, seller, {}), 409, 'INVALID_RETURN_TRANSITION');
    const [row] = await returnsOfOrder(order.id);
    expect(row!.status).toBe('REJECTED');
  });

  it('lists a buyer\u2019s and a seller\u2019s returns, and an order\u2019s returns for its buyer, seller and admin only', async () => {
    const t = returnsHttpHarness();
    const { order } = await twoLineOrder();
    const requested = await t.call('POST', `/api/v1/orders/${order.id}/returns`, buyer, { lines: [{ orderItemId: lineOf(order, productB.id), quantity: 1 }], reason: 'x' });
    const id = requested.body.data.id;
    const mine = await t.call<{ id: string; itemCount: number }[]>('GET', '/api/v1/returns?size=100', buyer);
    expect(mine.body.data.find((r) => r.id === id)).toMatchObject({ orderId: order.id, status: 'REQUESTED', itemCount: 1 });
    const sellers = await t.call<{ id: string }[]>('GET', '/api/v1/returns/seller?size=100', seller);
    expect(sellers.body.data.map((r) => r.id)).toContain(id);
    expect((await t.call<{ id: string }[]>('GET', '/api/v1/returns/seller', otherSeller)).body.data.map((r) => r.id)).not.toContain(id);
    expect((await t.call('GET', '/api/v1/returns/seller', buyer)).status).toBe(403);
    for (const user of [buyer, seller, admin]) expect((await t.call<ReturnResponse[]>('GET', `/api/v1/orders/${order.id}/returns`, user)).body.data.map((r) => r.id)).toEqual([id]);
    expect((await t.call('GET', `/api/v1/orders/${order.id}/returns`, stranger)).status).toBe(403);
    expect((await t.call('GET', '/api/v1/returns?status=NOPE', buyer)).status).toBe(400);
  });
});
