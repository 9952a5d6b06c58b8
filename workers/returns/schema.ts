import { returnWindowDays } from '@contract/returns';
import { z } from '@hono/zod-openapi';

import { MAX_LINE_QUANTITY, MAX_ORDER_LINES } from '@/orders';
import { pageQuerySchema } from '@/platform/pagination';
import { returnSummarySchema } from '@/orders';
import { RETURN_STATUSES } from '@/returns/tables';

const note = z.string().trim().min(1, 'Must not be blank').max(500);

export const createReturnSchema = z
  .object({
    lines: z
      .array(z.object({ orderItemId: z.guid(), quantity: z.number().int().min(1).max(MAX_LINE_QUANTITY) }).strict())
      .min(1)
      .max(MAX_ORDER_LINES)
      .refine((lines) => new Set(lines.map((line) => line.orderItemId)).size === lines.length, 'Each order line may appear once'),
    reason: note.openapi({ example: 'The headphones crackle on the left side' }),
  })
  .strict()
  .openapi('CreateReturn');
export type CreateReturn = z.infer<typeof createReturnSchema>;

export const returnDecisionSchema = z.object({ note: note.optional() }).strict().openapi('ReturnDecision');
export const receiveReturnSchema = z
  .object({ restock: z.boolean().optional().openapi({ description: 'Put the returned units back on sale (once per return)' }), note: note.optional() })
  .strict()
  .openapi('ReceiveReturn');

const returnLineSchema = z
  .object({ orderItemId: z.string(), productId: z.number().int(), productName: z.string(), quantity: z.number().int(), unitPrice: z.number(), refund: z.number() })
  .openapi('ReturnLine');

const returnHistoryEntrySchema = z
  .object({ oldStatus: z.enum(RETURN_STATUSES).nullable(), newStatus: z.enum(RETURN_STATUSES), note: z.string().nullable(), changedBy: z.string(), changedAt: z.string().openapi({ format: 'date-time' }) })
  .openapi('ReturnHistoryEntry');

export const returnSchema = z
  .object({
    id: z.string(),
    orderId: z.string(),
    buyerId: z.string(),
    sellerId: z.string(),
    status: z.enum(RETURN_STATUSES),
    reason: z.string(),
    sellerNote: z.string().nullable(),
    restock: z.boolean(),
    /** Fixed when the seller marks it received; null before. */
    refundAmount: z.number().nullable(),
    currency: z.string(),
    lines: z.array(returnLineSchema),
    history: z.array(returnHistoryEntrySchema),
    createdAt: z.string().openapi({ format: 'date-time' }),
    updatedAt: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('Return');
export type ReturnResponse = z.infer<typeof returnSchema>;

export const returnListItemSchema = returnSummarySchema.extend({ orderId: z.string(), buyerId: z.string(), sellerId: z.string(), reason: z.string() }).openapi('ReturnListItem');

export const returnListQuerySchema = pageQuerySchema({ sortFields: ['createdAt'], defaultSort: { field: 'createdAt', direction: 'DESC' } }).extend({ status: z.enum(RETURN_STATUSES).optional() });

export const returnIdParamsSchema = z.object({ id: z.guid().openapi({ param: { name: 'id', in: 'path' } }) });

/** A seller's return policy: how many days after delivery its buyers may ask to return (0 = no returns). */
export const returnPolicySchema = z
  .object({ returnWindowDays: returnWindowDays().openapi({ example: 30 }) })
  .strict()
  .openapi('ReturnPolicy');
export type ReturnPolicy = z.infer<typeof returnPolicySchema>;
