/**
 * The return's life in one place: request, approve/reject, send, receive and refund, each a locked state transition
 * with its history row, notifications and stock/refund step, beside the reads of returns and the seller's policy. The
 * transitions share the guards and the row shape, so they stay together (over 300 lines on purpose); what may be
 * returned and for how much is in `rules.ts`.
 */
import { and, asc, count, desc, eq, inArray, isNull, ne, sql } from 'drizzle-orm';

import { recordAdminAction } from '@/platform/audit';
import { centsToAmount } from '@contract/money';
import { sellerProfiles } from '@/identity/tables';
import { recordReturnRefund } from '@/marketplace';
import { createNotification, money, shortOrderNumber } from '@/notifications';
import type { Caller, StockLine } from '@/orders';
import { orderItems, orders, orderStatusHistory } from '@/orders/tables';
import { refundOrderPart, TransientGatewayError, type PaymentDeps } from '@/payments';
import { paymentRefunds } from '@/payments/tables';
import type { Db, Queryable, Tx } from '@/platform/db';
import { AppError, forbidden, notFound } from '@/platform/errors';
import type { Logger } from '@/platform/logger';
import { describeError } from '@/platform/logger';
import { pageMeta, pageOffset, type Sort } from '@/platform/pagination';
import { assertReturnable, assertReturnTransition, DEFAULT_RETURN_WINDOW_DAYS, holdsUnits, lineRefundCents, returnRefundCents, shippingPaidCents } from '@/returns/rules';
import type { CreateReturn, ReturnPolicy, ReturnResponse } from '@/returns/schema';
import { returnItemCount } from '@/returns/summary';
import { RETURN_STATUSES, returnLines, returns, returnStatusHistory, type ReturnStatus } from '@/returns/tables';

/** The collaborators of returns: Postgres, the payment gateway (through the payments domain) and the StockDOs. */
export interface ReturnDeps {
  db: Db;
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  payments: Pick<PaymentDeps, 'db' | 'gateway' | 'transaction'>;
  /** Puts a return's units back on sale, idempotent per return id (workers/catalog/stock.ts `returnStock`). */
  stock: { returnUnits(returnId: string, lines: StockLine[]): Promise<void> };
  logger: Logger;
}

type ReturnRow = typeof returns.$inferSelect;
type OrderRow = typeof orders.$inferSelect;

/** Who changes a return: a caller, or the cron ({@link SYSTEM_RETURNS}, no role). */
type Actor = Pick<Caller, 'id'> & Partial<Pick<Caller, 'role' | 'email'>>;
export const SYSTEM_RETURNS = 'system:returns';

const returnNotFound = () => notFound('RETURN_NOT_FOUND', 'Return not found');
const isSellerOrAdmin = (caller: Caller, row: { sellerId: string }) => caller.role === 'admin' || row.sellerId === caller.id;
const isBuyerOrAdmin = (caller: Caller, row: { buyerId: string }) => caller.role === 'admin' || row.buyerId === caller.id;
const canSee = (caller: Caller, row: { buyerId: string; sellerId: string }) => isSellerOrAdmin(caller, row) || row.buyerId === caller.id;

/** The return's lines with their order line (price, product) — what the response and the refund need. */
async function linesOf(q: Queryable, returnIds: string[]) {
  if (returnIds.length === 0) return [];
  return q
    .select({ returnId: returnLines.returnId, quantity: returnLines.quantity, item: orderItems, taxIncluded: orders.taxIncluded })
    .from(returnLines)
    .innerJoin(orderItems, eq(orderItems.id, returnLines.orderItemId))
    .innerJoin(orders, eq(orders.id, orderItems.orderId))
    .where(inArray(returnLines.returnId, returnIds))
    .orderBy(asc(orderItems.productId));
}

/** What a return's list entry and its full answer both say about it. */
const returnSummaryFields = (row: ReturnRow) => ({
  id: row.id,
  orderId: row.orderId,
  buyerId: row.buyerId,
  sellerId: row.sellerId,
  status: row.status,
  reason: row.reason,
  refundAmount: row.refundCents === null ? null : centsToAmount(row.refundCents),
  createdAt: row.createdAt.toISOString(),
});

