import { describe, expect, it } from 'vitest';

import { describeReason } from '@/features/orders/components/order-timeline';

describe('describeReason', () => {
  it.each([
    ['PENDING', 'checkout 0193a000-9999-7222-8333-444455556666 placed', null],
    ['CONFIRMED', 'payment 01a2369c-0000-7000-8000-000000000001 completed', null],
    ['DELIVERED', 'delivered', null],
    ['SHIPPED', 'shipped', null],
    ['SHIPPED', 'shipped with UPS (1Z999AA10123456784)', 'With UPS, tracking number 1Z999AA10123456784'],
    ['CANCELLED', 'payment timeout', 'Not paid in time, so the order was cancelled and its items released.'],
    ['CANCELLED', 'payment failed: gateway declined (paymentId=01a2)', 'The payment was declined, so the order was cancelled.'],
    ['CANCELLED', 'cancelled by buyer', 'Cancelled by the buyer.'],
    ['CANCELLED', 'Found it cheaper elsewhere', 'Reason: Found it cheaper elsewhere'],
    ['CANCELLED', null, null],
  ] as const)('%s "%s" → %s', (newStatus, reason, expected) => {
    expect(describeReason({ newStatus, reason })).toBe(expected);
  });
});
