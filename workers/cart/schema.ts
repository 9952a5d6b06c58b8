import { z } from '@hono/zod-openapi';

import { MAX_LINE_QUANTITY } from '@/cart/rules';

// The cart speaks snake_case on the wire (kept for the seed's scripts). Its shapes are
// not table rows (prices are live catalog prices as 2-decimal amounts), so they are written here
// rather than derived from `cart_items`.

const productId = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).openapi({ example: 12 });
const quantity = z.number().int().min(1).max(MAX_LINE_QUANTITY).openapi({ example: 2 });

export const addCartItemSchema = z.object({ product_id: productId, quantity }).strict().openapi('AddCartItem');
export type AddCartItem = z.infer<typeof addCartItemSchema>;

export const updateCartItemSchema = z.object({ quantity }).strict().openapi('UpdateCartItem');
export type UpdateCartItem = z.infer<typeof updateCartItemSchema>;

export const cartItemParamsSchema = z.object({
  productId: z
    .string()
    .regex(/^[1-9]\d{0,14}$/, 'Must be a positive integer product id')
    .transform(Number)
    .openapi({ param: { name: 'productId', in: 'path' }, example: '12' }),
});

const cartItemSchema = z
  .object({
    product_id: z.number().int(),
    product_name: z.string(),
    quantity: z.number().int(),
    unit_price: z.number().openapi({ description: 'Current catalog price', example: 149 }),
    subtotal: z.number().openapi({ example: 298 }),
    seller_id: z.string(),
    image_url: z.string().nullable(),
    stock_available: z.number().int().openapi({ description: '0 when the product is no longer on sale' }),
    price_changed: z.boolean().openapi({ description: 'The current price differs from the price when the line was last set' }),
  })
  .openapi('CartItem');

export const cartSchema = z
  .object({
    user_id: z.string(),
    status: z.literal('ACTIVE'),
    items: z.array(cartItemSchema),
    total: z.number().openapi({ example: 298 }),
    updated_at: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('Cart');

export type CartView = z.infer<typeof cartSchema>;
export type CartItemView = z.infer<typeof cartItemSchema>;

/** What an order takes out of a cart (ORDERS calls `removeOrderedFromCart`). */
export const orderedItemsSchema = z
  .array(z.object({ productId: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER), quantity: z.number().int().min(1) }))
  .max(1000);
