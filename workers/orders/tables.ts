import { sql } from 'drizzle-orm';
import { bigint, boolean, char, check, index, integer, jsonb, pgTable, smallint, text, timestamp, uuid, varchar, type AnyPgColumn } from 'drizzle-orm/pg-core';

import { createdAt, newId, updatedAt } from '@/platform/columns';

export const ORDER_STATUSES = ['PENDING', 'CONFIRMED', 'SHIPPED', 'DELIVERED', 'CANCELLED'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** A stored shipping address: the country as an ISO code, blank state/zipCode where the country has none. */
export interface ShippingAddress {
  /** Missing on orders placed before recipients were asked for. */
  recipientName?: string;
  phone?: string | null;
  street: string;
  line2?: string | null;
  city: string;
  state: string;
  country: string;
  zipCode: string;
}

export const CHECKOUT_STATUSES = ['PENDING', 'PAID', 'PAYMENT_FAILED', 'CANCELLED'] as const;
export type CheckoutStatus = (typeof CHECKOUT_STATUSES)[number];

/** The tax a total adds: all of it for tax-exclusive prices, none when the prices included it. */
const addedTax = (t: { taxCents: AnyPgColumn; taxIncluded: AnyPgColumn }) => sql`case when ${t.taxIncluded} then 0 else ${t.taxCents} end`;

/**
 * One checkout of a whole cart (docs/decisions/marketplace.md): split into one order per seller, paid with ONE
 * payment for `totalCents` (= Σ of its orders' totals). `status` follows the payment: PAID once it completed,
 * PAYMENT_FAILED when declined, CANCELLED when every order was cancelled before any payment.
 */
export const checkouts = pgTable(
  'checkouts',
  {
    id: uuid().primaryKey().$defaultFn(newId),
    userId: uuid().notNull(),
    cartId: uuid(),
    status: varchar({ length: 16 }).$type<CheckoutStatus>().notNull().default('PENDING'),
    subtotalCents: bigint({ mode: 'number' }).notNull(),
    shippingCents: bigint({ mode: 'number' }).notNull().default(0),
    discountCents: bigint({ mode: 'number' }).notNull().default(0),
    taxCents: bigint({ mode: 'number' }).notNull().default(0),
    /** The prices contained their tax (`PRICES_INCLUDE_TAX` when placed): `taxCents` is reported, not added. */
    taxIncluded: boolean().notNull().default(false),
    totalCents: bigint({ mode: 'number' }).notNull(),
    currency: char({ length: 3 }).notNull().default('USD'),
    shippingAddress: jsonb().$type<ShippingAddress>().notNull(),
    paymentId: uuid(),
    promoCode: varchar({ length: 40 }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check('checkouts_status_check', sql`${t.status} in ('PENDING', 'PAID', 'PAYMENT_FAILED', 'CANCELLED')`),
    check('checkouts_total_check', sql`${t.totalCents} = ${t.subtotalCents} + ${t.shippingCents} - ${t.discountCents} + ${addedTax(t)} and ${t.totalCents} > 0`),
    index('checkouts_user_created_idx').on(t.userId, t.createdAt.desc()),
    index('checkouts_status_created_idx').on(t.status, t.createdAt),
  ],
);

export const orders = pgTable(
  'orders',
  {
    id: uuid().primaryKey().$defaultFn(newId),
    userId: uuid().notNull(),
    /** One seller per order; a multi-seller cart is one checkout split into one order per seller. */
    sellerId: uuid().notNull(),
    cartId: uuid(),
    /** The checkout this order is one seller's part of; null for a single-seller `POST /orders`. */
    checkoutId: uuid().references((): AnyPgColumn => checkouts.id),
    status: varchar({ length: 16 }).$type<OrderStatus>().notNull().default('PENDING'),
    /** Breakdown: total = subtotal (lines) + shipping − discount + tax (+ 0 when the tax was included), integer cents. */
    subtotalCents: bigint({ mode: 'number' }).notNull().default(0),
    shippingCents: bigint({ mode: 'number' }).notNull().default(0),
    discountCents: bigint({ mode: 'number' }).notNull().default(0),
    taxCents: bigint({ mode: 'number' }).notNull().default(0),
    /** The prices contained their tax (`PRICES_INCLUDE_TAX` when placed): `taxCents` is reported, not added. */
    taxIncluded: boolean().notNull().default(false),
    totalCents: bigint({ mode: 'number' }).notNull(),
    /** The platform's cut of this order, fixed when it is placed (commission rates of that moment). */
    commissionCents: bigint({ mode: 'number' }).notNull().default(0),
    /** The seller's shipping option chosen at checkout (null: the platform default, or a plain order). */
    shippingOptionId: uuid(),
    shippingMethod: varchar({ length: 100 }),
    shippingMinDays: smallint(),
    shippingMaxDays: smallint(),
    currency: char({ length: 3 }).notNull().default('USD'),
    shippingAddress: jsonb().$type<ShippingAddress>().notNull(),
    cancelReason: varchar({ length: 255 }),
    paymentId: uuid(),
    /** Set by the seller when shipping (both or neither). */
    shipmentCarrier: varchar({ length: 40 }),
    trackingNumber: varchar({ length: 40 }),
    /** The parts of `discountCents` / `taxCents` that fell on the shipping line (the rest is on the item lines). */
    shippingDiscountCents: bigint({ mode: 'number' }).notNull().default(0),
    shippingTaxCents: bigint({ mode: 'number' }).notNull().default(0),
    /** The promo code the buyer entered (null: none; automatic promotions show on the lines). */
    promoCode: varchar({ length: 40 }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check('orders_status_check', sql`${t.status} in ('PENDING', 'CONFIRMED', 'SHIPPED', 'DELIVERED', 'CANCELLED')`),
    check('orders_total_check', sql`${t.totalCents} >= 0`),
    check('orders_breakdown_check', sql`${t.totalCents} = ${t.subtotalCents} + ${t.shippingCents} - ${t.discountCents} + ${addedTax(t)}`),
    // A platform-funded discount comes off the commission, which may then go below 0 (the platform pays the seller).
    check('orders_commission_check', sql`${t.commissionCents} >= -${t.discountCents} and ${t.commissionCents} <= ${t.totalCents}`),
    check('orders_discount_check', sql`${t.discountCents} >= 0 and ${t.taxCents} >= 0 and ${t.discountCents} <= ${t.subtotalCents} + ${t.shippingCents}`),
    index('orders_checkout_idx').on(t.checkoutId),
    index('orders_user_created_idx').on(t.userId, t.createdAt.desc()),
    index('orders_seller_status_created_idx').on(t.sellerId, t.status, t.createdAt.desc()),
    index('orders_status_created_idx').on(t.status, t.createdAt),
    // The operator console's today/7 d/30 d figures and admin date-range search.
    index('orders_created_idx').on(t.createdAt),
    // Admin search by the short order number people quote (the id's last 8 hex digits).
    index('orders_short_number_idx').on(sql`right(replace(${t.id}::text, '-', ''), 8)`),
  ],
);

export const orderItems = pgTable(
  'order_items',
  {
    id: uuid().primaryKey().$defaultFn(newId),
    orderId: uuid()
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    productId: bigint({ mode: 'number' }).notNull(),
    sellerId: uuid().notNull(),
    productName: varchar({ length: 200 }).notNull(),
    /** Snapshot of the server's price when the order was placed. */
    unitPriceCents: integer().notNull(),
    quantity: integer().notNull(),
    imageUrl: text(),
    /** This line's discount (never above unit price × quantity) and its tax on the discounted price, fixed at checkout. */
    discountCents: bigint({ mode: 'number' }).notNull().default(0),
    taxCents: bigint({ mode: 'number' }).notNull().default(0),
    /** The promotion that gave the discount (the best one for this line). */
    promotionId: uuid(),
  },
  (t) => [
    index('order_items_order_idx').on(t.orderId),
    check('order_items_quantity_check', sql`${t.quantity} > 0`),
    check('order_items_discount_check', sql`${t.discountCents} >= 0 and ${t.discountCents} <= ${t.unitPriceCents}::bigint * ${t.quantity} and ${t.taxCents} >= 0`),
  ],
);

export const orderStatusHistory = pgTable(
  'order_status_history',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    orderId: uuid()
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    oldStatus: varchar({ length: 16 }).$type<OrderStatus>(),
    newStatus: varchar({ length: 16 }).$type<OrderStatus>().notNull(),
    reason: varchar({ length: 255 }),
    /** A user id, or `system:payments` / `system:reaper`. */
    changedBy: varchar({ length: 64 }).notNull(),
    changedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('order_status_history_order_idx').on(t.orderId, t.changedAt)],
);

/** Transactional outbox: written with the state change, relayed to Queues after commit, swept by cron. */
export const outbox = pgTable(
  'outbox',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    aggregateId: uuid().notNull(),
    eventType: varchar({ length: 64 }).notNull(),
    payload: jsonb().notNull(),
    headers: jsonb().$type<Record<string, string>>().notNull().default({}),
    createdAt: createdAt(),
    publishedAt: timestamp({ withTimezone: true }),
    attempts: integer().notNull().default(0),
    lastError: text(),
  },
  (t) => [index('outbox_unpublished_idx').on(t.createdAt).where(sql`${t.publishedAt} is null`)],
);
