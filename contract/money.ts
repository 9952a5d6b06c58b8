/**
 * Money, once for the Worker and the SPA. On the wire an amount is a number of currency units with at most two
 * decimals; everything stored and computed is integer cents. Converting at the edges keeps sums exact.
 * No zod here: the SPA's entry chunk imports this file, and zod loads lazily (the amount rule is in `money-schema.ts`).
 */

/** Exact for every amount the 2-decimal rule (`moneyAmount`) accepts. */
export const amountToCents = (amount: number) => Math.round(amount * 100);

/** Integer cents → the wire's 2-decimal amount (exact for every value we store). */
export const centsToAmount = (cents: number) => Math.round(cents) / 100;

/** Cents as messages and error details show them: "12.50". */
export const formatCents = (cents: number) => centsToAmount(cents).toFixed(2);

export const hasAtMostTwoDecimals = (value: number) => Math.abs(value * 100 - Math.round(value * 100)) < 1e-6;
