/** The orders domain's shared model: its ports and dependencies, the caller, row types, the order's API answer and the outbox envelope. */
import { asc, eq } from 'drizzle-orm';

import { centsToAmount } from '@contract/money';
import type { CheckoutCreated, OrderCancelled, OrderCreated } from '@/orders/messages';
import { toTotals } from '@/orders/pricing';
import type { OrderRefund, PaymentResponse } from '@/orders/payment-schema';
import type { OrderResponse, ReturnSummary } from '@/orders/schema';
import { toShipment } from '@/orders/shipment';
import { orderItems, type orders, outbox } from '@/orders/tables';
import { newId } from '@/platform/columns';
import type { AdmissionDeps } from '@/launches';
import type { Db, Queryable, Tx } from '@/platform/db';
import type { Logger } from '@/platform/logger';
import type { TaxCalculator } from '@/tax';

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
  /** The platform commission in basis points (`PLATFORM_COMMISSION_BPS`); the marketplace's `DEFAULT_COMMISSION_BPS` when absent. */
  commissionBps?: number;
  /** `TAX_CALCULATOR`'s calculator; the rates table on `db` when absent. */
  tax?: TaxCalculator;
  /** The returns of an order, for its page (the returns domain's `returnSummaries`, wired by the composition root). */
  returnSummaries: ReturnSummariesPort;
  /** What payments tells a checkout's and an order's answer and a checkout's status (wired by the composition root). */
  payments: PaymentFactsPort;
  /** The launches' waiting rooms and admission tokens, for the admission gate of launched products. */
  admissions: AdmissionDeps;
}

/** What the returns domain, above orders, tells an order's page about the order's returns. */
export type ReturnSummariesPort = (q: Queryable, orderId: string) => Promise<ReturnSummary[]>;

/** What a checkout's payment decides of the checkout's status, and the payment's id (null: no payment yet). */
export interface CheckoutSettlement {
  paymentId: string | null;
  /** `PAID` once the payment completed (later refunds do not undo it), `PAYMENT_FAILED` once declined, else null. */
  status: 'PAID' | 'PAYMENT_FAILED' | null;
}

/**
 * What the payments domain, above orders, tells orders about money: read with the caller's `q` (inside a
 * transaction, its own uncommitted writes), so a checkout's status follows a payment recorded in the same transaction.
 */
export interface PaymentFactsPort {
  /** The checkout's one payment as the API shows it (no next action: no viewer), or null before the saga created it. */
  checkoutPayment(q: Queryable, checkoutId: string): Promise<PaymentResponse | null>;
  /** The completed refunds of one order, oldest first. */
  orderRefunds(q: Queryable, orderId: string): Promise<OrderRefund[]>;
  checkoutSettlement(q: Queryable, checkoutId: string): Promise<CheckoutSettlement>;
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
