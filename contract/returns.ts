import { z } from 'zod';

/**
 * The return-policy rule both sides enforce: `PUT /sellers/me/return-policy` (`workers/returns/schema.ts`) is built
 * from it, and the seller's policy form checks the same value. A builder, for the reason given in
 * `contract/identity.ts`.
 */

/** How many days after delivery buyers may ask to return (0 = no returns). */
export const returnWindowDays = () => z.number().int().min(0).max(365);

/** requested → approved | rejected; approved → sent (buyer) → received (seller) → refunded (docs/decisions/returns.md). */
export const RETURN_STATUSES = ['REQUESTED', 'APPROVED', 'REJECTED', 'SENT', 'RECEIVED', 'REFUNDED'] as const;
