/** Most units of one product a cart line may hold (`quantity 1..999`). */
export const MAX_LINE_QUANTITY = 999;
/** Most distinct products one cart may hold. */
export const MAX_CART_LINES = 100;
/** A cart is cleared this long after its last write (the seed's Redis TTL, refreshed on write). */
export const CART_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/** One line of a cart as the CartDO stores it; the price and name are snapshots taken when the line was last set. */
export interface CartLine {
  productId: number;
  quantity: number;
  unitPriceCents: number;
  productName: string;
  sellerId: string;
  addedAt: number;
  updatedAt: number;
}

/** The whole cart at one instant (epoch milliseconds; `updatedAt`/`expiresAt` null until the first write). */
export interface CartSnapshot {
  userId: string | null;
  lines: CartLine[];
  updatedAt: number | null;
  expiresAt: number | null;
}

/** The catalog's current view of a product, read by the Worker and handed to the CartDO with a mutation. */
export interface ProductQuote {
  productId: number;
  name: string;
  priceCents: number;
  sellerId: string;
  stockAvailable: number;
}

/** Why the CartDO refused a mutation. Returned as a value, never thrown across RPC. */
export type CartRuleViolation =
  | { code: 'NOT_IN_CART'; productId: number }
  | { code: 'CART_FULL'; limit: number }
  | { code: 'QUANTITY_LIMIT_EXCEEDED'; productId: number; requested: number; limit: number }
  | { code: 'INSUFFICIENT_STOCK'; productId: number; requested: number; available: number };

export type QuantityPlan = { ok: true; quantity: number } | { ok: false; violation: CartRuleViolation };

function checkQuantity(productId: number, quantity: number, stockAvailable: number): QuantityPlan {
  if (quantity > MAX_LINE_QUANTITY) return { ok: false, violation: { code: 'QUANTITY_LIMIT_EXCEEDED', productId, requested: quantity, limit: MAX_LINE_QUANTITY } };
  if (quantity > stockAvailable) return { ok: false, violation: { code: 'INSUFFICIENT_STOCK', productId, requested: quantity, available: Math.max(0, stockAvailable) } };
  return { ok: true, quantity };
}

/**
 * Adding to a cart increments the existing line (the seed overwrote it). The
 * resulting quantity must stay within the line limit and the product's available stock; a new
 * line must fit under the distinct-line limit.
 */
export function planAdd(existing: Pick<CartLine, 'quantity'> | undefined, lineCount: number, product: ProductQuote, quantity: number): QuantityPlan {
  if (!existing && lineCount >= MAX_CART_LINES) return { ok: false, violation: { code: 'CART_FULL', limit: MAX_CART_LINES } };
  return checkQuantity(product.productId, (existing?.quantity ?? 0) + quantity, product.stockAvailable);
}

/** Setting an absolute quantity needs the line to exist and is stock-checked like an add. */
export function planSet(existing: Pick<CartLine, 'quantity'> | undefined, product: ProductQuote, quantity: number): QuantityPlan {
  if (!existing) return { ok: false, violation: { code: 'NOT_IN_CART', productId: product.productId } };
  return checkQuantity(product.productId, quantity, product.stockAvailable);
}

/**
 * The quantities left on each line after an order took `items` out of the cart: duplicates are
 * summed, products not in the cart ignored, and a line reaching 0 maps to 0 (to be deleted).
 * Only lines that change are returned.
 */
export function planRemoveOrdered(lines: readonly Pick<CartLine, 'productId' | 'quantity'>[], items: readonly { productId: number; quantity: number }[]): Map<number, number> {
  const ordered = new Map<number, number>();
  for (const item of items) ordered.set(item.productId, (ordered.get(item.productId) ?? 0) + item.quantity);
  const remaining = new Map<number, number>();
  for (const line of lines) {
    const taken = ordered.get(line.productId);
    if (taken) remaining.set(line.productId, Math.max(0, line.quantity - taken));
  }
  return remaining;
}
