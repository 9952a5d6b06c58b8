import { describe, expect, it } from 'vitest';

import { cancellationRefund } from '@/features/orders/components/order-summary';
import { describeReason, timelineEntries } from '@/features/orders/components/order-timeline';

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

describe('timelineEntries', () => {
  it('puts refunds among the status changes by time, in words', () => {
    const entries = timelineEntries(
      [
        { id: 1, oldStatus: null, newStatus: 'PENDING', reason: 'order placed', changedBy: 'u', changedAt: '2026-11-20T10:00:00Z' },
        { id: 2, oldStatus: 'PENDING', newStatus: 'CONFIRMED', reason: 'payment 01a2 completed', changedBy: 's', changedAt: '2026-11-20T10:01:00Z' },
        { id: 3, oldStatus: 'CONFIRMED', newStatus: 'CANCELLED', reason: 'cancelled by buyer', changedBy: 'u', changedAt: '2026-11-20T11:00:00Z' },
      ],
      [{ amount: 149, currency: 'USD', reason: 'cancellation', refundedAt: '2026-11-20T11:00:02Z' }],
    );
    expect(entries.map((e) => [e.title, e.note])).toEqual([
      ['Order placed', null],
      ['Payment received', null],
      ['Cancelled', 'Cancelled by the buyer.'],
      ['Refunded $149.00', 'for the cancelled order, to the original payment method.'],
    ]);
  });
});

describe('cancellationRefund', () => {
  it('says how much came back, that nothing was charged, or that the refund is on its way', () => {
    expect(cancellationRefund({ paymentId: 'p', refunds: [{ amount: 20, currency: 'USD', reason: 'cancellation', refundedAt: '2026-11-20T11:00:00Z' }] })).toBe('$20.00 to your payment method');
    expect(cancellationRefund({ paymentId: null, refunds: [] })).toBe('Nothing was charged');
    expect(cancellationRefund({ paymentId: 'p', refunds: [] })).toBe('On its way to your payment method');
  });
});
