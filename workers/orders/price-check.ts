import { centsToAmount } from '@/catalog/summary';
import { AppError } from '@/platform/errors';

/**
 * The buyer's safeguard against silent price changes: when the order names the total the buyer was shown
 * (`expectedTotal`) and today's prices add up to something else, nothing is reserved or charged; the answer is
 * 409 `PRICE_CHANGED` with the new total and unit prices so the client can show them and ask again.
 */
export function assertExpectedTotal(
  expectedTotal: number | null | undefined,
  totalCents: number,
  lines: readonly { productId: number; product: { priceCents: number } }[],
): void {
  if (expectedTotal === undefined || expectedTotal === null) return;
  if (Math.round(expectedTotal * 100) === totalCents) return;
  const details: Record<string, string> = { total: centsToAmount(totalCents).toFixed(2), expectedTotal: expectedTotal.toFixed(2) };
  for (const line of lines) details[`items.${line.productId}.unitPrice`] = centsToAmount(line.product.priceCents).toFixed(2);
  throw new AppError(409, 'PRICE_CHANGED', `Prices changed since you looked: the total is now ${details.total}`, details);
}
