import { and, eq, ne } from 'drizzle-orm';

import { cartItems, carts, type CartStatus } from '@/cart/tables';
import type { CartLine } from '@/cart/rules';
import type { Db } from '@/platform/db';

/** Everything the Postgres reporting mirror holds about one cart: its row and its items. */
export interface CartMirror {
  cartId: string;
  userId: string;
  status: CartStatus;
  expiresAt: number;
  updatedAt: number;
  lines: CartLine[];
}

/**
 * Makes Postgres show exactly `mirror` for one cart, in one non-interactive transaction (a Neon
 * HTTP batch): upsert the cart row, replace its items. Writing an ACTIVE cart first retires any
 * other ACTIVE row of the same user (left behind if a CartDO's storage was ever lost), so the
 * one-ACTIVE-per-user index never rejects the write. Idempotent: the same mirror twice is a no-op.
 */
export async function writeCartMirror(db: Db, mirror: CartMirror): Promise<void> {
  const updatedAt = new Date(mirror.updatedAt);
  const expiresAt = new Date(mirror.expiresAt);
  const upsert = db
    .insert(carts)
    .values({ id: mirror.cartId, userId: mirror.userId, status: mirror.status, expiresAt, updatedAt })
    .onConflictDoUpdate({ target: carts.id, set: { status: mirror.status, expiresAt, updatedAt } });
  const clearItems = db.delete(cartItems).where(eq(cartItems.cartId, mirror.cartId));
  const items = mirror.lines.map((line) => ({
    cartId: mirror.cartId,
    productId: line.productId,
    quantity: line.quantity,
    unitPriceSnapshotCents: line.unitPriceCents,
    productNameSnapshot: line.productName.slice(0, 200),
    sellerId: line.sellerId,
    addedAt: new Date(line.addedAt),
    updatedAt: new Date(line.updatedAt),
  }));
  const insertItems = items.length > 0 ? [db.insert(cartItems).values(items)] : [];
  if (mirror.status === 'ACTIVE') {
    const retireOthers = db
      .update(carts)
      .set({ status: 'ABANDONED', updatedAt })
      .where(and(eq(carts.userId, mirror.userId), eq(carts.status, 'ACTIVE'), ne(carts.id, mirror.cartId)));
    await db.batch([retireOthers, upsert, clearItems, ...insertItems]);
  } else {
    await db.batch([upsert, clearItems, ...insertItems]);
  }
}
