import { z } from '@hono/zod-openapi';

import { shipmentSchema } from '@/orders/shipment';
import { ORDER_STATUSES } from '@/orders/tables';
import { pageQuerySchema } from '@/platform/pagination';
import { addressText, optionalAddressText } from '@contract/address';
import { RETURN_STATUSES } from '@contract/returns';
import { checkPostalCode, countrySchema, phoneSchema, postalCodeSchema } from '@/platform/postal-address';
import { orderRefundSchema } from '@/orders/payment-schema';
import { PAYMENT_CONFIRMATIONS } from '@contract/payments';

/** What an order shows of each of its returns (the order response's `returns`; the returns domain fills it in). */
export const returnSummarySchema = z
  .object({ id: z.string(), status: z.enum(RETURN_STATUSES), itemCount: z.number().int(), refundAmount: z.number().nullable(), createdAt: z.string().openapi({ format: 'date-time' }) })
  .openapi('ReturnSummary');
export type ReturnSummary = z.infer<typeof returnSummarySchema>;

/**
 * Where an order goes, as a client sends it. Fields were added after the first clients (recipient, phone, second line)
 * and are optional: a missing recipient becomes the account holder's name. The country may be a name ("Vietnam") and
 * is stored as its code; state and postal code are optional where the country has none (docs/decisions/orders.md).
 */
export const shippingAddressInputSchema = z
  .object({
    recipientName: addressText(100, { min: 1, digits: false }).optional().openapi({ description: "Defaults to the account holder's name" }),
    phone: phoneSchema.optional(),
    street: addressText(255),
    line2: optionalAddressText(255).optional().openapi({ description: 'Apartment, suite, unit' }),
    city: addressText(255, { min: 1, digits: false }),
    state: optionalAddressText(255).optional(),
    country: countrySchema,
    zipCode: postalCodeSchema.optional(),
  })
  .strict()
  .superRefine((address, ctx) => checkPostalCode(address.country, address.zipCode ?? null, 'zipCode', ctx))
  .openapi('ShippingAddressInput');

/** A stored shipping address; orders placed before recipients were asked for have none. */
export const shippingAddressSchema = z
  .object({
    recipientName: z.string().optional(),
    phone: z.string().nullable().optional(),
    street: z.string(),
    line2: z.string().nullable().optional(),
    city: z.string(),
    state: z.string(),
    country: z.string().openapi({ description: 'ISO 3166-1 alpha-2 code (or, for orders placed before codes, as typed)' }),
    zipCode: z.string(),
  })
  .openapi('ShippingAddress');

export const MAX_ORDER_LINES = 50;

/** A promo code as the buyer typed it (case does not matter); an unknown or refused one is an error naming why. */
export const promoCodeField = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .nullish()
  .openapi({ description: 'A promotion code; refused codes answer 409/422 with the reason (`POST /api/v1/checkouts/preview` tells it without placing anything)', example: 'WELCOME10' });
export const MAX_LINE_QUANTITY = 999;

/** One requested line of an order or checkout. */
export const orderLineSchema = z
  .object({
    productId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
    quantity: z.number().int().min(1).max(MAX_LINE_QUANTITY),
  })
  .strict();

/** How an order's (or a checkout's) payment is confirmed; shared by `POST /orders` and `POST /checkouts`. */
export const paymentConfirmationField = z
  .enum(PAYMENT_CONFIRMATIONS)
  .optional()
  .openapi({
    description:
      "`client`: the buyer confirms the payment on the provider's form (`GET /payments/order/{orderId}` then carries `nextAction`); default `off_session`: charged against the buyer's saved card without them",
  });

export const createOrderSchema = z
  .object({
    /** Stored only (the SPA never sent it; the seed required it). */
    cartId: z.guid().nullish(),
    items: z.array(orderLineSchema).min(1).max(MAX_ORDER_LINES),
    shippingAddress: shippingAddressInputSchema,
    expectedTotal: z
      .number()
      .min(0)
      .max(1e12)
      .optional()
      .openapi({ description: 'The total the buyer was shown (after discount, with tax); when today\'s prices add up to another total the answer is 409 PRICE_CHANGED (nothing reserved or charged)', example: 59.97 }),
    promoCode: promoCodeField,
    paymentConfirmation: paymentConfirmationField,
  })
  .strict()
  .openapi('CreateOrder');

export type CreateOrder = z.infer<typeof createOrderSchema>;

/** `POST /api/v1/orders/preview`: an order's body without `expectedTotal`; no address → no tax yet. */
export const orderPreviewRequestSchema = createOrderSchema
  .omit({ expectedTotal: true })
  .extend({ shippingAddress: shippingAddressSchema.optional() })
  .strict()
  .openapi('OrderPreviewRequest');

