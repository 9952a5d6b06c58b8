import { asc, eq, sql } from 'drizzle-orm';

import { centsToAmount } from '@contract/money';
import type { Queryable } from '@/platform/db';
import type { ReturnSummary } from '@/orders';
import { returnLines, returns } from '@/returns/tables';

/** How many units a return (a row of `returns` in the outer query) covers. */
export const returnItemCount = () => sql<number>`(select coalesce(sum(rl.quantity), 0)::int from ${returnLines} rl where rl.return_id = ${returns}.id)`.mapWith(Number);

/** The returns of one order, oldest first, with how many units each covers (orders' `ReturnSummariesPort`). */
export async function returnSummaries(q: Queryable, orderId: string): Promise<ReturnSummary[]> {
  const rows = await q
    .select({
      id: returns.id,
      status: returns.status,
      refundCents: returns.refundCents,
      createdAt: returns.createdAt,
      itemCount: returnItemCount(),
    })
    .from(returns)
    .where(eq(returns.orderId, orderId))
    .orderBy(asc(returns.createdAt), asc(returns.id));
  return rows.map((row) => ({ id: row.id, status: row.status, itemCount: row.itemCount, refundAmount: row.refundCents === null ? null : centsToAmount(row.refundCents), createdAt: row.createdAt.toISOString() }));
}
