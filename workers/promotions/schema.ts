import { z } from '@hono/zod-openapi';

import { PROMOTION_FUNDERS, PROMOTION_SCOPES, PROMOTION_TYPES } from '@/promotions/tables';
import { moneyAmount } from '@contract/money-schema';

const amount = moneyAmount(1_000_000, { negativeMessage: 'Must not be negative' });

const promoCodeSchema = z
  .string()
  .trim()
  .min(3, 'A code has at least 3 characters')
  .max(40)
  .regex(/^[A-Za-z0-9_-]+$/, 'Letters, digits, "-" and "_" only')
  .transform((code) => code.toUpperCase());

const promotionFields = {
  name: z.string().trim().min(1, 'Must not be blank').max(120),
  minSubtotal: amount.nullish().openapi({ description: 'The lines the promotion may touch must cost at least this much', example: 50 }),
  startsAt: z.iso.datetime({ offset: true }).optional(),
  endsAt: z.iso.datetime({ offset: true }).nullish(),
  usageLimit: z.number().int().min(1).max(100_000_000).nullish().openapi({ description: 'Purchases that may use it in all (a cancelled order gives its use back)' }),
  perCustomerLimit: z.number().int().min(1).max(1_000_000).nullish(),
  active: z.boolean().optional().openapi({ description: 'false pauses it' }),
};

export const createPromotionSchema = z
  .object({
    code: promoCodeSchema.nullish().openapi({ description: 'Left out or null: an automatic promotion (applies to every purchase it fits)', example: 'WELCOME10' }),
    type: z.enum(PROMOTION_TYPES),
    value: amount.optional().openapi({
      description: 'percentage: the percent taken off (0 < value ≤ 100); fixed: the amount taken off (> 0); free_shipping: not used',
      example: 10,
    }),
    scope: z.enum(PROMOTION_SCOPES).optional().openapi({ description: 'order (default), seller (sellerId), category (categoryId) or products (productIds)' }),
    sellerId: z.guid().nullish().openapi({ description: "Admin only: restricts the promotion to this seller's products (a seller's own promotions always are)" }),
    categoryId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).nullish(),
    productIds: z.array(z.number().int().positive().max(Number.MAX_SAFE_INTEGER)).min(1).max(100).nullish(),
    ...promotionFields,
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.type === 'percentage' && !(v.value !== undefined && v.value > 0 && v.value <= 100)) ctx.addIssue({ code: 'custom', path: ['value'], message: 'A percentage must be more than 0 and at most 100' });
    if (v.type === 'fixed' && !(v.value !== undefined && v.value > 0)) ctx.addIssue({ code: 'custom', path: ['value'], message: 'A fixed amount must be more than 0' });
    const scope = v.scope ?? 'order';
    if (scope === 'category' && !v.categoryId) ctx.addIssue({ code: 'custom', path: ['categoryId'], message: 'A category promotion needs categoryId' });
    if (scope === 'products' && !v.productIds) ctx.addIssue({ code: 'custom', path: ['productIds'], message: 'A products promotion needs productIds' });
    if (v.startsAt && v.endsAt && new Date(v.endsAt) <= new Date(v.startsAt)) ctx.addIssue({ code: 'custom', path: ['endsAt'], message: 'endsAt must be after startsAt' });
  })
  .openapi('CreatePromotion');

export const updatePromotionSchema = z
  .object(promotionFields)
  .partial()
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'Nothing to change')
  .openapi('UpdatePromotion');

export type CreatePromotion = z.infer<typeof createPromotionSchema>;
export type UpdatePromotion = z.infer<typeof updatePromotionSchema>;

export const promotionSchema = z
  .object({
    id: z.string(),
    code: z.string().nullable(),
    name: z.string(),
    type: z.enum(PROMOTION_TYPES),
    /** percentage: percent; fixed: amount; free_shipping: 0. */
    value: z.number(),
    scope: z.enum(PROMOTION_SCOPES),
    sellerId: z.string().nullable(),
    categoryId: z.number().int().nullable(),
    productIds: z.array(z.number().int()).nullable(),
    minSubtotal: z.number().nullable(),
    startsAt: z.string().openapi({ format: 'date-time' }),
    endsAt: z.string().openapi({ format: 'date-time' }).nullable(),
    usageLimit: z.number().int().nullable(),
    perCustomerLimit: z.number().int().nullable(),
    /** Purchases holding a use now (cancelled ones gave theirs back). */
    usedCount: z.number().int(),
    /** Σ of the discount given by the purchases holding a use. */
    discountGiven: z.number(),
    active: z.boolean(),
    fundedBy: z.enum(PROMOTION_FUNDERS),
    createdBy: z.string(),
    createdAt: z.string().openapi({ format: 'date-time' }),
    updatedAt: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('Promotion');

export type PromotionResponse = z.infer<typeof promotionSchema>;

export const promotionIdParamsSchema = z.object({ id: z.guid().openapi({ param: { name: 'id', in: 'path' } }) });
