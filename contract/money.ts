import { z } from 'zod';

/**
 * Money, once for the Worker and the SPA. On the wire an amount is a number of currency units with at most two
 * decimals; everything stored and computed is integer cents. Converting at the edges keeps sums exact.
 */

/** Exact for every amount {@link moneyAmount} accepts. */
export const amountToCents = (amount: number) => Math.round(amount * 100);

/** Integer cents → the wire's 2-decimal amount (exact for every value we store). */
export const centsToAmount = (cents: number) => Math.round(cents) / 100;

/** Cents as messages and error details show them: "12.50". */
export const formatCents = (cents: number) => centsToAmount(cents).toFixed(2);

const hasAtMostTwoDecimals = (value: number) => Math.abs(value * 100 - Math.round(value * 100)) < 1e-6;

/** A 2-decimal amount from 0 (or above 0 with `positive`) up to `max`. */
export const moneyAmount = (max: number, { positive = false, negativeMessage }: { positive?: boolean; negativeMessage?: string } = {}) =>
  (positive ? z.number().positive() : z.number().min(0, negativeMessage)).max(max).refine(hasAtMostTwoDecimals, 'must have at most 2 decimal places');
