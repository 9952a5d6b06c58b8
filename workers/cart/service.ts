import type { CartMutationResult } from '@do/cart';

import { orderedItemsSchema, type AddCartItem, type CartView } from '@/cart/schema';
import type { CartRuleViolation, CartSnapshot, ProductQuote } from '@/cart/rules';
import type { CartProduct } from '@/catalog';
import { centsToAmount } from '@contract/money';
import type { AppEnv, AuthUser } from '@/env';
import { conflict, forbidden, notFound, type AppError } from '@/platform/errors';

/** The CartDO methods the service uses (the RPC stub satisfies it; unit tests pass a fake). */
export interface CartStore {
  getCart(): Promise<CartSnapshot>;
  addItem(userId: string, product: ProductQuote, quantity: number): Promise<CartMutationResult>;
  setItemQuantity(userId: string, product: ProductQuote, quantity: number): Promise<CartMutationResult>;
  removeItem(userId: string, productId: number): Promise<CartSnapshot>;
  clear(userId: string): Promise<CartSnapshot>;
}

export interface CartDeps {
  cart: CartStore;
  /** Live catalog rows for these product ids (missing ids absent). */
  products(ids: number[]): Promise<CartProduct[]>;
  now(): Date;
}

/** The collaborators of one shopper's cart (built by the composition root: their CartDO and the catalog). */
export type MakeCartDeps = (env: AppEnv, userId: string) => CartDeps;

/** The CartDO method an order uses to take its lines out of the buyer's cart. */
export interface OrderedCart {
  removeOrdered(orderId: string, items: { productId: number; quantity: number }[]): Promise<{ applied: boolean }>;
}

/**
 * Renders a stored cart with live catalog data: current price and name, `stock_available` (0 when
 * the product is gone or no longer ACTIVE) and `price_changed` against the line's snapshot price.
 * A product missing from the catalog keeps its snapshot name and price.
 */
export function toCartView(userId: string, cart: CartSnapshot, products: ReadonlyMap<number, CartProduct>, now: Date): CartView {
  let totalCents = 0;
  const items = cart.lines.map((line) => {
    const product = products.get(line.productId);
    const priceCents = product?.priceCents ?? line.unitPriceCents;
    const subtotalCents = priceCents * line.quantity;
    totalCents += subtotalCents;
    return {
      product_id: line.productId,
      product_name: product?.name ?? line.productName,
      quantity: line.quantity,
      unit_price: centsToAmount(priceCents),
      subtotal: centsToAmount(subtotalCents),
      seller_id: line.sellerId,
      image_url: product?.imageUrl ?? null,
      stock_available: product?.status === 'ACTIVE' ? product.stockAvailable : 0,
      price_changed: product !== undefined && product.priceCents !== line.unitPriceCents,
    };
  });
  return {
    user_id: userId,
    status: 'ACTIVE',
    items,
    total: centsToAmount(totalCents),
    updated_at: new Date(cart.updatedAt ?? now.getTime()).toISOString(),
  };
}

const byId = (products: CartProduct[]) => new Map(products.map((product) => [product.id, product]));

async function render(deps: CartDeps, userId: string, cart: CartSnapshot, known = new Map<number, CartProduct>()): Promise<CartView> {
  const missing = cart.lines.map((line) => line.productId).filter((id) => !known.has(id));
  const products = missing.length > 0 ? new Map([...known, ...byId(await deps.products(missing))]) : known;
  return toCartView(userId, cart, products, deps.now());
}

function violationError(violation: CartRuleViolation): AppError {
  switch (violation.code) {
    case 'NOT_IN_CART':
      return notFound('NOT_FOUND', `Product ${violation.productId} is not in the cart`);
    case 'CART_FULL':
      return conflict('CART_FULL', `A cart holds at most ${violation.limit} different products`);
    case 'QUANTITY_LIMIT_EXCEEDED':
      return conflict('QUANTITY_LIMIT_EXCEEDED', `A cart line holds at most ${violation.limit} units`, { quantity: `The line would hold ${violation.requested}` });
    case 'INSUFFICIENT_STOCK':
      return conflict('INSUFFICIENT_STOCK', `Only ${violation.available} units of product ${violation.productId} are available`, {
        quantity: `Requested ${violation.requested}, available ${violation.available}`,
        available: String(violation.available),
      });
  }
}

/** The product a shopper may put in their cart: it exists, is on sale and is not their own. */
function purchasable(user: AuthUser, productId: number, product: CartProduct | undefined): ProductQuote {
  if (!product || product.status !== 'ACTIVE') throw notFound('PRODUCT_NOT_FOUND', `Product ${productId} was not found`);
  if (product.sellerId === user.id) throw forbidden('Sellers cannot buy their own products', 'SELLER_CANNOT_BUY_OWN_PRODUCT');
  return { productId, name: product.name, priceCents: product.priceCents, sellerId: product.sellerId, stockAvailable: product.stockAvailable };
}

/** The caller's cart, re-priced from the catalog. */
export async function getCart(deps: CartDeps, userId: string): Promise<CartView> {
  return render(deps, userId, await deps.cart.getCart());
}

/**
 * Adds units of a product to the caller's cart (incrementing an existing line). The catalog is read
 * once for the product and the cart's other lines, so the answer is priced without a second query.
 */
export async function addToCart(deps: CartDeps, user: AuthUser, input: AddCartItem): Promise<CartView> {
  const before = await deps.cart.getCart();
  const products = byId(await deps.products([input.product_id, ...before.lines.map((line) => line.productId)]));
  const quote = purchasable(user, input.product_id, products.get(input.product_id));
  const result = await deps.cart.addItem(user.id, quote, input.quantity);
  if (!result.ok) throw violationError(result.violation);
  return render(deps, user.id, result.cart, products);
}

/** Sets the absolute quantity of a line already in the caller's cart, stock-checked like an add. */
export async function setCartItemQuantity(deps: CartDeps, user: AuthUser, productId: number, quantity: number): Promise<CartView> {
  const before = await deps.cart.getCart();
  if (!before.lines.some((line) => line.productId === productId)) throw violationError({ code: 'NOT_IN_CART', productId });
  const products = byId(await deps.products(before.lines.map((line) => line.productId)));
  const quote = purchasable(user, productId, products.get(productId));
  const result = await deps.cart.setItemQuantity(user.id, quote, quantity);
  if (!result.ok) throw violationError(result.violation);
  return render(deps, user.id, result.cart, products);
}

/** Removes one product's line from the caller's cart (no error when it is not there). */
export async function removeCartItem(deps: CartDeps, userId: string, productId: number): Promise<void> {
  await deps.cart.removeItem(userId, productId);
}

/** Empties the caller's cart. */
export async function clearCart(deps: CartDeps, userId: string): Promise<void> {
  await deps.cart.clear(userId);
}

/**
 * For ORDERS, after an order was created: takes the ordered quantities out of the buyer's cart (their CartDO)
 * (lines reaching 0 disappear; other sellers' lines are untouched). Idempotent per `orderId`, so a
 * retried call changes nothing. Returns false when this order was already applied. Throws only on
 * a programming error (bad input) or an unreachable Durable Object — the order itself stands either way.
 */
export async function removeOrderedFromCart(cart: OrderedCart, orderId: string, items: { productId: number; quantity: number }[]): Promise<boolean> {
  if (!orderId) throw new Error('removeOrderedFromCart needs an order id');
  const parsed = orderedItemsSchema.parse(items);
  const result = await cart.removeOrdered(orderId, parsed);
  return result.applied;
}
