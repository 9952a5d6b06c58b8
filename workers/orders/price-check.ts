import { amountToCents, formatCents } from '@contract/money';
import { AppError } from '@/platform/errors';

/**
 * The buyer's safeguard against silent price changes: when the order names the total the buyer was shown
 * (`expectedTotal`) and today's prices add up to something else, nothing is reserved or charged; the answer is
 * 409 `PRICE_CHANGED` with the new total and unit prices so the client can show them and ask again.
 *
 * `expectedTotal` is, as it always was, the amount that will be charged — now after discount and with tax
 * (docs/decisions/promotions.md): a client that showed a total without them gets the 409 with the new breakdown
 * (`discount`, `tax` in the details) rather than a charge it did not show.
 */
export function assertExpectedTotal(
  expectedTotal: number | null | undefined,
  totals: { totalCents: number; discountCents: number; taxCents: number },
  lines: readonly { productId: number; product: { priceCents: number } }[],
): void {
  if (expectedTotal === undefined || expectedTotal === null) return;
  if (amountToCents(expectedTotal) === totals.totalCents) return;
  const details: Record<string, string> = {
    total: formatCents(totals.totalCents),
    expectedTotal: expectedTotal.toFixed(2),
    discount: formatCents(totals.discountCents),
    tax: formatCents(totals.taxCents),
  };
  for (const line of lines) details[`items.${line.productId}.unitPrice`] = formatCents(line.product.priceCents);
  throw new AppError(409, 'PRICE_CHANGED', `Prices changed since you looked: the total is now ${details.total}`, details);
}
