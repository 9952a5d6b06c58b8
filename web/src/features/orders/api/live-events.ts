import type { QueryClient } from '@tanstack/react-query';

import { getOrderPaymentQueryOptions } from '@/features/orders/api/get-order-payment';
import type { LiveEvent } from '@/lib/live';
import type { Payment } from '@/types/api';

/** The newest version applied per order/payment, so a late or repeated event never overwrites a newer state. */
const applied = new Map<string, number>();

function isNewer(key: string, version: number): boolean {
  const last = applied.get(key);
  if (last !== undefined && version <= last) return false;
  applied.set(key, version);
  return true;
}

/**
 * Keeps the order pages, lists, seller orders and the confirmation page fresh from live events: a settled payment
 * is written straight into the cache (no request), an order change refetches the order queries on screen.
 */
export async function applyOrderLiveEvent(queryClient: QueryClient, event: LiveEvent): Promise<void> {
  if (event.type === 'payment.updated') {
    const { version, ...payment } = event.data as Payment & { version: number };
    if (!isNewer(`payment:${payment.id}`, version)) return;
    // A checkout's payment (no single order) is read through one of its orders: refetch the payments on screen.
    if (payment.orderId === null) {
      await queryClient.invalidateQueries({ queryKey: ['payments', 'order'] });
      return;
    }
    const { queryKey } = getOrderPaymentQueryOptions(payment.orderId);
    // A fetch still in flight was sent before this change: drop it rather than let it overwrite the event.
    await queryClient.cancelQueries({ queryKey });
    queryClient.setQueryData(queryKey, payment);
    return;
  }
  if (event.type === 'order.updated') {
    const orderId = String(event.data.orderId);
    if (!isNewer(`order:${orderId}`, event.version)) return;
    await queryClient.invalidateQueries({ queryKey: ['orders'] });
  }
}

/** Order queries to refetch after a reconnection (events may have been missed while no socket listened). */
export const ORDER_LIVE_QUERY_ROOTS = [['orders'], ['payments']] as const;
