import { and, asc, count, desc, eq, inArray, sql } from 'drizzle-orm';

import { recordAdminAction } from '@/platform/audit';
import { centsToAmount } from '@/catalog';
import { sellerProfiles, userProfiles } from '@/identity/tables';
import { storedShippingAddress } from '@/orders/address';
import { assertExpectedTotal } from '@/orders/price-check';
import { pricePurchase, refusedCodeError, toPreviewResponse, toTotals, type PricedGroup, type PricingDeps } from '@/orders/pricing';
import { reserveAdmitted, type AdmissionGate } from '@/launches';
import { redeemPromotions, releasePromotionUses } from '@/promotions';
import { TableTaxCalculator, type TaxCalculator } from '@/tax';
import { productImages, products } from '@/catalog/tables';
import { commissionCents, DEFAULT_COMMISSION_BPS, recordRefund, recordRelease, recordSale } from '@/marketplace';
import { createNotification, shortOrderNumber } from '@/notifications';
import { MAX_MESSAGE_AMOUNT, type CheckoutCreated, type OrderCancelled, type OrderCreated } from '@/orders/messages';
import { findDeliveredPurchase } from '@/orders/purchases';
import type { CreateOrder, OrderResponse } from '@/orders/schema';
import { MAX_LINE_QUANTITY } from '@/orders/schema';
import { type ShipOrder, toShipment } from '@/orders/shipment';
import { assertTransition } from '@/orders/state-machine';
import { checkouts, orderItems, orders, orderStatusHistory, outbox, type OrderStatus } from '@/orders/tables';
import { orderRefunds, type PaymentCompleted, type PaymentFailed } from '@/payments';
import { payments } from '@/payments/tables';
import { newId } from '@/platform/columns';
import type { Db, Queryable, Tx } from '@/platform/db';
import { AppError, badRequest, forbidden, notFound } from '@/platform/errors';
import type { Logger } from '@/platform/logger';
import { describeError } from '@/platform/logger';
import { pageMeta, pageOffset, type Sort } from '@/platform/pagination';
import { PermanentMessageError, SAGA_MAX_DELIVERIES } from '@/platform/queue-consumer';
import { returnSummaries } from '@/returns';

/** A product line as the stock and cart services take it. */
export interface StockLine {
  productId: number;
  quantity: number;
}

/** The catalog's StockDO operations, all idempotent per order id (workers/catalog/stock.ts). */
export interface StockPort {
  reserve(orderId: string, lines: StockLine[], ttlMs: number): Promise<void>;
  commit(orderId: string, lines: StockLine[]): Promise<void>;
  release(orderId: string, lines: StockLine[]): Promise<void>;
  restock(orderId: string, lines: StockLine[]): Promise<void>;
}

/** The buyer's cart (workers/cart/service.ts), idempotent per order id. */
export interface CartPort {
  removeOrdered(userId: string, orderId: string, items: StockLine[]): Promise<void>;
  /** The buyer's cart lines (what a checkout without `items` buys). */
  lines(userId: string): Promise<StockLine[]>;
}

export interface OrderDeps {
  db: Db;
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  stock: StockPort;
  cart: CartPort;
  logger: Logger;
  /** The platform commission in basis points (`PLATFORM_COMMISSION_BPS`); {@link DEFAULT_COMMISSION_BPS} when absent. */
  commissionBps?: number;
  /** `TAX_CALCULATOR`'s calculator; the rates table on `db` when absent. */
  tax?: TaxCalculator;
}

export const pricingDeps = (deps: OrderDeps): PricingDeps => ({ db: deps.db, tax: deps.tax ?? new TableTaxCalculator(deps.db) });

/**
 * The platform's cut of one seller order (docs/decisions/promotions.md): commission on what each line sold at after
 * a seller-funded discount and without tax (a tax-inclusive price leaves out its tax), less what the platform itself
 * gave away (so a platform-funded discount may take the commission below 0: the platform then pays the seller the
 * difference).
 */
export async function orderCommission(deps: OrderDeps, lines: readonly { productId: number; quantity: number; product: { priceCents: number; categoryId: number | null } }[], priced: PricedGroup): Promise<number> {
  const base = await commissionCents(
    deps.db,
    lines.map((l) => ({
      categoryId: l.product.categoryId,
      lineCents: l.product.priceCents * l.quantity - (priced.sellerDiscountByLine.get(l.productId) ?? 0) - (deps.tax?.pricesIncludeTax ? (priced.lines.get(l.productId)?.taxCents ?? 0) : 0),
    })),
    deps.commissionBps ?? DEFAULT_COMMISSION_BPS,
  );
  return base - priced.platformDiscountCents;
}

/** The money columns of an order row from its priced group. */
export const orderMoney = (g: PricedGroup, taxIncluded: boolean) => ({
  taxIncluded,
  subtotalCents: g.subtotalCents,
  shippingCents: g.shippingCents,
  discountCents: g.discountCents,
  taxCents: g.taxCents,
  totalCents: g.totalCents,
  shippingDiscountCents: g.shippingDiscountCents,
  shippingTaxCents: g.shippingTaxCents,
});

/** An order line's copied product and its discount and tax (sellerId and orderId are the caller's). */
export function orderItemValues(l: { productId: number; quantity: number; product: { name: string; priceCents: number; imageUrl: string | null } }, g: PricedGroup) {
  const priced = g.lines.get(l.productId);
  return {
    productId: l.productId,
    productName: l.product.name.slice(0, 200),
    unitPriceCents: l.product.priceCents,
    quantity: l.quantity,
    imageUrl: l.product.imageUrl,
    discountCents: priced?.discountCents ?? 0,
    taxCents: priced?.taxCents ?? 0,
    promotionId: priced?.promotionId ?? null,
  };
}

export interface Caller {
  id: string;
  role: 'customer' | 'seller' | 'admin';
  email?: string;
}

