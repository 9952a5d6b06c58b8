import { conflict } from '@/platform/errors';
import type { OrderStatus } from '@/orders/tables';

/**
 * The order state machine. DELIVERED and CANCELLED are terminal; anything not listed is
 * a 409 `INVALID_STATE_TRANSITION`. Every transition runs in one transaction holding the order's
 * row lock, so two racing transitions (ship vs cancel) see each other's result.
 */
const ORDER_TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  PENDING: ['CONFIRMED', 'CANCELLED'],
  CONFIRMED: ['SHIPPED', 'CANCELLED'],
  SHIPPED: ['DELIVERED'],
  DELIVERED: [],
  CANCELLED: [],
};

export const canTransition = (from: OrderStatus, to: OrderStatus) => ORDER_TRANSITIONS[from].includes(to);

export function assertTransition(from: OrderStatus, to: OrderStatus): void {
  if (!canTransition(from, to)) {
    throw conflict('INVALID_STATE_TRANSITION', `An order cannot go from ${from} to ${to}`, { status: from });
  }
}

export const isTerminal = (status: OrderStatus) => ORDER_TRANSITIONS[status].length === 0;