export const cancelOrderSchema = z.object({ reason: z.string().trim().min(1).max(255).optional() }).strict().openapi('CancelOrder');

const orderItemSchema = z
  .object({
    id: z.string(),
    productId: z.number().int(),
    productName: z.string(),
    quantity: z.number().int(),
    unitPrice: z.number(),
    subtotal: z.number(),
    imageUrl: z.string().nullable(),
    /** This line's discount (the best promotion for it) and its tax on the discounted price, fixed when placed. */
    discount: z.number(),
    tax: z.number(),
    promotionId: z.string().nullable(),
  })
  .openapi('OrderItem');

/**
 * Money breakdown of an order or a checkout (decimal amounts): total = subtotal + shipping − discount + tax, or, when
 * `taxIncluded` (the shop's prices include tax), total = subtotal + shipping − discount with `tax` the part of it that
 * is tax.
 */
export const totalsSchema = z
  .object({ subtotal: z.number(), shipping: z.number(), discount: z.number(), tax: z.number(), taxIncluded: z.boolean(), total: z.number(), currency: z.string() })
  .openapi('Totals');

const orderShippingSchema = z
  .object({
    /** null: the platform default (the seller has no option of its own). */
    optionId: z.string().nullable(),
    method: z.string(),
    price: z.number(),
    minDays: z.number().int().nullable(),
    maxDays: z.number().int().nullable(),
  })
  .openapi('OrderShipping');

export const orderSchema = z
  .object({
    id: z.string(),
    userId: z.string(),
    sellerId: z.string(),
    cartId: z.string().nullable(),
    /** The checkout this order is one seller's part of (null for a single-seller order). */
    checkoutId: z.string().nullable(),
    totalAmount: z.number(),
    currency: z.string(),
    totals: totalsSchema,
    /** The seller's shipping line (null for a single-seller order placed without one). */
    shipping: z.union([orderShippingSchema, z.null()]),
    status: z.enum(ORDER_STATUSES),
    shippingAddress: shippingAddressSchema,
    cancelReason: z.string().nullable(),
    paymentId: z.string().nullable(),
    shipment: shipmentSchema.nullable(),
    /** The promo code applied to this order's purchase (null: none). */
    promoCode: z.string().nullable(),
    /** The parts of `totals.discount` and `totals.tax` that fell on the shipping line. */
    shippingDiscount: z.number(),
    shippingTax: z.number(),
    items: z.array(orderItemSchema),
    /** The order's returns, oldest first (on `GET /orders/{id}` and `GET /orders/seller/{id}`). */
    returns: z.array(returnSummarySchema).optional(),
    /** Money paid back, oldest first (on `GET /orders/{id}` and `GET /orders/seller/{id}`). */
    refunds: z.array(orderRefundSchema).optional(),
    createdAt: z.string().openapi({ format: 'date-time' }),
    updatedAt: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('Order');

export type OrderResponse = z.infer<typeof orderSchema>;

export const orderSummarySchema = z
  .object({
    id: z.string(),
    checkoutId: z.string().nullable(),
    totalAmount: z.number(),
    status: z.enum(ORDER_STATUSES),
    /** Lines of the order (kept for the first clients); `unitCount` is what people count. */
    itemCount: z.number().int(),
    unitCount: z.number().int(),
    /** The first line's product, so a list can say "Aurora ANC Headphones + 1 more". */
    firstItem: z.object({ productId: z.number().int(), productName: z.string(), imageUrl: z.string().nullable() }).nullable(),
    sellerId: z.string(),
    sellerName: z.string().nullable(),
    /** Who the order ships to (older orders may have none). */
    recipientName: z.string().nullable(),
    createdAt: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('OrderSummary');

export const sellerOrderSummarySchema = orderSummarySchema.extend({ userId: z.string() }).openapi('SellerOrderSummary');

export const orderHistoryEntrySchema = z
  .object({
    id: z.number().int(),
    oldStatus: z.enum(ORDER_STATUSES).nullable(),
    newStatus: z.enum(ORDER_STATUSES),
    reason: z.string().nullable(),
    changedBy: z.string(),
    changedAt: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('OrderHistoryEntry');

export const orderListQuerySchema = pageQuerySchema({ sortFields: ['createdAt', 'totalAmount'], defaultSort: { field: 'createdAt', direction: 'DESC' } }).extend({
  status: z.enum(ORDER_STATUSES).optional(),
});

export const orderIdParamsSchema = z.object({ id: z.guid().openapi({ param: { name: 'id', in: 'path' } }) });

export const purchaseVerificationQuerySchema = z.object({
  productId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  orderItemId: z.guid(),
});

export const idempotencyHeaderSchema = z.object({
  'idempotency-key': z.string().optional().openapi({ description: 'Idempotency-Key: replays the stored response for 24 h (≤255 printable characters)' }),
});