/** A placed order holds its stock this long; the reaper cancels unpaid orders at the same age. */
export const RESERVATION_TTL_MS = 15 * 60 * 1000;
export const SYSTEM_PAYMENTS = 'system:payments';
export const SYSTEM_REAPER = 'system:reaper';

export type OrderRow = typeof orders.$inferSelect;
export type OrderItemRow = typeof orderItems.$inferSelect;

/** The result of a state change: the order as it is now, and outbox rows to relay after commit. */
export interface OrderChange {
  order: OrderResponse;
  outboxIds: number[];
  /** The same rows with their payloads when the change still holds them: relayed without reading them back. */
  outboxRows?: { id: number; payload: OrderCreated | OrderCancelled | CheckoutCreated }[];
}

export const money = (cents: number, currency = 'USD') => `${centsToAmount(cents).toFixed(2)} ${currency}`;

export function toOrderResponse(order: OrderRow, items: OrderItemRow[]): OrderResponse {
  return {
    id: order.id,
    userId: order.userId,
    sellerId: order.sellerId,
    cartId: order.cartId,
    checkoutId: order.checkoutId,
    totalAmount: centsToAmount(order.totalCents),
    currency: order.currency,
    totals: toTotals(order, order.taxIncluded, order.currency),
    shipping:
      order.shippingMethod === null
        ? null
        : { optionId: order.shippingOptionId, method: order.shippingMethod, price: centsToAmount(order.shippingCents), minDays: order.shippingMinDays, maxDays: order.shippingMaxDays },
    status: order.status,
    shippingAddress: order.shippingAddress,
    cancelReason: order.cancelReason,
    paymentId: order.paymentId,
    shipment: toShipment(order.shipmentCarrier, order.trackingNumber),
    promoCode: order.promoCode,
    shippingDiscount: centsToAmount(order.shippingDiscountCents),
    shippingTax: centsToAmount(order.shippingTaxCents),
    items: items.map((item) => ({
      id: item.id,
      productId: item.productId,
      productName: item.productName,
      quantity: item.quantity,
      unitPrice: centsToAmount(item.unitPriceCents),
      subtotal: centsToAmount(item.unitPriceCents * item.quantity),
      imageUrl: item.imageUrl,
      discount: centsToAmount(item.discountCents),
      tax: centsToAmount(item.taxCents),
      promotionId: item.promotionId,
    })),
    createdAt: order.createdAt.toISOString(),
    updatedAt: order.updatedAt.toISOString(),
  };
}

export const loadItems = (q: Queryable, orderId: string) => q.select().from(orderItems).where(eq(orderItems.orderId, orderId)).orderBy(asc(orderItems.productId));
export const linesOf = (items: OrderItemRow[]): StockLine[] => items.map((item) => ({ productId: item.productId, quantity: item.quantity }));

/** Duplicate product lines merged into one; a merged quantity above the per-line maximum is a 400. */
export function mergeOrderLines(items: CreateOrder['items']): StockLine[] {
  const merged = new Map<number, number>();
  for (const item of items) merged.set(item.productId, (merged.get(item.productId) ?? 0) + item.quantity);
  const lines = [...merged].map(([productId, quantity]) => ({ productId, quantity }));
  const tooMany = lines.find((line) => line.quantity > MAX_LINE_QUANTITY);
  if (tooMany) {
    throw badRequest('VALIDATION_ERROR', 'Request validation failed', { items: `Product ${tooMany.productId} adds up to more than ${MAX_LINE_QUANTITY}` });
  }
  return lines;
}

export async function enqueue(tx: Tx, event: OrderCreated | OrderCancelled | CheckoutCreated): Promise<number> {
  const [row] = await tx
    .insert(outbox)
    .values({ aggregateId: event.type === 'checkout.created' ? event.checkoutId : event.orderId, eventType: event.type, payload: event, headers: { 'X-Correlation-ID': event.correlationId } })
    .returning({ id: outbox.id });
  return row!.id;
}

export const eventEnvelope = (orderId: string, correlationId: string) => ({
  version: 1 as const,
  correlationId,
  eventId: newId(),
  orderId,
  occurredAt: new Date().toISOString(),
});

/** Options of {@link placeOrder}. */
export interface PlaceOrderOptions {
  /**
   * The order id to use (derived from the request's Idempotency-Key): when an order with this id
   * already exists — the same request committed it before its response was stored — that order is
   * returned and nothing is placed again.
   */
  orderId?: string;
  /** The admissions of launched products in the order: used just before the stock step, given back if the order fails after it (not for stock). */
  admission?: AdmissionGate | undefined;
}

/** The caller's order with this id, if one was committed. */
async function findPlacedOrder(db: Db, caller: Caller, orderId: string): Promise<OrderResponse | null> {
  const [order] = await db.select().from(orders).where(and(eq(orders.id, orderId), eq(orders.userId, caller.id)));
  return order ? toOrderResponse(order, await loadItems(db, orderId)) : null;
}

/**
 * The products of an order or checkout, each ACTIVE (404 naming every one that is not) and none the caller's own
 * (403), with the price and first image the order lines copy.
 */
export async function loadPurchasable(db: Db, caller: Caller, ids: number[]) {
  const found = await db
    .select({
      id: products.id,
      sellerId: products.sellerId,
      name: products.name,
      priceCents: products.priceCents,
      status: products.status,
      categoryId: products.categoryId,
      imageUrl: sql<string | null>`(select pi.url from ${productImages} pi where pi.product_id = ${products}.id order by pi.sort_order, pi.id limit 1)`,
    })
    .from(products)
    .where(inArray(products.id, ids));
  const byId = new Map(found.map((product) => [product.id, product]));
  const missing = ids.filter((id) => byId.get(id)?.status !== 'ACTIVE');
  if (missing.length > 0) {
    throw new AppError(404, 'PRODUCT_NOT_FOUND', `Product ${missing.join(', ')} is not available`, Object.fromEntries(missing.map((id) => [`product.${id}`, 'Not found or not for sale'])));
  }
  if (found.some((product) => product.sellerId === caller.id)) throw forbidden('Sellers cannot buy their own products', 'SELLER_CANNOT_BUY_OWN_PRODUCT');
  return { found, byId };
}

