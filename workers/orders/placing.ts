/** Placing orders: merging and pricing the lines, reserving stock and admissions, then the order, its items, history and outbox row in one transaction. */
import { and, eq } from 'drizzle-orm';

import { centsToAmount, formatCents } from '@contract/money';
import { findPurchasableProducts } from '@/catalog';
import { reserveAdmitted, type AdmissionGate } from '@/launches';
import { commissionCents, DEFAULT_COMMISSION_BPS } from '@/marketplace';
import { createNotification, orderNotices } from '@/notifications';
import { storedShippingAddress } from '@/orders/address';
import { MAX_MESSAGE_AMOUNT, type OrderCreated } from '@/orders/messages';
import { type Caller, enqueue, eventEnvelope, loadItems, type OrderChange, type OrderDeps, type OrderItemRow, type OrderRow, RESERVATION_TTL_MS, type StockLine, toOrderResponse } from '@/orders/model';
import { assertExpectedTotal } from '@/orders/price-check';
import { pricePurchase, refusedCodeError, toPreviewResponse, type PricedGroup, type PricingDeps } from '@/orders/pricing';
import type { CreateOrder, OrderResponse } from '@/orders/schema';
import { MAX_LINE_QUANTITY } from '@/orders/schema';
import { recordStatusChanges } from '@/orders/status-history';
import { orderItems, orders } from '@/orders/tables';
import { newId } from '@/platform/columns';
import type { Db } from '@/platform/db';
import { AppError, badRequest, forbidden } from '@/platform/errors';
import { describeError } from '@/platform/logger';
import { redeemPromotions } from '@/promotions';
import { TableTaxCalculator } from '@/tax';

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

/** Duplicate product lines merged into one; a merged quantity above the per-line maximum is a 400. */
function mergeOrderLines(items: CreateOrder['items']): StockLine[] {
  const merged = new Map<number, number>();
  for (const item of items) merged.set(item.productId, (merged.get(item.productId) ?? 0) + item.quantity);
  const lines = [...merged].map(([productId, quantity]) => ({ productId, quantity }));
  const tooMany = lines.find((line) => line.quantity > MAX_LINE_QUANTITY);
  if (tooMany) {
    throw badRequest('VALIDATION_ERROR', 'Request validation failed', { items: `Product ${tooMany.productId} adds up to more than ${MAX_LINE_QUANTITY}` });
  }
  return lines;
}

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
  const found = await findPurchasableProducts(db, ids);
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
      totalAmount: formatCents(totalCents),
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
      await recordStatusChanges(tx, [{ order: order!, oldStatus: null, reason: 'order placed', changedBy: caller.id }]);
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
      await createNotification(tx, { userId: sellerId, orderId, ...orderNotices.placed(orderId, { totalCents, currency: order!.currency }) });
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
