import { z } from '@hono/zod-openapi';

import { PLATFORM_DEFAULT_SHIPPING_ID } from '@/marketplace/shipping';
import { MAX_ORDER_LINES, orderLineSchema, orderSchema, shippingAddressInputSchema, shippingAddressSchema, totalsSchema } from '@/orders/schema';
import { CHECKOUT_STATUSES } from '@/orders/tables';
import { paymentSchema } from '@/payments/schema';

/** A checkout names at most this many sellers' shipping choices (one per seller, at most one seller per line). */
const MAX_SHIPPING_CHOICES = MAX_ORDER_LINES;

export const createCheckoutSchema = z
  .object({
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
      .openapi({ description: 'The total the buyer was shown; another total today is 409 PRICE_CHANGED (nothing reserved or charged)' }),
  })
  .strict()
  .openapi('CreateCheckout');

export type CreateCheckout = z.infer<typeof createCheckoutSchema>;

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