/** A single-seller order as it would be placed now: merged lines, one seller, discount and tax (no shipping line). */
async function priceOrder(deps: OrderDeps, caller: Caller, input: Pick<CreateOrder, 'items' | 'promoCode'> & { shippingAddress?: CreateOrder['shippingAddress'] | undefined }) {
  const lines = mergeOrderLines(input.items);
  const { found, byId } = await loadPurchasable(deps.db, caller, lines.map((line) => line.productId));
  const sellers = new Set(found.map((product) => product.sellerId));
  if (sellers.size > 1) throw badRequest('MIXED_SELLER_ORDER', 'An order can contain products of one seller only; check out each seller separately');
  const sellerId = found[0]!.sellerId;
  const priced = lines.map((line) => ({ ...line, product: byId.get(line.productId)! }));
  const pricing = await pricePurchase(pricingDeps(deps), caller.id, [{ sellerId, lines: priced, shippingCents: 0 }], input.shippingAddress, input.promoCode);
  return { lines, sellerId, priced, pricing, group: pricing.groups.get(sellerId)! };
}

/** `POST /api/v1/orders/preview`: what a single-seller order would cost now (no shipping line), nothing reserved. */
export async function previewOrder(deps: OrderDeps, caller: Caller, input: Parameters<typeof priceOrder>[2]) {
  const { sellerId, priced, pricing, group } = await priceOrder(deps, caller, input);
  return toPreviewResponse([{ sellerId, lines: priced, priced: group, shipping: { optionId: null, method: 'No shipping line', minDays: 0, maxDays: 0 } }], pricing);
}

/**
 * Checkout (∅ → PENDING). Validates everything that needs no stock first (prices from the
 * database, ACTIVE products, never one's own, one seller per order, a payable total), then reserves
 * stock in the StockDOs (all-or-nothing), then writes order + items + history + outbox row + seller
 * notice in ONE transaction; if that fails, the reservations are released. Finally the ordered
 * lines leave the cart.
 */
export async function placeOrder(deps: OrderDeps, caller: Caller, input: CreateOrder, correlationId: string, options: PlaceOrderOptions = {}): Promise<OrderChange> {
  if (options.orderId) {
    const placed = await findPlacedOrder(deps.db, caller, options.orderId);
    if (placed) return { order: placed, outboxIds: [] };
  }
  const { lines, sellerId, priced, pricing, group } = await priceOrder(deps, caller, input);
  if (pricing.code?.refusal) throw refusedCodeError(pricing.code);
  const totalCents = pricing.totalCents;
  // The gateway cannot charge 0, and the saga's messages carry at most MAX_MESSAGE_AMOUNT: such an
  // order could never be paid (it would dead-letter, be re-published, dead-letter again), so refuse it now.
  if (totalCents <= 0 || centsToAmount(totalCents) > MAX_MESSAGE_AMOUNT) {
    throw new AppError(422, 'ORDER_NOT_PAYABLE', totalCents <= 0 ? 'An order must cost more than 0 to be paid' : `An order may cost at most ${MAX_MESSAGE_AMOUNT.toFixed(2)}`, {
      totalAmount: centsToAmount(totalCents).toFixed(2),
    });
  }
  assertExpectedTotal(input.expectedTotal, pricing, priced);
  const shippingAddress = await storedShippingAddress(deps.db, caller.id, input.shippingAddress);
  const orderId = options.orderId ?? newId();
  const commission = await orderCommission(deps, priced, group);

  await reserveAdmitted(options.admission, orderId, () => deps.stock.reserve(orderId, lines, RESERVATION_TTL_MS));
  let result: { order: OrderRow; items: OrderItemRow[]; outboxId: number; created: OrderCreated };
  try {
    result = await deps.transaction(async (tx) => {
      const [order] = await tx
        .insert(orders)
        .values({ id: orderId, userId: caller.id, sellerId, cartId: input.cartId ?? null, status: 'PENDING', ...orderMoney(group, pricing.taxIncluded), commissionCents: commission, promoCode: pricing.code?.applied ? pricing.code.code : null, shippingAddress })
        .returning();
      const items = await tx
        .insert(orderItems)
        .values(priced.map((line) => ({ orderId, sellerId, ...orderItemValues(line, group) })))
        .returning();
      await redeemPromotions(tx, caller.id, orderId, pricing.uses);
      await tx.insert(orderStatusHistory).values({ orderId, oldStatus: null, newStatus: 'PENDING', reason: 'order placed', changedBy: caller.id });
      const created: OrderCreated = {
        type: 'order.created',
        ...eventEnvelope(orderId, correlationId),
        userId: caller.id,
        totalAmount: centsToAmount(totalCents),
        currency: order!.currency,
        items: priced.map((line) => ({ productId: line.productId, quantity: line.quantity, unitPrice: centsToAmount(line.product.priceCents) })),
        idempotencyKey: orderId,
        ...(input.paymentConfirmation === 'client' ? { paymentConfirmation: 'client' as const } : {}),
      };
      const outboxId = await enqueue(tx, created);
      await createNotification(tx, {
        userId: sellerId,
        type: 'ORDER_PLACED',
        title: `New order ${shortOrderNumber(orderId)} received`,
        body: `Total ${money(totalCents, order!.currency)}, awaiting payment.`,
        orderId,
      });
      return { order: order!, items, outboxId, created };
    });
  } catch (err) {
    // A twin of this request (same Idempotency-Key, taken over) committed the same order id first.
    if (options.orderId) {
      const placed = await findPlacedOrder(deps.db, caller, orderId).catch(() => null);
      if (placed) return { order: placed, outboxIds: [] };
    }
    await deps.stock.release(orderId, lines).catch((releaseErr) => deps.logger.error('could not release stock of a failed order (the reservation expires by alarm)', { orderId, ...describeError(releaseErr) }));
    await restoreAdmissions(deps, options.admission, orderId);
    throw err;
  }
  try {
    await deps.cart.removeOrdered(caller.id, orderId, lines);
  } catch (err) {
    deps.logger.warn('could not remove ordered lines from the cart', { orderId, ...describeError(err) });
  }
  return { order: toOrderResponse(result.order, result.items), outboxIds: [result.outboxId], outboxRows: [{ id: result.outboxId, payload: result.created }] };
}

