/** Reading orders: one order for its buyer, seller or an admin, status history, paged lists, and the facts payments needs. */
import { and, asc, count, desc, eq, sql } from 'drizzle-orm';

import { centsToAmount } from '@contract/money';
import { sellerProfiles, userProfiles } from '@/identity/tables';
import { type Caller, loadItems, type OrderDeps, type OrderRow, toOrderResponse } from '@/orders/model';
import { findDeliveredPurchase } from '@/orders/purchases';
import type { OrderResponse } from '@/orders/schema';
import { orderItems, orders, orderStatusHistory, type OrderStatus } from '@/orders/tables';
import type { Db } from '@/platform/db';
import { forbidden, notFound } from '@/platform/errors';
import { pageMeta, pageOffset, type Sort } from '@/platform/pagination';

/** What reading one order needs: the database and the returns and payments domains' ports. */
type OrderReaders = Pick<OrderDeps, 'db' | 'returnSummaries' | 'payments'>;

/** An order as its own page shows it: lines, and what happened after the sale (returns, refunds). */
async function orderWithAfterSales({ db, returnSummaries, payments }: OrderReaders, order: OrderRow): Promise<OrderResponse> {
  const [items, orderReturns, refunds] = await Promise.all([loadItems(db, order.id), returnSummaries(db, order.id), payments.orderRefunds(db, order.id)]);
  return { ...toOrderResponse(order, items), returns: orderReturns, refunds };
}

/** Reads an order the caller may see: the buyer or an admin (403 `ACCESS_DENIED` for anyone else). */
export async function getOrder(deps: OrderReaders, caller: Caller, orderId: string): Promise<OrderResponse> {
  const [order] = await deps.db.select().from(orders).where(eq(orders.id, orderId));
  if (!order) throw notFound('ORDER_NOT_FOUND', 'Order not found');
  if (caller.role !== 'admin' && order.userId !== caller.id) throw forbidden();
  return orderWithAfterSales(deps, order);
}

/** The order's seller (or an admin) reads it from the seller dashboard. */
export async function getSellerOrder(deps: OrderReaders, caller: Caller, orderId: string): Promise<OrderResponse> {
  const [order] = await deps.db.select().from(orders).where(eq(orders.id, orderId));
  if (!order) throw notFound('ORDER_NOT_FOUND', 'Order not found');
  if (caller.role !== 'admin' && order.sellerId !== caller.id) throw forbidden();
  return orderWithAfterSales(deps, order);
}

/** Status history, oldest first, for the buyer, the order's seller or an admin. */
export async function getOrderHistory(db: Db, caller: Caller, orderId: string) {
  const [order] = await db.select({ userId: orders.userId, sellerId: orders.sellerId }).from(orders).where(eq(orders.id, orderId));
  if (!order) throw notFound('ORDER_NOT_FOUND', 'Order not found');
  if (caller.role !== 'admin' && order.userId !== caller.id && order.sellerId !== caller.id) throw forbidden();
  const rows = await db.select().from(orderStatusHistory).where(eq(orderStatusHistory.orderId, orderId)).orderBy(asc(orderStatusHistory.changedAt), asc(orderStatusHistory.id));
  return rows.map((row) => ({ id: row.id, oldStatus: row.oldStatus, newStatus: row.newStatus, reason: row.reason, changedBy: row.changedBy, changedAt: row.changedAt.toISOString() }));
}

/**
 * What makes an order recognisable in a list (docs/decisions/orders.md): its lines, its units and its first line's
 * product, read from the lines in the same query (page sizes are bounded).
 */
export const orderSummaryColumns = {
  itemCount: sql<number>`(select count(*)::int from ${orderItems} oi where oi.order_id = ${orders}.id)`.mapWith(Number),
  unitCount: sql<number>`(select coalesce(sum(oi.quantity), 0)::int from ${orderItems} oi where oi.order_id = ${orders}.id)`.mapWith(Number),
  firstItem: sql<{ productId: number; productName: string; imageUrl: string | null } | null>`(select json_build_object('productId', oi.product_id, 'productName', oi.product_name, 'imageUrl', oi.image_url) from ${orderItems} oi where oi.order_id = ${orders}.id order by oi.id limit 1)`,
};

