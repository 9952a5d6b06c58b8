import { describe, expect, it } from 'vitest';

import { assertTransition, canTransition, isTerminal } from '@/orders/state-machine';
import { ORDER_STATUSES, type OrderStatus } from '@/orders/tables';
import { AppError } from '@/platform/errors';

const ALLOWED = new Set(['PENDING>CONFIRMED', 'PENDING>CANCELLED', 'CONFIRMED>SHIPPED', 'CONFIRMED>CANCELLED', 'SHIPPED>DELIVERED']);
const pairs = ORDER_STATUSES.flatMap((from) => ORDER_STATUSES.map((to) => [from, to] as [OrderStatus, OrderStatus]));

describe('order state machine', () => {
  it.each(pairs)('%s → %s is allowed only if the transition table lists it', (from, to) => {
    const allowed = ALLOWED.has(`${from}>${to}`);
    expect(canTransition(from, to)).toBe(allowed);
    if (allowed) {
      expect(() => assertTransition(from, to)).not.toThrow();
    } else {
      let error: unknown;
      try {
        assertTransition(from, to);
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).status).toBe(409);
      expect((error as AppError).code).toBe('INVALID_STATE_TRANSITION');
    }
  });

  it('has exactly two terminal states', () => {
    expect(ORDER_STATUSES.filter(isTerminal)).toEqual(['DELIVERED', 'CANCELLED']);
  });
});