/** Gives an order's admissions back after it failed past the stock step (logged only: an admission expires anyway). */
export async function restoreAdmissions(deps: Pick<OrderDeps, 'logger'>, gate: AdmissionGate | undefined, orderId: string): Promise<void> {
  await gate?.restore(orderId).catch((err) => deps.logger.error('could not give back the admissions of a failed order', { orderId, ...describeError(err) }));
}

/** An order as its own page shows it: lines, and what happened after the sale (returns, refunds). */
async function orderWithAfterSales(db: Db, order: OrderRow): Promise<OrderResponse> {
  const [items, orderReturns, refunds] = await Promise.all([loadItems(db, order.id), returnSummaries(db, order.id), orderRefunds(db, order.id)]);
  return { ...toOrderResponse(order, items), returns: orderReturns, refunds };
}

/** Reads an order the caller may see: the buyer or an admin (403 `ACCESS_DENIED` for anyone else). */
export async function getOrder(db: Db, caller: Caller, orderId: string): Promise<OrderResponse> {
  const [order] = await db.select().from(orders).where(eq(orders.id, orderId));
  if (!order) throw notFound('ORDER_NOT_FOUND', 'Order not found');
  if (caller.role !== 'admin' && order.userId !== caller.id) throw forbidden();
  return orderWithAfterSales(db, order);
}