async function toReturnResponse(q: Queryable, row: ReturnRow): Promise<ReturnResponse> {
  const [lines, history] = await Promise.all([
    linesOf(q, [row.id]),
    q.select().from(returnStatusHistory).where(eq(returnStatusHistory.returnId, row.id)).orderBy(asc(returnStatusHistory.changedAt), asc(returnStatusHistory.id)),
  ]);
  return {
    ...returnSummaryFields(row),
    sellerNote: row.sellerNote,
    restock: row.restock,
    currency: row.currency,
    lines: lines.map(({ item, quantity, taxIncluded }) => ({
      orderItemId: item.id,
      productId: item.productId,
      productName: item.productName,
      quantity,
      unitPrice: centsToAmount(item.unitPriceCents),
      refund: centsToAmount(lineRefundCents({ ...item, taxIncluded }, quantity)),
    })),
    history: history.map((h) => ({ oldStatus: h.oldStatus, newStatus: h.newStatus, note: h.note, changedBy: h.changedBy, changedAt: h.changedAt.toISOString() })),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** Units per order line held by the order's returns in `statuses` (other than `exceptId`). */
async function unitsByLine(q: Queryable, orderId: string, statuses: readonly ReturnStatus[], exceptId?: string) {
  const rows = await q
    .select({ orderItemId: returnLines.orderItemId, units: sql<number>`sum(${returnLines.quantity})::int`.mapWith(Number) })
    .from(returnLines)
    .innerJoin(returns, eq(returns.id, returnLines.returnId))
    .where(and(eq(returns.orderId, orderId), inArray(returns.status, [...statuses]), exceptId ? ne(returns.id, exceptId) : undefined))
    .groupBy(returnLines.orderItemId);
  return new Map(rows.map((row) => [row.orderItemId, row.units]));
}

const HOLDING = RETURN_STATUSES.filter(holdsUnits);
const REFUNDING = ['RECEIVED', 'REFUNDED'] as const;

async function lockOrder(tx: Tx, orderId: string): Promise<OrderRow> {
  const [order] = await tx.select().from(orders).where(eq(orders.id, orderId)).for('update');
  if (!order) throw notFound('ORDER_NOT_FOUND', 'Order not found');
  return order;
}

/**
 * Changes a locked return's status (checked by the state machine) and writes its history row; an admin's change is
 * also written to the audit log, in the same transaction.
 */
async function moveReturn(tx: Tx, row: ReturnRow, to: ReturnStatus, by: Actor, note: string | null, set: Partial<ReturnRow> = {}): Promise<ReturnRow> {
  assertReturnTransition(row.status, to);
  const changedBy = by.id;
  if (by.role === 'admin') {
    await recordAdminAction(tx, { actor: { id: by.id, email: by.email ?? '' }, action: `return.${to.toLowerCase()}`, targetType: 'return', targetId: row.id, before: { status: row.status }, after: { status: to, note } });
  }
  const [updated] = await tx
    .update(returns)
    .set({ ...set, status: to, updatedAt: new Date() })
    .where(eq(returns.id, row.id))
    .returning();
  await tx.insert(returnStatusHistory).values({ returnId: row.id, oldStatus: row.status, newStatus: to, note, changedBy });
  return updated!;
}

/**
 * The buyer asks to return some lines of a DELIVERED order (∅ → REQUESTED). The order row is locked first, so two
 * requests for the same units are serialised and the second sees what the first holds.
 */
export async function requestReturn(deps: ReturnDeps, caller: Caller, orderId: string, input: CreateReturn): Promise<ReturnResponse> {
  return deps.transaction(async (tx) => {
    const order = await lockOrder(tx, orderId);
    const [items, [delivered], policy, alreadyHeld] = await Promise.all([
      tx.select().from(orderItems).where(eq(orderItems.orderId, orderId)),
      tx.select({ at: sql<Date | null>`max(${orderStatusHistory.changedAt})`.mapWith((v) => (v === null ? null : new Date(v as string))) }).from(orderStatusHistory).where(and(eq(orderStatusHistory.orderId, orderId), eq(orderStatusHistory.newStatus, 'DELIVERED'))),
      getReturnPolicy(tx, order.sellerId),
      unitsByLine(tx, orderId, HOLDING),
    ]);
    assertReturnable(
      { buyerId: order.userId, status: order.status, deliveredAt: delivered?.at ?? null, lines: items },
      { callerId: caller.id, lines: input.lines, now: new Date(), windowDays: policy.returnWindowDays, alreadyHeld },
    );
    const [row] = await tx.insert(returns).values({ orderId, buyerId: order.userId, sellerId: order.sellerId, reason: input.reason, currency: order.currency }).returning();
    await tx.insert(returnLines).values(input.lines.map((line) => ({ returnId: row!.id, orderItemId: line.orderItemId, quantity: line.quantity })));
    await tx.insert(returnStatusHistory).values({ returnId: row!.id, oldStatus: null, newStatus: 'REQUESTED', note: input.reason, changedBy: caller.id });
    const units = input.lines.reduce((sum, line) => sum + line.quantity, 0);
    await createNotification(tx, { userId: order.sellerId, type: 'RETURN_REQUESTED', title: `Return requested for order ${shortOrderNumber(orderId)}`, body: `${units} item(s): ${input.reason}`, orderId });
    return toReturnResponse(tx, row!);
  });
}

/** One return, for its buyer, its seller or an admin. */
export async function getReturn(db: Db, caller: Caller, returnId: string): Promise<ReturnResponse> {
  const [row] = await db.select().from(returns).where(eq(returns.id, returnId));
  if (!row) throw returnNotFound();
  if (!canSee(caller, row)) throw forbidden();
  return toReturnResponse(db, row);
}

/** The returns of an order (full, oldest first), for its buyer, its seller or an admin. */
export async function listOrderReturns(db: Db, caller: Caller, orderId: string): Promise<ReturnResponse[]> {
  const [order] = await db.select({ buyerId: orders.userId, sellerId: orders.sellerId }).from(orders).where(eq(orders.id, orderId));
  if (!order) throw notFound('ORDER_NOT_FOUND', 'Order not found');
  if (!canSee(caller, order)) throw forbidden();
  const rows = await db.select().from(returns).where(eq(returns.orderId, orderId)).orderBy(asc(returns.createdAt), asc(returns.id));
  return Promise.all(rows.map((row) => toReturnResponse(db, row)));
}

type ListQuery = { page: number; size: number; sort: Sort<'createdAt'>; status?: ReturnStatus | undefined };

/** The caller's returns as buyer (`buyerId`) or as seller (`sellerId`), newest first by default. */
export async function listReturns(db: Db, by: 'buyerId' | 'sellerId', ownerId: string, query: ListQuery) {
  const where = and(eq(returns[by], ownerId), query.status ? eq(returns.status, query.status) : undefined);
  const direction = query.sort.direction === 'ASC' ? asc : desc;
  const [rows, [total]] = await Promise.all([
    db
      .select({
        row: returns,
        itemCount: returnItemCount(),
      })
      .from(returns)
      .where(where)
      .orderBy(direction(returns.createdAt), direction(returns.id))
      .limit(query.size)
      .offset(pageOffset(query)),
    db.select({ total: count() }).from(returns).where(where),
  ]);
  return {
    data: rows.map(({ row, itemCount }) => ({ ...returnSummaryFields(row), itemCount })),
    meta: pageMeta(query.page, query.size, total?.total ?? 0),
  };
}

/** Locks a return, runs `authorize` (before any state check, so a stranger learns nothing from a 409) and `change`. */
async function changeReturn<T>(deps: ReturnDeps, returnId: string, authorize: (row: ReturnRow) => boolean, change: (tx: Tx, row: ReturnRow) => Promise<T>): Promise<T> {
  return deps.transaction(async (tx) => {
    const [row] = await tx.select().from(returns).where(eq(returns.id, returnId)).for('update');
    if (!row) throw returnNotFound();
    if (!authorize(row)) throw forbidden();
    return change(tx, row);
  });
}

/** The seller's return window (the default when it never set one). */
export async function getReturnPolicy(db: Queryable, sellerId: string): Promise<ReturnPolicy> {
  const [profile] = await db.select({ days: sellerProfiles.returnWindowDays }).from(sellerProfiles).where(eq(sellerProfiles.userId, sellerId));
  return { returnWindowDays: profile?.days ?? DEFAULT_RETURN_WINDOW_DAYS };
}

/** Sets the seller's return window; it applies to requests made from now on, for every delivered order of the seller. */
export async function setReturnPolicy(db: Db, sellerId: string, policy: ReturnPolicy): Promise<ReturnPolicy> {
  await db
    .insert(sellerProfiles)
    .values({ userId: sellerId, returnWindowDays: policy.returnWindowDays })
    .onConflictDoUpdate({ target: sellerProfiles.userId, set: { returnWindowDays: policy.returnWindowDays } });
  return getReturnPolicy(db, sellerId);
}

/** The seller (or an admin) approves or rejects a REQUESTED return, with an optional note the buyer sees. */
export async function decideReturn(deps: ReturnDeps, caller: Caller, returnId: string, to: 'APPROVED' | 'REJECTED', note: string | undefined): Promise<ReturnResponse> {
  return changeReturn(deps, returnId, (row) => isSellerOrAdmin(caller, row), async (tx, row) => {
    const updated = await moveReturn(tx, row, to, caller, note ?? null, { sellerNote: note ?? null });
    const short = shortOrderNumber(row.orderId);
    const title = to === 'APPROVED' ? `Return approved for order ${short}: please send the items back` : `Return rejected for order ${short}`;
    await createNotification(tx, { userId: row.buyerId, type: to === 'APPROVED' ? 'RETURN_APPROVED' : 'RETURN_REJECTED', title, body: note ?? null, orderId: row.orderId });
    return toReturnResponse(tx, updated);
  });
}

/** The buyer (or an admin) says the approved items are on their way back. */
export async function markReturnSent(deps: ReturnDeps, caller: Caller, returnId: string): Promise<ReturnResponse> {
  return changeReturn(deps, returnId, (row) => isBuyerOrAdmin(caller, row), async (tx, row) => {
    const updated = await moveReturn(tx, row, 'SENT', caller, null);
    await createNotification(tx, { userId: row.sellerId, type: 'RETURN_SENT', title: `Return for order ${shortOrderNumber(row.orderId)} is on its way back`, orderId: row.orderId });
    return toReturnResponse(tx, updated);
  });
}

/**
 * SENT → RECEIVED under the order's and the return's row locks: the refund is fixed here from the lines' paid price
 * ({@link returnRefundCents}: shipping when this return completes the whole order, never more than what is left of
 * what was paid, counting earlier returns and any other refund of the order).
 */
async function receive(tx: Tx, caller: Caller, row: ReturnRow, order: OrderRow, input: { restock?: boolean | undefined; note?: string | undefined }): Promise<ReturnRow> {
  const [mine, orderLines, refundedUnits, [others], [otherRefunds]] = await Promise.all([
    linesOf(tx, [row.id]),
    tx.select().from(orderItems).where(eq(orderItems.orderId, order.id)),
    unitsByLine(tx, order.id, REFUNDING, row.id),
    tx.select({ cents: sql<string>`coalesce(sum(${returns.refundCents}), 0)` }).from(returns).where(and(eq(returns.orderId, order.id), inArray(returns.status, [...REFUNDING]), ne(returns.id, row.id))),
    tx.select({ cents: sql<string>`coalesce(sum(${paymentRefunds.amountCents}), 0)` }).from(paymentRefunds).where(and(eq(paymentRefunds.orderId, order.id), isNull(paymentRefunds.returnId))),
  ]);
  const refundCents = returnRefundCents({
    lines: mine.map(({ item, quantity, taxIncluded }) => ({ line: { ...item, taxIncluded }, quantity })),
    orderLines: orderLines.map((line) => ({ ...line, taxIncluded: order.taxIncluded })),
    refundedUnits,
    shippingCents: shippingPaidCents(order),
    paidCents: order.totalCents,
    alreadyRefundedCents: Number(others?.cents ?? 0) + Number(otherRefunds?.cents ?? 0),
  });
  const received = await moveReturn(tx, row, 'RECEIVED', caller, input.note ?? null, { restock: input.restock ?? false, refundCents, receivedAt: new Date() });
  await createNotification(tx, {
    userId: row.buyerId,
    type: 'RETURN_RECEIVED',
    title: `Your return for order ${shortOrderNumber(order.id)} arrived`,
    body: `${money(refundCents, order.currency)} will be refunded.`,
    orderId: order.id,
  });
  return received;
}

/** RECEIVED → REFUNDED, the seller's ledger reversal and the seller's notice: in the transaction that records the refund. */
async function settleRefunded(tx: Tx, returnId: string, by: Actor): Promise<void> {
  const [row] = await tx.select().from(returns).where(eq(returns.id, returnId)).for('update');
  if (!row || row.status !== 'RECEIVED') return;
  await moveReturn(tx, row, 'REFUNDED', by, null, { refundedAt: new Date() });
  const [order] = await tx.select({ id: orders.id, checkoutId: orders.checkoutId, currency: orders.currency }).from(orders).where(eq(orders.id, row.orderId));
  await recordReturnRefund(tx, order!, { returnId: row.id, refundCents: row.refundCents ?? 0 });
  await createNotification(tx, {
    userId: row.sellerId,
    type: 'RETURN_REFUNDED',
    title: `Return for order ${shortOrderNumber(row.orderId)} refunded`,
    body: `${money(row.refundCents ?? 0, order!.currency)} went back to the buyer.`,
    orderId: row.orderId,
  });
}

/**
 * The seller (or an admin) marks a SENT return received: SENT → RECEIVED (refund fixed), then the refund through the
 * order's payment — one partial refund keyed by the return id, recorded together with RECEIVED → REFUNDED and the
 * ledger reversal — then, when chosen, the units back on sale (once per return id). Calling it again on a RECEIVED
 * or REFUNDED return finishes what is left (a refund the gateway did not confirm, a restock that failed) and never
 * refunds twice; in any other state it is a 409.
 */
export async function receiveReturn(deps: ReturnDeps, caller: Caller, returnId: string, input: { restock?: boolean | undefined; note?: string | undefined }): Promise<ReturnResponse> {
  const [seen] = await deps.db.select({ orderId: returns.orderId }).from(returns).where(eq(returns.id, returnId));
  if (!seen) throw returnNotFound();
  const row = await deps.transaction(async (tx) => {
    // Order first, then return: the lock order of a return request, so two of them never deadlock.
    const order = await lockOrder(tx, seen.orderId);
    const [locked] = await tx.select().from(returns).where(eq(returns.id, returnId)).for('update');
    if (!locked) throw returnNotFound();
    if (!isSellerOrAdmin(caller, locked)) throw forbidden();
    if (locked.status === 'RECEIVED' || locked.status === 'REFUNDED') return locked;
    return receive(tx, caller, locked, order, input);
  });
  if (row.status === 'RECEIVED') await refund(deps, caller, row);
  if (row.restock) await restock(deps, row);
  return getReturn(deps.db, caller, returnId);
}

async function refund(deps: ReturnDeps, caller: Actor, row: ReturnRow): Promise<void> {
  const settle = (tx: Tx) => settleRefunded(tx, row.id, caller);
  if ((row.refundCents ?? 0) === 0) {
    await deps.transaction(settle);
    return;
  }
  try {
    await refundOrderPart(deps.payments, { orderId: row.orderId, returnId: row.id, amountCents: row.refundCents!, reason: `return of order ${shortOrderNumber(row.orderId)}` }, { inTransaction: settle });
  } catch (err) {
    if (err instanceof TransientGatewayError) {
      throw new AppError(504, 'GATEWAY_TIMEOUT', 'The return is received but the payment gateway did not answer; mark it received again to finish the refund (it is never paid twice)');
    }
    throw err;
  }
}

async function restock(deps: ReturnDeps, row: ReturnRow): Promise<void> {
  const lines = await linesOf(deps.db, [row.id]);
  try {
    await deps.stock.returnUnits(row.id, lines.map(({ item, quantity }) => ({ productId: item.productId, quantity })));
  } catch (err) {
    deps.logger.error('putting returned units back on sale failed', { returnId: row.id, ...describeError(err) });
    throw new AppError(503, 'RESTOCK_FAILED', 'The return is recorded but its units could not be put back on sale yet; mark it received again to retry');
  }
}

/** A RECEIVED return older than this is one whose refund did not finish (a gateway timeout nobody retried). */
const STUCK_RETURN_SECONDS = 60;

/**
 * Cron: finishes the refund (and restock) of returns left RECEIVED for over {@link STUCK_RETURN_SECONDS} — a gateway
 * that timed out and a seller who never called again. The same idempotent steps as a repeated "received": a return
 * is never refunded twice, whoever finishes it. Returns how many were finished; a failure is logged and retried next
 * minute.
 */
export async function finishReceivedReturns(deps: ReturnDeps, limit = 20): Promise<number> {
  const stuck = await deps.db
    .select()
    .from(returns)
    .where(and(eq(returns.status, 'RECEIVED'), sql`${returns.receivedAt} < now() - make_interval(secs => ${STUCK_RETURN_SECONDS})`))
    .orderBy(asc(returns.receivedAt))
    .limit(limit);
  let finished = 0;
  for (const row of stuck) {
    try {
      await refund(deps, { id: SYSTEM_RETURNS }, row);
      if (row.restock) await restock(deps, row);
      finished++;
    } catch (err) {
      deps.logger.error('could not finish the refund of a received return', { returnId: row.id, ...describeError(err) });
    }
  }
  return finished;
}
