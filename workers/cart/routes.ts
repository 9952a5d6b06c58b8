import { createRoute } from '@hono/zod-openapi';

import { addCartItemSchema, cartItemParamsSchema, cartSchema, updateCartItemSchema } from '@/cart/schema';
import type { Context } from 'hono';

import { addToCart, clearCart, getCart, removeCartItem, setCartItemQuantity, type CartDeps, type MakeCartDeps } from '@/cart/service';
import type { AppBindings } from '@/env';
import { currentUser, requireAuthBesideHandler, sessionProven } from '@/identity';
import { errorResponses } from '@/platform/errors';
import { envelope, jsonContent } from '@/platform/responses';
import { createRouter } from '@/platform/router';

// Shoppers only: admins cannot place orders, so a cart would be a dead end for them. The session's database check
// runs beside the cart's own reads (the CartDO, the catalog): every CartDO write below waits for it first.
const shopper = requireAuthBesideHandler('customer', 'seller');
const common = { tags: ['Cart'], security: [{ bearerAuth: [] }], middleware: shopper };
const cartResponse = (description: string) => jsonContent(envelope(cartSchema), description);

const get = createRoute({
  ...common,
  method: 'get',
  path: '/api/v1/cart',
  summary: "The caller's cart, re-priced from the catalog",
  responses: { 200: cartResponse('The cart'), ...errorResponses(401, 403, 429) },
});

const addItem = createRoute({
  ...common,
  method: 'post',
  path: '/api/v1/cart/items',
  summary: 'Add units of a product (adds to an existing line)',
  description:
    'The line ends up with its previous quantity plus `quantity`, which must not exceed 999 or the available stock. ' +
    '404 `PRODUCT_NOT_FOUND` for unknown or hidden products, 403 `SELLER_CANNOT_BUY_OWN_PRODUCT`, 409 `INSUFFICIENT_STOCK`, ' +
    '`QUANTITY_LIMIT_EXCEEDED` or `CART_FULL` (100 different products).',
  request: { body: { content: { 'application/json': { schema: addCartItemSchema } }, required: true } },
  responses: { 201: cartResponse('The updated cart'), ...errorResponses(400, 401, 403, 404, 409, 415, 429) },
});

const updateItem = createRoute({
  ...common,
  method: 'put',
  path: '/api/v1/cart/items/{productId}',
  summary: "Set a line's quantity (absolute, stock-checked)",
  description: '404 `NOT_FOUND` when the product is not in the cart, 404 `PRODUCT_NOT_FOUND` when it is no longer on sale, 409 `INSUFFICIENT_STOCK`.',
  request: { params: cartItemParamsSchema, body: { content: { 'application/json': { schema: updateCartItemSchema } }, required: true } },
  responses: { 200: cartResponse('The updated cart'), ...errorResponses(400, 401, 403, 404, 409, 415, 429) },
});

const removeItem = createRoute({
  ...common,
  method: 'delete',
  path: '/api/v1/cart/items/{productId}',
  summary: 'Remove a product from the cart',
  request: { params: cartItemParamsSchema },
  responses: { 204: { description: 'Removed (or was not in the cart)' }, ...errorResponses(400, 401, 403, 429) },
});

const clear = createRoute({
  ...common,
  method: 'delete',
  path: '/api/v1/cart',
  summary: 'Empty the cart',
  responses: { 204: { description: 'Emptied' }, ...errorResponses(401, 403, 429) },
});

/** The shopper's cart dependencies from `makeDeps`, whose CartDO writes are made only once the session is proven. */
function callerCart(c: Context<AppBindings>, makeDeps: MakeCartDeps, userId: string): CartDeps {
  const deps = makeDeps(c.env, userId);
  const { cart } = deps;
  const proven = () => sessionProven(c);
  return {
    ...deps,
    cart: {
      getCart: () => cart.getCart(),
      addItem: async (...args) => (await proven(), cart.addItem(...args)),
      setItemQuantity: async (...args) => (await proven(), cart.setItemQuantity(...args)),
      removeItem: async (...args) => (await proven(), cart.removeItem(...args)),
      clear: async (...args) => (await proven(), cart.clear(...args)),
    },
  };
}

/** The cart's routes, with each shopper's collaborators from `makeDeps` (the composition root's `cartDepsFromEnv`). */
export const createCartRouter = (makeDeps: MakeCartDeps) =>
  createRouter()
    .openapi(get, async (c) => {
      const user = currentUser(c);
      return c.json({ success: true as const, data: await getCart(callerCart(c, makeDeps, user.id), user.id) }, 200);
    })
    .openapi(addItem, async (c) => {
      const user = currentUser(c);
      return c.json({ success: true as const, data: await addToCart(callerCart(c, makeDeps, user.id), user, c.req.valid('json')) }, 201);
    })
    .openapi(updateItem, async (c) => {
      const user = currentUser(c);
      const { productId } = c.req.valid('param');
      const data = await setCartItemQuantity(callerCart(c, makeDeps, user.id), user, productId, c.req.valid('json').quantity);
      return c.json({ success: true as const, data }, 200);
    })
    .openapi(removeItem, async (c) => {
      const user = currentUser(c);
      await removeCartItem(callerCart(c, makeDeps, user.id), user.id, c.req.valid('param').productId);
      return c.body(null, 204);
    })
    .openapi(clear, async (c) => {
      const user = currentUser(c);
      await clearCart(callerCart(c, makeDeps, user.id), user.id);
      return c.body(null, 204);
    });