/** The order's seller (or an admin) reads it from the seller dashboard. */
export async function getSellerOrder(db: Db, caller: Caller, orderId: string): Promise<OrderResponse> {
  const [order] = await db.select().from(orders).where(eq(orders.id, orderId));
  if (!order) throw notFound('ORDER_NOT_FOUND', 'Order not found');
  if (caller.role !== 'admin' && order.sellerId !== caller.id) throw forbidden();
  return orderWithAfterSales(db, order);
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

interface TransitionSpec {
  to: OrderStatus;
  changedBy: string;
  reason: string | null;
  /** Throws when the caller may not touch this order; runs before the state check. */
  authorize?: (order: OrderRow) => void;
  set?: Partial<Pick<OrderRow, 'cancelReason' | 'paymentId' | 'shipmentCarrier' | 'trackingNumber'>>;
}

/** Locks the order (`SELECT … FOR UPDATE`), checks the caller and the state machine, applies and records the transition. */
async function transitionOrder(tx: Tx, orderId: string, spec: TransitionSpec): Promise<{ order: OrderRow; from: OrderStatus }> {
  const [locked] = await tx.select().from(orders).where(eq(orders.id, orderId)).for('update');
  if (!locked) throw notFound('ORDER_NOT_FOUND', 'Order not found');
  spec.authorize?.(locked);
  assertTransition(locked.status, spec.to);
  const [order] = await tx
    .update(orders)
    .set({ status: spec.to, ...spec.set, updatedAt: new Date() })
    .where(eq(orders.id, orderId))
    .returning();
  await tx.insert(orderStatusHistory).values({ orderId, oldStatus: locked.status, newStatus: spec.to, reason: spec.reason, changedBy: spec.changedBy });
  // The seller's earnings move with the order, in the same transaction (workers/marketplace/ledger.ts).
  if (spec.to === 'CONFIRMED') await recordSale(tx, order!);
  if (spec.to === 'CANCELLED' && locked.status === 'CONFIRMED') await recordRefund(tx, order!, spec.reason ?? 'cancelled');
  // A cancelled purchase gives its promotions' uses back (docs/decisions/promotions.md).
  if (spec.to === 'CANCELLED') await releasePromotionUses(tx, order!);
  if (spec.to === 'DELIVERED') await recordRelease(tx, order!, 'order delivered');
  if (order!.checkoutId !== null) await syncCheckoutStatus(tx, order!.checkoutId);
  return { order: order!, from: locked.status };
}

/**
 * A checkout's status follows its payment and its orders: PAID once its payment completed (refunds of some orders
 * do not undo that), PAYMENT_FAILED once it was declined, CANCELLED when every order was cancelled before any
 * payment, PENDING otherwise. Called inside each transaction that changes one of its orders (after the order's
 * row lock: checkout rows are always locked last, so two such transactions cannot deadlock).
 */
export async function syncCheckoutStatus(tx: Tx, checkoutId: string): Promise<void> {
  await tx.execute(sql`
    update ${checkouts} c set
      status = case
        when exists (select 1 from ${payments} p where p.checkout_id = c.id and p.status in ('COMPLETED', 'REFUNDED')) then 'PAID'
        when exists (select 1 from ${payments} p where p.checkout_id = c.id and p.status = 'FAILED') then 'PAYMENT_FAILED'
        when not exists (select 1 from ${orders} o where o.checkout_id = c.id and o.status <> 'CANCELLED') then 'CANCELLED'
        else 'PENDING' end,
      payment_id = coalesce((select p.id from ${payments} p where p.checkout_id = c.id), c.payment_id),
      updated_at = now()
    where c.id = ${checkoutId}`);
}

const isBuyerOrAdmin = (caller: Caller) => (order: OrderRow) => {
  if (caller.role !== 'admin' && order.userId !== caller.id) throw forbidden();
};

/** An admin's transition is recorded in the audit log inside the transition's own transaction. */
const auditIfAdmin = (tx: Tx, caller: Caller, action: string, change: { order: OrderRow; from: OrderStatus }) =>
  caller.role === 'admin'
    ? recordAdminAction(tx, { actor: { id: caller.id, email: caller.email ?? '' }, action, targetType: 'order', targetId: change.order.id, before: { status: change.from }, after: { status: change.order.status, reason: change.order.cancelReason } })
    : Promise.resolve();

async function runStockStep(deps: OrderDeps, step: 'release' | 'restock' | 'commit', orderId: string, items: OrderItemRow[]) {
  try {
    await deps.stock[step](orderId, linesOf(items));
  } catch (err) {
    // The state change is committed; a missed release is repaired by the reservation's expiry alarm.
    deps.logger.error(`stock ${step} failed after the order changed`, { orderId, ...describeError(err) });
  }
}

/**
 * Buyer (or admin) cancels a PENDING or CONFIRMED order. PENDING → release the reservation;
 * CONFIRMED → restock. Either way `order.cancelled` goes out so a completed payment is refunded.
 */
export async function cancelOrder(deps: OrderDeps, caller: Caller, orderId: string, reason: string | undefined, correlationId: string): Promise<OrderChange> {
  const cancelReason = (reason ?? (caller.role === 'admin' ? 'cancelled by admin' : 'cancelled by buyer')).slice(0, 255);
  const { order, from, items, outboxId } = await deps.transaction(async (tx) => {
    const changed = await transitionOrder(tx, orderId, { to: 'CANCELLED', changedBy: caller.id, reason: cancelReason, authorize: isBuyerOrAdmin(caller), set: { cancelReason } });
    const outboxId = await enqueue(tx, { type: 'order.cancelled', ...eventEnvelope(orderId, correlationId), previousStatus: changed.from, reason: cancelReason });
    await auditIfAdmin(tx, caller, 'order.cancelled', changed);
    const who = caller.role === 'admin' ? 'An administrator' : 'The buyer';
    await createNotification(tx, {
      userId: changed.order.sellerId,
      type: 'ORDER_CANCELLED',
      title: caller.role === 'admin' ? `Order ${shortOrderNumber(orderId)} was cancelled` : `Buyer cancelled order ${shortOrderNumber(orderId)}`,
      body: `${who} cancelled it (${cancelReason}).`,
      orderId,
    });
    return { ...changed, items: await loadItems(tx, orderId), outboxId };
  });
  await runStockStep(deps, from === 'CONFIRMED' ? 'restock' : 'release', orderId, items);
  return { order: toOrderResponse(order, items), outboxIds: [outboxId] };
}

/** The order's seller (or an admin) ships a CONFIRMED order, with the carrier and tracking number when given. */
export async function shipOrder(deps: OrderDeps, caller: Caller, orderId: string, shipment: ShipOrder = {}): Promise<OrderChange> {
  const { order, items } = await deps.transaction(async (tx) => {
    const changed = await transitionOrder(tx, orderId, {
      to: 'SHIPPED',
      changedBy: caller.id,
      reason: shipment.carrier ? `shipped with ${shipment.carrier} (${shipment.trackingNumber})` : 'shipped',
      set: shipment.carrier && shipment.trackingNumber ? { shipmentCarrier: shipment.carrier, trackingNumber: shipment.trackingNumber } : undefined,
      authorize: (row) => {
        if (caller.role !== 'admin' && row.sellerId !== caller.id) throw forbidden();
      },
    });
    await auditIfAdmin(tx, caller, 'order.shipped', changed);
    await createNotification(tx, { userId: changed.order.userId, type: 'ORDER_SHIPPED', title: `Order ${shortOrderNumber(orderId)} is on its way`, orderId });
    return { ...changed, items: await loadItems(tx, orderId) };
  });
  return { order: toOrderResponse(order, items), outboxIds: [] };
}

/** The buyer (or an admin) confirms delivery of a SHIPPED order; this enables reviews. */
export async function deliverOrder(deps: OrderDeps, caller: Caller, orderId: string): Promise<OrderChange> {
  const { order, items } = await deps.transaction(async (tx) => {
    const changed = await transitionOrder(tx, orderId, { to: 'DELIVERED', changedBy: caller.id, reason: 'delivered', authorize: isBuyerOrAdmin(caller) });
    await auditIfAdmin(tx, caller, 'order.delivered', changed);
    await createNotification(tx, { userId: changed.order.sellerId, type: 'ORDER_DELIVERED', title: `Order ${shortOrderNumber(orderId)} was delivered`, orderId });
    return { ...changed, items: await loadItems(tx, orderId) };
  });
  return { order: toOrderResponse(order, items), outboxIds: [] };
}

/** What a payment event did: the stock step to (re)run after commit and any outbox rows to relay. */
export interface PaymentEventResult {
  outcome: 'applied' | 'duplicate' | 'refund-requested' | 'ignored' | 'cancelled-unfulfillable';
  status: OrderStatus;
  stockStep: 'commit' | 'release' | 'restock' | null;
  outboxIds: number[];
}

/** How the caller of {@link applyPaymentCompleted} delivers it, and what must commit with its outcome. */
export interface PaymentCompletedOptions {
  /** The delivery number of the queue message (1 = first); the last one settles a failing stock commit. */
  attempts?: number;
  /**
   * Runs inside the transaction that decides the order (after its row lock): the payments step
   * records the payment COMPLETED here, so payment and order change together (read-your-writes).
   */
  inTransaction?: (tx: Tx) => Promise<void>;
}

async function lockOrderForEvent(tx: Tx, orderId: string): Promise<OrderRow> {
  const [order] = await tx.select().from(orders).where(eq(orders.id, orderId)).for('update');
  // The order row commits with its outbox row, so an event for a missing order is a contract violation.
  if (!order) throw new PermanentMessageError(`payment event for unknown order ${orderId}`);
  return order;
}

export const UNFULFILLABLE_REASON = 'stock unavailable: the reservation was lost before payment';
export const STOCK_COMMIT_FAILED_REASON = 'stock could not be committed after payment; refunded';

/**
 * `payment.completed`: the units are committed in the StockDOs FIRST, then the order is confirmed
 * under its row lock — so a CONFIRMED order always has its units sold, and nothing can ship an
 * order whose stock is still only held.
 *
 * - PENDING: commit (idempotent per order), then PENDING → CONFIRMED + notify seller and buyer.
 * - The StockDO refuses the commit (the hold was released by a cancel, or expired and the units
 *   are gone): the order is cancelled (`stock unavailable`), the payment refunded via `order.cancelled`.
 * - The commit keeps failing (DO unreachable): the message is retried, the order stays PENDING;
 *   on the last delivery the order is cancelled the same way (`stock could not be committed`).
 * - Cancelled meanwhile (before or after our commit): stays CANCELLED, a refund is requested once,
 *   and `restock` gives back whatever the commit took (a no-op when the hold was already released).
 * - A repeat of an applied event changes nothing (a CANCELLED order re-runs the idempotent restock).
 */
export async function applyPaymentCompleted(deps: OrderDeps, event: PaymentCompleted, options: PaymentCompletedOptions = {}): Promise<PaymentEventResult> {
  const [seen] = await deps.db.select({ status: orders.status }).from(orders).where(eq(orders.id, event.orderId));
  if (!seen) throw new PermanentMessageError(`payment event for unknown order ${event.orderId}`);
  const cancelReason = seen.status === 'PENDING' ? await commitForPayment(deps, event.orderId, options.attempts ?? 1) : null;
  const result = await deps.transaction(async (tx): Promise<PaymentEventResult> => {
    const order = await lockOrderForEvent(tx, event.orderId);
    await options.inTransaction?.(tx);
    return decidePaymentCompleted(deps, tx, order, event, cancelReason);
  });
  // Gives back whatever a commit (ours, or a partial one) took for an order that ended CANCELLED; a
  // failure throws so the message is retried (and a replay of its dead letter re-runs it).
  if (result.stockStep === 'restock') await deps.stock.restock(event.orderId, linesOf(await loadItems(deps.db, event.orderId)));
  return result;
}

/**
 * Commits a PENDING order's reserved units for its payment. Returns null when committed, or the reason to cancel
 * the order with when the StockDO refused (or, on the last delivery, kept failing); throws when a retry may heal it.
 */
async function commitForPayment(deps: OrderDeps, orderId: string, attempts: number): Promise<string | null> {
  try {
    await deps.stock.commit(orderId, linesOf(await loadItems(deps.db, orderId)));
    return null;
  } catch (err) {
    // A refusal will not heal by retrying; an unreachable DO might, until the last delivery.
    const final = err instanceof AppError || attempts >= SAGA_MAX_DELIVERIES;
    if (!final) throw err;
    deps.logger.error('stock commit of a paid order failed for good; cancelling and refunding it', { orderId, ...describeError(err) });
    return err instanceof AppError ? UNFULFILLABLE_REASON : STOCK_COMMIT_FAILED_REASON;
  }
}

/** The decision of `payment.completed` for one order already locked in `tx` (see {@link applyPaymentCompleted}). */
async function decidePaymentCompleted(deps: OrderDeps, tx: Tx, order: OrderRow, event: { paymentId: string; correlationId: string }, cancelReason: string | null): Promise<PaymentEventResult> {
  const short = shortOrderNumber(order.id);
  if (order.status === 'PENDING' && cancelReason === null) {
    const { order: confirmed } = await transitionOrder(tx, order.id, { to: 'CONFIRMED', changedBy: SYSTEM_PAYMENTS, reason: `payment ${event.paymentId} completed`, set: { paymentId: event.paymentId } });
    await createNotification(tx, { userId: confirmed.sellerId, type: 'ORDER_PAID', title: `Paid — ready to ship: order ${short}`, body: `Payment of ${money(order.totalCents, order.currency)} received.`, orderId: order.id });
    await createNotification(tx, { userId: confirmed.userId, type: 'PAYMENT_CONFIRMED', title: `Payment confirmed for order ${short}`, body: `We received ${money(order.totalCents, order.currency)}.`, orderId: order.id });
    return { outcome: 'applied', status: 'CONFIRMED', stockStep: null, outboxIds: [] };
  }
  if (order.status === 'PENDING' && cancelReason !== null) {
    await transitionOrder(tx, order.id, { to: 'CANCELLED', changedBy: SYSTEM_PAYMENTS, reason: cancelReason, set: { cancelReason, paymentId: event.paymentId } });
    const outboxId = await enqueue(tx, { type: 'order.cancelled', ...eventEnvelope(order.id, event.correlationId), previousStatus: 'PENDING', reason: cancelReason });
    await createNotification(tx, { userId: order.userId, type: 'ORDER_CANCELLED', title: `Order ${short} was cancelled: an item could not be taken from stock`, body: `Your payment of ${money(order.totalCents, order.currency)} will be refunded.`, orderId: order.id });
    await createNotification(tx, { userId: order.sellerId, type: 'ORDER_CANCELLED', title: `Order ${short} was cancelled: stock was not available`, body: 'Nothing to ship; the buyer is refunded.', orderId: order.id });
    return { outcome: 'cancelled-unfulfillable', status: 'CANCELLED', stockStep: 'restock', outboxIds: [outboxId] };
  }
  if (order.paymentId === event.paymentId) {
    return { outcome: 'duplicate', status: order.status, stockStep: order.status === 'CANCELLED' ? 'restock' : null, outboxIds: [] };
  }
  if (order.status === 'CANCELLED') {
    await tx.update(orders).set({ paymentId: event.paymentId, updatedAt: new Date() }).where(eq(orders.id, order.id));
    const reason = 'payment completed after cancellation; refund requested';
    await tx.insert(orderStatusHistory).values({ orderId: order.id, oldStatus: 'CANCELLED', newStatus: 'CANCELLED', reason, changedBy: SYSTEM_PAYMENTS });
    const outboxId = await enqueue(tx, { type: 'order.cancelled', ...eventEnvelope(order.id, event.correlationId), previousStatus: 'CANCELLED', reason });
    await createNotification(tx, {
      userId: order.userId,
      type: 'REFUND_PENDING',
      title: `Payment for cancelled order ${short} will be refunded`,
      body: `Your payment of ${money(order.totalCents, order.currency)} arrived after the order was cancelled.`,
      orderId: order.id,
    });
    if (order.checkoutId !== null) await syncCheckoutStatus(tx, order.checkoutId);
    return { outcome: 'refund-requested', status: 'CANCELLED', stockStep: 'restock', outboxIds: [outboxId] };
  }
  deps.logger.warn('payment.completed ignored', { orderId: order.id, status: order.status, paymentId: event.paymentId, orderPaymentId: order.paymentId });
  return { outcome: 'ignored', status: order.status, stockStep: null, outboxIds: [] };
}

/** What {@link applyCheckoutPaymentCompleted} did to each order of the checkout. */
export interface CheckoutPaymentResult {
  results: (PaymentEventResult & { orderId: string })[];
  outboxIds: number[];
}

/**
 * The checkout's one payment was approved (the payments step, read-your-writes): every PENDING order's units are
 * committed first (all StockDOs at once), then ONE transaction locks every order of the checkout (in id order),
 * runs `inTransaction` (the payment is recorded COMPLETED there) and decides each order exactly as
 * {@link applyPaymentCompleted} would — so a client that reads the payment COMPLETED finds every order decided. A
 * StockDO that does not answer throws: the payment is then recorded alone and each order's `payment.completed`
 * (the payments step publishes one per order) settles it through the consumer, retries included.
 */
export async function applyCheckoutPaymentCompleted(
  deps: OrderDeps,
  event: { checkoutId: string; paymentId: string; correlationId: string },
  options: { inTransaction?: (tx: Tx) => Promise<void> } = {},
): Promise<CheckoutPaymentResult> {
  const members = await deps.db.select({ id: orders.id, status: orders.status }).from(orders).where(eq(orders.checkoutId, event.checkoutId)).orderBy(asc(orders.id));
  if (members.length === 0) throw new PermanentMessageError(`payment event for unknown checkout ${event.checkoutId}`);
  const reasons = new Map<string, string | null>();
  const committed = await Promise.allSettled(members.map(async (member) => reasons.set(member.id, member.status === 'PENDING' ? await commitForPayment(deps, member.id, 1) : null)));
  const failed = committed.find((outcome) => outcome.status === 'rejected');
  if (failed) throw failed.reason;
  const results = await deps.transaction(async (tx) => {
    const locked = await tx.select().from(orders).where(eq(orders.checkoutId, event.checkoutId)).orderBy(asc(orders.id)).for('update');
    await options.inTransaction?.(tx);
    const decided: (PaymentEventResult & { orderId: string })[] = [];
    for (const order of locked) decided.push({ orderId: order.id, ...(await decidePaymentCompleted(deps, tx, order, event, reasons.get(order.id) ?? null)) });
    await syncCheckoutStatus(tx, event.checkoutId);
    return decided;
  });
  await Promise.all(results.filter((r) => r.stockStep === 'restock').map(async (r) => deps.stock.restock(r.orderId, linesOf(await loadItems(deps.db, r.orderId)))));
  return { results, outboxIds: results.flatMap((r) => r.outboxIds) };
}

const PAYMENT_FAILED_PREFIX = 'payment failed';

/**
 * `payment.failed`: PENDING → CANCELLED + release the reservation + notify the buyer. A decline is
 * final (never retried). Repeats re-run the idempotent release; late failures for other states are no-ops.
 */
export async function applyPaymentFailed(deps: OrderDeps, event: PaymentFailed): Promise<PaymentEventResult> {
  const result = await deps.transaction(async (tx): Promise<PaymentEventResult> => {
    const order = await lockOrderForEvent(tx, event.orderId);
    if (order.status === 'PENDING') {
      const cancelReason = `${PAYMENT_FAILED_PREFIX}: ${event.reason}`.slice(0, 255);
      await transitionOrder(tx, order.id, { to: 'CANCELLED', changedBy: SYSTEM_PAYMENTS, reason: cancelReason, set: { cancelReason, paymentId: event.paymentId } });
      await createNotification(tx, {
        userId: order.userId,
        type: 'PAYMENT_FAILED',
        title: `Payment failed for order ${shortOrderNumber(order.id)}`,
        body: 'The payment was declined, so the order was cancelled. You can place it again with another payment method.',
        orderId: order.id,
      });
      return { outcome: 'applied', status: 'CANCELLED', stockStep: 'release', outboxIds: [] };
    }
    if (order.status === 'CANCELLED' && order.paymentId === event.paymentId && order.cancelReason?.startsWith(PAYMENT_FAILED_PREFIX)) {
      return { outcome: 'duplicate', status: order.status, stockStep: 'release', outboxIds: [] };
    }
    return { outcome: 'ignored', status: order.status, stockStep: null, outboxIds: [] };
  });
  if (result.stockStep === 'release') await deps.stock.release(event.orderId, linesOf(await loadItems(deps.db, event.orderId)));
  return result;
}

/** Minutes after which an unpaid order's `order.created` is re-published, and the cap on re-publications. */
export const REAPER_REPUBLISH_AFTER_SECONDS = 120;
export const REAPER_MAX_REPUBLISHES = 5;
export const REAPER_TIMEOUT_SECONDS = RESERVATION_TTL_MS / 1000;

/**
 * Reaper, step 1: PENDING orders older than 2 minutes whose last `order.created` went out over 2
 * minutes ago get it re-published (a copy of the first one), at most 5 times per order.
 */
export async function requeueStuckOrders(db: Db, limit = 100): Promise<number[]> {
  const result = await db.execute(sql`
    insert into ${outbox} (aggregate_id, event_type, payload, headers)
    select o.id, 'order.created', first.payload, first.headers
    from ${orders} o
    join lateral (
      select x.payload, x.headers from ${outbox} x
      where x.aggregate_id = o.id and x.event_type = 'order.created' order by x.id limit 1
    ) first on true
    where o.status = 'PENDING'
      and o.created_at < now() - make_interval(secs => ${REAPER_REPUBLISH_AFTER_SECONDS})
      and o.created_at > now() - make_interval(secs => ${REAPER_TIMEOUT_SECONDS})
      and (select count(*) from ${outbox} x where x.aggregate_id = o.id and x.event_type = 'order.created') <= ${REAPER_MAX_REPUBLISHES}
      and not exists (
        select 1 from ${outbox} x where x.aggregate_id = o.id and x.event_type = 'order.created'
          and (x.published_at is null or x.created_at > now() - make_interval(secs => ${REAPER_REPUBLISH_AFTER_SECONDS}))
      )
    limit ${limit}
    returning id`);
  // A checkout's payment is asked for by its one `checkout.created`: re-published the same way while any of its
  // orders is still PENDING (the payments side charges it at most once, whatever the number of copies).
  const checkoutRows = await db.execute(sql`
    insert into ${outbox} (aggregate_id, event_type, payload, headers)
    select c.id, 'checkout.created', first.payload, first.headers
    from ${checkouts} c
    join lateral (
      select x.payload, x.headers from ${outbox} x
      where x.aggregate_id = c.id and x.event_type = 'checkout.created' order by x.id limit 1
    ) first on true
    where c.status = 'PENDING'
      and exists (select 1 from ${orders} o where o.checkout_id = c.id and o.status = 'PENDING')
      and c.created_at < now() - make_interval(secs => ${REAPER_REPUBLISH_AFTER_SECONDS})
      and c.created_at > now() - make_interval(secs => ${REAPER_TIMEOUT_SECONDS})
      and (select count(*) from ${outbox} x where x.aggregate_id = c.id and x.event_type = 'checkout.created') <= ${REAPER_MAX_REPUBLISHES}
      and not exists (
        select 1 from ${outbox} x where x.aggregate_id = c.id and x.event_type = 'checkout.created'
          and (x.published_at is null or x.created_at > now() - make_interval(secs => ${REAPER_REPUBLISH_AFTER_SECONDS}))
      )
    limit ${limit}
    returning id`);
  return [...(result.rows as { id: string | number }[]), ...(checkoutRows.rows as { id: string | number }[])].map((row) => Number(row.id));
}

/**
 * Reaper, step 2: PENDING orders older than the reservation TTL → CANCELLED (`payment timeout`),
 * stock released, buyer told, and `order.cancelled` sent so a payment that completes later is refunded.
 * The scan is only a candidate list: each order is re-checked inside its own locked transition
 * (still PENDING, still older than the TTL), so an order paid meanwhile is never touched.
 */
export async function cancelTimedOutOrders(deps: OrderDeps, limit = 50): Promise<{ cancelled: string[]; outboxIds: number[] }> {
  const stale = await deps.db
    .select({ id: orders.id })
    .from(orders)
    .where(and(eq(orders.status, 'PENDING'), sql`${orders.createdAt} < now() - make_interval(secs => ${REAPER_TIMEOUT_SECONDS})`))
    .orderBy(asc(orders.createdAt))
    .limit(limit);
  const cancelled: string[] = [];
  const outboxIds: number[] = [];
  for (const { id } of stale) {
    try {
      const outcome = await deps.transaction(async (tx) => {
        const [locked] = await tx
          .select({ status: orders.status, timedOut: sql<boolean>`${orders.createdAt} < now() - make_interval(secs => ${REAPER_TIMEOUT_SECONDS})` })
          .from(orders)
          .where(eq(orders.id, id))
          .for('update');
        if (!locked || locked.status !== 'PENDING' || !locked.timedOut) return null;
        const changed = await transitionOrder(tx, id, { to: 'CANCELLED', changedBy: SYSTEM_REAPER, reason: 'payment timeout', set: { cancelReason: 'payment timeout' } });
        const outboxId = await enqueue(tx, { type: 'order.cancelled', ...eventEnvelope(id, `reaper-${id}`), previousStatus: changed.from, reason: 'payment timeout' });
        await createNotification(tx, { userId: changed.order.userId, type: 'ORDER_CANCELLED', title: `Order ${shortOrderNumber(id)} was cancelled: payment timeout`, orderId: id });
        return { items: await loadItems(tx, id), outboxId };
      });
      if (!outcome) continue;
      await runStockStep(deps, 'release', id, outcome.items);
      cancelled.push(id);
      outboxIds.push(outcome.outboxId);
    } catch (err) {
      deps.logger.error('reaper could not cancel an order', { orderId: id, ...describeError(err) });
    }
  }
  return { cancelled, outboxIds };
}

/** PENDING-age counts for the ops view. */
export async function pendingOrderStats(db: Db) {
  const [row] = await db
    .select({
      pending: count(),
      olderThan2m: sql<number>`count(*) filter (where ${orders.createdAt} < now() - interval '2 minutes')`.mapWith(Number),
      olderThan15m: sql<number>`count(*) filter (where ${orders.createdAt} < now() - interval '15 minutes')`.mapWith(Number),
      oldestAgeSeconds: sql<number | null>`extract(epoch from now() - min(${orders.createdAt}))::int`.mapWith((v) => (v === null ? null : Number(v))),
    })
    .from(orders)
    .where(eq(orders.status, 'PENDING'));
  return { pending: row?.pending ?? 0, olderThan2m: row?.olderThan2m ?? 0, olderThan15m: row?.olderThan15m ?? 0, oldestAgeSeconds: row?.oldestAgeSeconds ?? null };
}