type ListQuery = { page: number; size: number; sort: Sort<'createdAt' | 'totalAmount'>; status?: OrderStatus | undefined };

async function listOrders(db: Db, by: 'userId' | 'sellerId', ownerId: string, query: ListQuery) {
  const where = and(eq(by === 'userId' ? orders.userId : orders.sellerId, ownerId), query.status ? eq(orders.status, query.status) : undefined);
  const column = query.sort.field === 'totalAmount' ? orders.totalCents : orders.createdAt;
  const direction = query.sort.direction === 'ASC' ? asc : desc;
  const [rows, [total]] = await Promise.all([
    db
      .select({
        id: orders.id,
        checkoutId: orders.checkoutId,
        totalCents: orders.totalCents,
        status: orders.status,
        sellerId: orders.sellerId,
        userId: orders.userId,
        createdAt: orders.createdAt,
        ...orderSummaryColumns,
        sellerName: sql<string | null>`coalesce(${sellerProfiles.displayName}, nullif(trim(${userProfiles.firstName} || ' ' || ${userProfiles.lastName}), ''))`,
        recipientName: sql<string | null>`${orders.shippingAddress}->>'recipientName'`,
      })
      .from(orders)
      .leftJoin(sellerProfiles, eq(sellerProfiles.userId, orders.sellerId))
      .leftJoin(userProfiles, eq(userProfiles.userId, orders.sellerId))
      .where(where)
      .orderBy(direction(column), direction(orders.id))
      .limit(query.size)
      .offset(pageOffset(query)),
    db.select({ total: count() }).from(orders).where(where),
  ]);
  return {
    rows: rows.map((row) => ({
      id: row.id,
      checkoutId: row.checkoutId,
      totalAmount: centsToAmount(row.totalCents),
      status: row.status,
      itemCount: row.itemCount,
      unitCount: row.unitCount,
      firstItem: row.firstItem,
      sellerId: row.sellerId,
      sellerName: row.sellerName,
      recipientName: row.recipientName,
      userId: row.userId,
      createdAt: row.createdAt.toISOString(),
    })),
    meta: pageMeta(query.page, query.size, total?.total ?? 0),
  };
}

/** The caller's own orders, newest first by default. */
export async function listBuyerOrders(db: Db, caller: Caller, query: ListQuery) {
  const { rows, meta } = await listOrders(db, 'userId', caller.id, query);
  return { data: rows.map(({ userId: _userId, ...row }) => row), meta };
}

/** Orders placed with the calling seller. */
export const listSellerOrders = (db: Db, caller: Caller, query: ListQuery) => listOrders(db, 'sellerId', caller.id, query).then(({ rows, meta }) => ({ data: rows, meta }));

/** True when the caller bought this product in this order line and the order was delivered. */
export async function verifyPurchase(db: Db, caller: Caller, productId: number, orderItemId: string): Promise<boolean> {
  return (await findDeliveredPurchase(db, { customerId: caller.id, orderItemId, productId })) !== null;
}

/** What the payments domain needs to check a manual charge. */
export async function findOrderForPayment(db: Db, orderId: string) {
  const [row] = await db
    .select({ id: orders.id, userId: orders.userId, checkoutId: orders.checkoutId, totalCents: orders.totalCents, currency: orders.currency, status: orders.status })
    .from(orders)
    .where(eq(orders.id, orderId));
  return row;
}

/** The orders a checkout's payment pays for (status and total each), in id order. */
export async function findCheckoutOrdersForPayment(db: Db, checkoutId: string) {
  return db.select({ id: orders.id, status: orders.status, totalCents: orders.totalCents }).from(orders).where(eq(orders.checkoutId, checkoutId)).orderBy(asc(orders.id));
}
