import { and, eq } from 'drizzle-orm';

import { orderItems, orders } from '@/orders/tables';
import type { Queryable } from '@/platform/db';

export interface DeliveredPurchase {
  orderId: string;
  orderItemId: string;
  productId: number;
  sellerId: string;
}

/**
 * The verified purchase behind a review: the order line `orderItemId` is of `productId`, belongs to
 * an order of `customerId`, and that order was DELIVERED. `null` otherwise — including another
 * customer's line, so callers cannot tell the two apart.
 */
export async function findDeliveredPurchase(
  q: Queryable,
  input: { customerId: string; orderItemId: string; productId: number },
): Promise<DeliveredPurchase | null> {
  const [row] = await q
    .select({ orderId: orders.id, orderItemId: orderItems.id, productId: orderItems.productId, sellerId: orderItems.sellerId })
    .from(orderItems)
    .innerJoin(orders, eq(orders.id, orderItems.orderId))
    .where(
      and(
        eq(orderItems.id, input.orderItemId),
        eq(orderItems.productId, input.productId),
        eq(orders.userId, input.customerId),
        eq(orders.status, 'DELIVERED'),
      ),
    );
  return row ?? null;
}
