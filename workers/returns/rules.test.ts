import { describe, expect, it } from 'vitest';

import { assertReturnable, canTransitionReturn, lineRefundCents, returnRefundCents, RETURN_TRANSITIONS, shippingPaidCents, type OrderForReturn, type ReturnableLine } from '@/returns/rules';
import { RETURN_STATUSES } from '@/returns/tables';

const DAY = 24 * 60 * 60 * 1000;
const delivered = new Date('2026-11-01T12:00:00Z');
const line = (id: string, quantity: number, unitPriceCents: number, more: Partial<ReturnableLine> = {}): ReturnableLine => ({ id, quantity, unitPriceCents, discountCents: 0, taxCents: 0, taxIncluded: false, ...more });
const order: OrderForReturn & { lines: ReturnableLine[] } = {
  buyerId: 'buyer',
  status: 'DELIVERED',
  deliveredAt: delivered,
  lines: [line('a', 3, 1000), line('b', 1, 250)],
};
const request = (lines: { orderItemId: string; quantity: number }[], extra: Partial<Parameters<typeof assertReturnable>[1]> = {}) => ({
  callerId: 'buyer',
  lines,
  now: new Date(delivered.getTime() + DAY),
  windowDays: 30,
  alreadyHeld: new Map<string, number>(),
  ...extra,
});

describe('return state machine', () => {
  it('allows exactly requested → approved|rejected → sent → received → refunded', () => {
    const allowed = RETURN_STATUSES.flatMap((from) => RETURN_STATUSES.filter((to) => canTransitionReturn(from, to)).map((to) => `${from}>${to}`));
    expect(allowed).toEqual(['REQUESTED>APPROVED', 'REQUESTED>REJECTED', 'APPROVED>SENT', 'SENT>RECEIVED', 'RECEIVED>REFUNDED']);
    expect(RETURN_TRANSITIONS.REJECTED).toEqual([]);
    expect(RETURN_TRANSITIONS.REFUNDED).toEqual([]);
  });
});

describe('assertReturnable', () => {
  it('accepts the buyer returning part of a delivered order inside the window', () => {
    expect(() => assertReturnable(order, request([{ orderItemId: 'a', quantity: 2 }]))).not.toThrow();
  });

  it('refuses someone else (403), an undelivered order (409) and a closed window (422)', () => {
    expect(() => assertReturnable(order, request([{ orderItemId: 'a', quantity: 1 }], { callerId: 'other' }))).toThrow(expect.objectContaining({ status: 403 }));
    expect(() => assertReturnable({ ...order, status: 'SHIPPED', deliveredAt: null }, request([{ orderItemId: 'a', quantity: 1 }]))).toThrow(expect.objectContaining({ status: 409, code: 'ORDER_NOT_DELIVERED' }));
    const late = new Date(delivered.getTime() + 30 * DAY + 1);
    expect(() => assertReturnable(order, request([{ orderItemId: 'a', quantity: 1 }], { now: late }))).toThrow(expect.objectContaining({ status: 422, code: 'RETURN_WINDOW_CLOSED' }));
    expect(() => assertReturnable(order, request([{ orderItemId: 'a', quantity: 1 }], { now: late, windowDays: 31 }))).not.toThrow();
  });

  it('refuses more than bought minus what other returns hold, naming the line and what is left', () => {
    expect(() => assertReturnable(order, request([{ orderItemId: 'a', quantity: 4 }]))).toThrow(expect.objectContaining({ status: 422, code: 'RETURN_QUANTITY_EXCEEDED', details: { 'line.a': 'only 3 left to return' } }));
    const held = new Map([['a', 2]]);
    expect(() => assertReturnable(order, request([{ orderItemId: 'a', quantity: 2 }], { alreadyHeld: held }))).toThrow(expect.objectContaining({ details: { 'line.a': 'only 1 left to return' } }));
    expect(() => assertReturnable(order, request([{ orderItemId: 'a', quantity: 1 }], { alreadyHeld: held }))).not.toThrow();
    expect(() => assertReturnable(order, request([{ orderItemId: 'zzz', quantity: 1 }]))).toThrow(expect.objectContaining({ status: 422, code: 'UNKNOWN_ORDER_LINE' }));
  });
});

describe('refund amount', () => {
  it('prices a line by what was paid for it, and the parts of a line add up to exactly the line', () => {
    const odd = line('x', 3, 333);
    expect(lineRefundCents(odd, 3)).toBe(999);
    const parts = [lineRefundCents(odd, 1, 0), lineRefundCents(odd, 1, 1), lineRefundCents(odd, 1, 2)];
    expect(parts.reduce((a, b) => a + b, 0)).toBe(999);
  });

  it('refunds the discounted price plus its tax, and no added tax when the price included it', () => {
    // 3 × 10.00, 3.00 off, 10 % tax on 27.00 = 2.70 on top: 29.70 paid.
    const taxed = line('t', 3, 1000, { discountCents: 300, taxCents: 270 });
    expect(lineRefundCents(taxed, 3)).toBe(2970);
    expect(lineRefundCents(taxed, 1)).toBe(990);
    // The same line with tax-inclusive prices: 27.00 paid, of which 2.45 was tax.
    const included = line('i', 3, 1000, { discountCents: 300, taxCents: 245, taxIncluded: true });
    expect(lineRefundCents(included, 3)).toBe(2700);
    expect([0, 1, 2].reduce((sum, done) => sum + lineRefundCents(included, 1, done), 0)).toBe(2700);
    expect(shippingPaidCents({ shippingCents: 499, shippingDiscountCents: 99, shippingTaxCents: 80, taxIncluded: false })).toBe(480);
    expect(shippingPaidCents({ shippingCents: 499, shippingDiscountCents: 99, shippingTaxCents: 67, taxIncluded: true })).toBe(400);
  });

  const base = { orderLines: order.lines, refundedUnits: new Map<string, number>(), shippingCents: 500, paidCents: 3750, alreadyRefundedCents: 0 };

  it('refunds shipping only when the return completes the whole order', () => {
    expect(returnRefundCents({ ...base, lines: [{ line: order.lines[0]!, quantity: 3 }] })).toBe(3000);
    expect(returnRefundCents({ ...base, lines: [{ line: order.lines[0]!, quantity: 3 }, { line: order.lines[1]!, quantity: 1 }] })).toBe(3750);
    // The last return of an order gets the shipping, after an earlier return of the rest.
    expect(returnRefundCents({ ...base, refundedUnits: new Map([['a', 3]]), alreadyRefundedCents: 3000, lines: [{ line: order.lines[1]!, quantity: 1 }] })).toBe(750);
  });

  it('never refunds more than what is left of what was paid', () => {
    expect(returnRefundCents({ ...base, alreadyRefundedCents: 3500, lines: [{ line: order.lines[0]!, quantity: 1 }] })).toBe(250);
    expect(returnRefundCents({ ...base, alreadyRefundedCents: 3750, lines: [{ line: order.lines[0]!, quantity: 1 }] })).toBe(0);
  });
});
