import { z } from '@hono/zod-openapi';
import { asc, eq } from 'drizzle-orm';

import { assertCategoryExists } from '@/catalog';
import { isUniqueViolation, type Db, type Queryable } from '@/platform/db';
import { AppError, conflict, notFound } from '@/platform/errors';
import { TAX_APPLIES_TO, taxRates } from '@/tax/tables';
import { countrySchema } from '@/platform/postal-address';

/** The admin's tax rates (`/api/v1/admin/tax-rates`); rates are percents in the API and parts per million stored. */

const percent = z
  .number()
  .min(0, 'A tax rate must not be negative')
  .max(100, 'A tax rate must be at most 100 %')
  .refine((value) => Math.abs(value * 10_000 - Math.round(value * 10_000)) < 1e-6, 'must have at most 4 decimal places');

const place = z.string().trim().min(1, 'Must not be blank').max(100);

export const createTaxRateSchema = z
  .object({
    country: countrySchema.openapi({ description: "ISO 3166-1 alpha-2 code (an English name is accepted and stored as its code), matched against the shipping address's", example: 'US' }),
    region: place.nullish().openapi({ description: 'State/region (matched against the address state); none: the country default', example: 'CA' }),
    categoryId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).nullish().openapi({ description: 'A per-category override (goods only)' }),
    appliesTo: z.enum(TAX_APPLIES_TO).optional().openapi({ description: 'goods (default) or shipping (the rate shipping is taxed at)' }),
    rate: percent.openapi({ description: 'Percent, 0–100, up to 4 decimals', example: 7.25 }),
    name: z.string().trim().min(1).max(100),
  })
  .strict()
  .refine((v) => !(v.appliesTo === 'shipping' && v.categoryId), { message: 'A shipping rate has no category', path: ['categoryId'] })
  .openapi('CreateTaxRate');

export const updateTaxRateSchema = z
  .object({ rate: percent.optional(), name: z.string().trim().min(1).max(100).optional() })
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'Nothing to change')
  .openapi('UpdateTaxRate');

export const taxRateSchema = z
  .object({
    id: z.string(),
    country: z.string(),
    region: z.string().nullable(),
    categoryId: z.number().int().nullable(),
    appliesTo: z.enum(TAX_APPLIES_TO),
    rate: z.number(),
    name: z.string(),
    updatedAt: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('TaxRate');

type TaxRateRow = typeof taxRates.$inferSelect;
export type TaxRateResponse = z.infer<typeof taxRateSchema>;

const toPpm = (rate: number) => Math.round(rate * 10_000);
const toResponse = (row: TaxRateRow): TaxRateResponse => ({
  id: row.id,
  country: row.country,
  region: row.region,
  categoryId: row.categoryId,
  appliesTo: row.appliesTo,
  rate: row.ratePpm / 10_000,
  name: row.name,
  updatedAt: row.updatedAt.toISOString(),
});

export async function listTaxRates(db: Db): Promise<TaxRateResponse[]> {
  const rows = await db.select().from(taxRates).orderBy(asc(taxRates.country), asc(taxRates.region), asc(taxRates.appliesTo), asc(taxRates.categoryId));
  return rows.map(toResponse);
}

export async function createTaxRate(db: Queryable, input: z.infer<typeof createTaxRateSchema>): Promise<TaxRateResponse> {
  if (input.categoryId) {
    await assertCategoryExists(db, input.categoryId);
  }
  try {
    const [row] = await db
      .insert(taxRates)
      .values({ country: input.country, region: input.region ?? null, categoryId: input.categoryId ?? null, appliesTo: input.appliesTo ?? 'goods', ratePpm: toPpm(input.rate), name: input.name })
      .returning();
    return toResponse(row!);
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict('TAX_RATE_EXISTS', 'A rate for this country, region, category and kind exists; change it instead');
    throw err;
  }
}

/** A placed order keeps the tax it was charged: changing a rate only changes what later checkouts pay. */
export async function updateTaxRate(db: Queryable, id: string, input: z.infer<typeof updateTaxRateSchema>): Promise<TaxRateResponse> {
  const [row] = await db
    .update(taxRates)
    .set({ ...(input.rate !== undefined && { ratePpm: toPpm(input.rate) }), ...(input.name !== undefined && { name: input.name }), updatedAt: new Date() })
    .where(eq(taxRates.id, id))
    .returning();
  if (!row) throw notFound('TAX_RATE_NOT_FOUND', 'Tax rate not found');
  return toResponse(row);
}

export async function deleteTaxRate(db: Queryable, id: string): Promise<void> {
  const [row] = await db.select({ id: taxRates.id }).from(taxRates).where(eq(taxRates.id, id));
  if (!row) throw new AppError(404, 'TAX_RATE_NOT_FOUND', 'Tax rate not found');
  await db.delete(taxRates).where(eq(taxRates.id, id));
}
