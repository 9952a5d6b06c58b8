import { AppError, conflict, forbidden } from '@/platform/errors';
import type { ReturnStatus } from '@/returns/tables';

/**
 * The pure rules of returns (docs/decisions/returns.md): the state machine, what may be returned, and how much is
 * refunded. No I/O: the service reads the rows, locks them, and asks these.
 */

export const DEFAULT_RETURN_WINDOW_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Who moves a return from each state: the seller decides, the buyer ships, the seller receives, the refund settles. */
export const RETURN_TRANSITIONS: Readonly<Record<ReturnStatus, readonly ReturnStatus[]>> = {
  REQUESTED: ['APPROVED', 'REJECTED'],
  APPROVED: ['SENT'],
  REJECTED: [],
  SENT: ['RECEIVED'],
  RECEIVED: ['REFUNDED'],
  REFUNDED: [],
};

export const canTransitionReturn = (from: ReturnStatus, to: ReturnStatus) => RETURN_TRANSITIONS[from].includes(to);

export function assertReturnTransition(from: ReturnStatus, to: ReturnStatus): void {
  if (!canTransitionReturn(from, to)) throw conflict('INVALID_RETURN_TRANSITION', `A return cannot go from ${from} to ${to}`, { status: from });
}

/** A return that was not rejected holds its units: they may not be asked for again. */
export const holdsUnits = (status: ReturnStatus) => status !== 'REJECTED';

/** One line of an order as the rules see it (integer cents). */
export interface ReturnableLine {
  id: string;
  quantity: number;
  unitPriceCents: number;
  /** The line's discount and tax, fixed when the order was placed. */
  discountCents: number;
  taxCents: number;
  /** The order's prices included their tax (the tax is part of the price, not on top of it). */
  taxIncluded: boolean;
}

/** What the buyer paid for the whole line: its price less its discount, plus its tax unless the price included it. */
const linePaidCents = (line: ReturnableLine) => line.unitPriceCents * line.quantity - line.discountCents + (line.taxIncluded ? 0 : line.taxCents);

/** What the buyer paid for an order's shipping: its price less its discount, plus its tax unless the price included it. */
export const shippingPaidCents = (order: { shippingCents: number; shippingDiscountCents: number; shippingTaxCents: number; taxIncluded: boolean }) =>
  order.shippingCents - order.shippingDiscountCents + (order.taxIncluded ? 0 : order.shippingTaxCents);

/**
 * What the buyer paid for `quantity` more units of `line` when `alreadyRefunded` units of it were refunded before —
 * THE one place a line's refund is priced ({@link linePaidCents} prorated by quantity). Prorating the cumulative
 * count (not each part alone) makes the parts of a line add up to exactly what was paid for it, whatever the rounding.
 */
export function lineRefundCents(line: ReturnableLine, quantity: number, alreadyRefunded = 0): number {
  const paid = linePaidCents(line);
  const upTo = (units: number) => Math.round((paid * units) / line.quantity);
  return upTo(alreadyRefunded + quantity) - upTo(alreadyRefunded);
}

export interface OrderForReturn {
  buyerId: string;
  status: string;
  /** When the order turned DELIVERED; null if it never did. */
  deliveredAt: Date | null;
  lines: Pick<ReturnableLine, 'id' | 'quantity'>[];
}

export interface ReturnRequestLine {
  orderItemId: string;
  quantity: number;
}

/**
 * Checks a buyer's return request against the order: only the order's buyer (403), only a DELIVERED order (409
 * `ORDER_NOT_DELIVERED`), within the seller's window from delivery (422 `RETURN_WINDOW_CLOSED`), only lines of this
 * order (422 `UNKNOWN_ORDER_LINE`) and never more than bought minus what other returns already hold (422
 * `RETURN_QUANTITY_EXCEEDED`, naming each line with what remains).
 */
export function assertReturnable(
  order: OrderForReturn,
  request: { callerId: string; lines: ReturnRequestLine[]; now: Date; windowDays: number; alreadyHeld: ReadonlyMap<string, number> },
): void {
  if (order.buyerId !== request.callerId) throw forbidden('Only the buyer of this order may return it');
  if (order.status !== 'DELIVERED' || order.deliveredAt === null) throw conflict('ORDER_NOT_DELIVERED', `Only a delivered order can be returned; this one is ${order.status}`, { status: order.status });
  const closesAt = order.deliveredAt.getTime() + request.windowDays * DAY_MS;
  if (request.now.getTime() > closesAt) {
    throw new AppError(422, 'RETURN_WINDOW_CLOSED', `Returns are accepted for ${request.windowDays} days after delivery`, { closedAt: new Date(closesAt).toISOString() });
  }
  const byId = new Map(order.lines.map((line) => [line.id, line]));
  const unknown = request.lines.filter((line) => !byId.has(line.orderItemId));
  if (unknown.length > 0) throw new AppError(422, 'UNKNOWN_ORDER_LINE', 'Some lines are not part of this order', Object.fromEntries(unknown.map((line) => [`line.${line.orderItemId}`, 'Not a line of this order'])));
  const over: Record<string, string> = {};
  for (const line of request.lines) {
    const remaining = byId.get(line.orderItemId)!.quantity - (request.alreadyHeld.get(line.orderItemId) ?? 0);
    if (line.quantity > remaining) over[`line.${line.orderItemId}`] = `only ${Math.max(0, remaining)} left to return`;
  }
  if (Object.keys(over).length > 0) throw new AppError(422, 'RETURN_QUANTITY_EXCEEDED', 'You cannot return more than you bought and have not already returned', over);
}

export interface RefundInput {
  /** The lines of this return, with their order line. */
  lines: { line: ReturnableLine; quantity: number }[];
  /** Every line of the order (for "is the whole order now returned"). */
  orderLines: ReturnableLine[];
  /** Units per order line already refunded or being refunded by other returns (RECEIVED/REFUNDED). */
  refundedUnits: ReadonlyMap<string, number>;
  /** What the buyer paid for shipping ({@link shippingPaidCents}), refunded with the last of the order's lines. */
  shippingCents: number;
  /** What the buyer paid for the order, and what other refunds of it already gave back. */
  paidCents: number;
  alreadyRefundedCents: number;
}

/**
 * The refund of a return: its lines' paid price ({@link lineRefundCents}), plus the order's shipping when this return
 * completes the return of every unit of the order; never more than what is left of what the buyer paid.
 */
export function returnRefundCents(input: RefundInput): number {
  const lines = input.lines.reduce((sum, { line, quantity }) => sum + lineRefundCents(line, quantity, input.refundedUnits.get(line.id) ?? 0), 0);
  const returning = new Map(input.lines.map(({ line, quantity }) => [line.id, quantity]));
  const wholeOrder = input.orderLines.every((line) => (input.refundedUnits.get(line.id) ?? 0) + (returning.get(line.id) ?? 0) >= line.quantity);
  const wanted = lines + (wholeOrder ? input.shippingCents : 0);
  return Math.max(0, Math.min(wanted, input.paidCents - input.alreadyRefundedCents));
}
