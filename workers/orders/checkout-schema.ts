import { z } from '@hono/zod-openapi';

import { PLATFORM_DEFAULT_SHIPPING_ID } from '@/marketplace';
import { MAX_ORDER_LINES, orderLineSchema, orderSchema, paymentConfirmationField, promoCodeField, shippingAddressInputSchema, shippingAddressSchema, totalsSchema } from '@/orders/schema';
import { PROMOTION_FUNDERS, PROMOTION_TYPES } from '@/promotions/tables';
import { CHECKOUT_STATUSES } from '@/orders/tables';
import { paymentSchema } from '@/orders/payment-schema';

/** A checkout names at most this many sellers' shipping choices (one per seller, at most one seller per line). */
const MAX_SHIPPING_CHOICES = MAX_ORDER_LINES;

const checkoutFields = {
    /** Stored only, like an order's. */
    cartId: z.guid().nullish(),
    items: z
      .array(orderLineSchema)
      .min(1)
      .max(MAX_ORDER_LINES)
      .optional()
      .openapi({ description: "The lines to buy; left out, the caller's cart is checked out" }),
    shippingAddress: shippingAddressInputSchema,
    shipping: z
      .record(z.guid(), z.union([z.guid(), z.literal(PLATFORM_DEFAULT_SHIPPING_ID)]))
      .refine((choices) => Object.keys(choices).length <= MAX_SHIPPING_CHOICES, `At most ${MAX_SHIPPING_CHOICES} sellers`)
      .optional()
      .openapi({
        description: `Seller id → shipping option id, one for every seller in the checkout that has options (a seller without any ships with the platform default, id "${PLATFORM_DEFAULT_SHIPPING_ID}", which may be left out)`,
        example: { '0190a1b2-0000-7000-8000-000000000001': '0190a1b2-0000-7000-8000-0000000000aa' },
      }),
    expectedTotal: z
      .number()
      .min(0)
      .max(1e12)
      .optional()
      .openapi({ description: 'The total the buyer was shown (after discount, with tax); another total today is 409 PRICE_CHANGED (nothing reserved or charged)' }),
    promoCode: promoCodeField,
};

export const createCheckoutSchema = z.object({ ...checkoutFields, paymentConfirmation: paymentConfirmationField }).strict().openapi('CreateCheckout');

export type CreateCheckout = z.infer<typeof createCheckoutSchema>;

/** What the preview takes: a checkout's body without `expectedTotal` (it is what the preview tells). */
export const checkoutPreviewRequestSchema = z
  .object({ ...checkoutFields, shippingAddress: shippingAddressInputSchema.optional().openapi({ description: 'Left out: no tax yet (it depends on the address)' }) })
  .omit({ expectedTotal: true })
  .strict()
  .openapi('CheckoutPreviewRequest');

/** What pricing reads from a checkout or preview body (no address: no tax). */
export type CheckoutInput = z.infer<typeof checkoutPreviewRequestSchema>;

const refusalSchema = z.object({ code: z.string(), message: z.string() }).openapi('PromoCodeRefusal');

export const checkoutPreviewSchema = z
  .object({
    totals: totalsSchema,
    /** One entry per seller order the checkout would create. */
    orders: z.array(
      z.object({
        sellerId: z.string(),
        totals: totalsSchema,
        shipping: z.object({ optionId: z.string().nullable(), method: z.string(), price: z.number(), discount: z.number(), tax: z.number(), minDays: z.number().int(), maxDays: z.number().int() }),
        items: z.array(z.object({ productId: z.number().int(), quantity: z.number().int(), unitPrice: z.number(), subtotal: z.number(), discount: z.number(), tax: z.number(), promotionId: z.string().nullable() })),
      }),
    ),
    /** Every promotion that gave something, with what it gave. */
    promotions: z.array(z.object({ id: z.string(), code: z.string().nullable(), name: z.string(), type: z.enum(PROMOTION_TYPES), fundedBy: z.enum(PROMOTION_FUNDERS), discount: z.number() })),
    /** The entered code: applied with what it took off, or refused with the reason (the checkout would answer that error). */
    promoCode: z.union([z.object({ code: z.string(), applied: z.boolean(), discount: z.number(), refusal: refusalSchema.nullable() }), z.null()]),
  })
  .openapi('CheckoutPreview');

export type CheckoutPreviewResponse = z.infer<typeof checkoutPreviewSchema>;

export const checkoutSchema = z
  .object({
    id: z.string(),
    userId: z.string(),
    cartId: z.string().nullable(),
    status: z.enum(CHECKOUT_STATUSES),
    totals: totalsSchema,
    shippingAddress: shippingAddressSchema,
    /** One order per seller, each with its lines, shipping line and totals; their totals add up to the checkout's. */
    orders: z.array(orderSchema),
    /** The checkout's one payment; null until the saga created it. */
    payment: z.union([paymentSchema, z.null()]),
    createdAt: z.string().openapi({ format: 'date-time' }),
    updatedAt: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('Checkout');

export type CheckoutResponse = z.infer<typeof checkoutSchema>;

export const checkoutIdParamsSchema = z.object({ id: z.guid().openapi({ param: { name: 'id', in: 'path' } }) });
