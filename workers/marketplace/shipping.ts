import { z } from '@hono/zod-openapi';
import { and, asc, count, eq, inArray } from 'drizzle-orm';

import { amountToCents, centsToAmount } from '@contract/money';
import { moneyAmount } from '@contract/money-schema';
import { shippingOptions } from '@/marketplace/tables';
import type { Db, Queryable } from '@/platform/db';
import { AppError, badRequest, forbidden, notFound } from '@/platform/errors';

/**
 * Shipping options per seller (docs/decisions/marketplace.md). Sellers manage theirs; a checkout picks one active
 * option per seller; a seller with no active option ships with {@link PLATFORM_DEFAULT_SHIPPING}.
 */

/** The id a client may send (or omit) for a seller that has no option of its own. */
export const PLATFORM_DEFAULT_SHIPPING_ID = 'platform-default';
const PLATFORM_DEFAULT_SHIPPING = { name: 'Standard shipping', priceCents: 499, freeOverCents: 5000, minDays: 3, maxDays: 7 } as const;
const MAX_SHIPPING_OPTIONS_PER_SELLER = 20;

const money = moneyAmount(100_000);
const days = z.number().int().min(0).max(365);

export const createShippingOptionSchema = z
  .object({
    name: z.string().trim().min(1, 'Must not be blank').max(100),
    price: money.openapi({ example: 4.99 }),
    freeOver: money.nullish().openapi({ description: "Free when the seller's lines cost at least this much", example: 50 }),
    minDays: days.openapi({ example: 2 }),
    maxDays: days.openapi({ example: 5 }),
    active: z.boolean().optional(),
  })
  .strict()
  .refine((value) => value.minDays <= value.maxDays, { message: 'minDays must not exceed maxDays', path: ['minDays'] })
  .openapi('CreateShippingOption');

export const updateShippingOptionSchema = z
  .object({
    name: z.string().trim().min(1, 'Must not be blank').max(100).optional(),
    price: money.optional(),
    freeOver: money.nullish(),
    minDays: days.optional(),
    maxDays: days.optional(),
    active: z.boolean().optional(),
  })
  .strict()
  .refine((value) => Object.keys(value).length > 0, 'Nothing to change')
  .openapi('UpdateShippingOption');

export type CreateShippingOption = z.infer<typeof createShippingOptionSchema>;
export type UpdateShippingOption = z.infer<typeof updateShippingOptionSchema>;

export const shippingOptionSchema = z
  .object({
    id: z.string(),
    sellerId: z.string(),
    name: z.string(),
    price: z.number(),
    freeOver: z.number().nullable(),
    minDays: z.number().int(),
    maxDays: z.number().int(),
    active: z.boolean(),
    /** True for the platform's default, offered when the seller has no option of its own. */
    platformDefault: z.boolean(),
  })
  .openapi('ShippingOption');

export type ShippingOptionResponse = z.infer<typeof shippingOptionSchema>;
type ShippingOptionRow = typeof shippingOptions.$inferSelect;


function toShippingOptionResponse(row: ShippingOptionRow): ShippingOptionResponse {
  return {
    id: row.id,
    sellerId: row.sellerId,
    name: row.name,
    price: centsToAmount(row.priceCents),
    freeOver: row.freeOverCents === null ? null : centsToAmount(row.freeOverCents),
    minDays: row.minDays,
    maxDays: row.maxDays,
    active: row.active,
    platformDefault: false,
  };
}

function platformDefaultOption(sellerId: string): ShippingOptionResponse {
  const d = PLATFORM_DEFAULT_SHIPPING;
  return { id: PLATFORM_DEFAULT_SHIPPING_ID, sellerId, name: d.name, price: centsToAmount(d.priceCents), freeOver: centsToAmount(d.freeOverCents), minDays: d.minDays, maxDays: d.maxDays, active: true, platformDefault: true };
}

/** Anyone: a seller's active options, cheapest first; the platform default when it has none. */
export async function listActiveShippingOptions(db: Db, sellerId: string): Promise<ShippingOptionResponse[]> {
  const rows = await db
    .select()
    .from(shippingOptions)
    .where(and(eq(shippingOptions.sellerId, sellerId), eq(shippingOptions.active, true)))
    .orderBy(asc(shippingOptions.priceCents), asc(shippingOptions.id));
  return rows.length > 0 ? rows.map(toShippingOptionResponse) : [platformDefaultOption(sellerId)];
}

/** The seller's own options, active or not. */
export async function listOwnShippingOptions(db: Db, sellerId: string): Promise<ShippingOptionResponse[]> {
  const rows = await db.select().from(shippingOptions).where(eq(shippingOptions.sellerId, sellerId)).orderBy(asc(shippingOptions.createdAt), asc(shippingOptions.id));
  return rows.map(toShippingOptionResponse);
}

export async function createShippingOption(db: Db, sellerId: string, input: CreateShippingOption): Promise<ShippingOptionResponse> {
  const [existing] = await db.select({ total: count() }).from(shippingOptions).where(eq(shippingOptions.sellerId, sellerId));
  if ((existing?.total ?? 0) >= MAX_SHIPPING_OPTIONS_PER_SELLER) {
    throw new AppError(409, 'TOO_MANY_SHIPPING_OPTIONS', `A seller may have at most ${MAX_SHIPPING_OPTIONS_PER_SELLER} shipping options`);
  }
  const [row] = await db
    .insert(shippingOptions)
    .values({
      sellerId,
      name: input.name,
      priceCents: amountToCents(input.price),
      freeOverCents: input.freeOver === undefined || input.freeOver === null ? null : amountToCents(input.freeOver),
      minDays: input.minDays,
      maxDays: input.maxDays,
      active: input.active ?? true,
    })
    .returning();
  return toShippingOptionResponse(row!);
}

async function ownOption(db: Db, caller: { id: string; role: string }, optionId: string): Promise<ShippingOptionRow> {
  const [row] = await db.select().from(shippingOptions).where(eq(shippingOptions.id, optionId));
  if (!row) throw notFound('SHIPPING_OPTION_NOT_FOUND', 'Shipping option not found');
  if (caller.role !== 'admin' && row.sellerId !== caller.id) throw forbidden();
  return row;
}

export async function updateShippingOption(db: Db, caller: { id: string; role: string }, optionId: string, input: UpdateShippingOption): Promise<ShippingOptionResponse> {
  const current = await ownOption(db, caller, optionId);
  const minDays = input.minDays ?? current.minDays;
  const maxDays = input.maxDays ?? current.maxDays;
  if (minDays > maxDays) throw badRequest('VALIDATION_ERROR', 'Request validation failed', { minDays: 'minDays must not exceed maxDays' });
  const [row] = await db
    .update(shippingOptions)
    .set({
      ...(input.name !== undefined && { name: input.name }),
      ...(input.price !== undefined && { priceCents: amountToCents(input.price) }),
      ...(input.freeOver !== undefined && { freeOverCents: input.freeOver === null ? null : amountToCents(input.freeOver) }),
      minDays,
      maxDays,
      ...(input.active !== undefined && { active: input.active }),
      updatedAt: new Date(),
    })
    .where(eq(shippingOptions.id, optionId))
    .returning();
  return toShippingOptionResponse(row!);
}

/** Orders keep a copy of the option they shipped with, so deleting one changes no order. */
export async function deleteShippingOption(db: Db, caller: { id: string; role: string }, optionId: string): Promise<void> {
  await ownOption(db, caller, optionId);
  await db.delete(shippingOptions).where(eq(shippingOptions.id, optionId));
}

/** What one seller order ships with, priced for its lines. */
export interface ShippingLine {
  optionId: string | null;
  method: string;
  priceCents: number;
  minDays: number;
  maxDays: number;
}

/**
 * Resolves the checkout's choice for every seller in it: a seller with active options must have one of them chosen
 * (400 `SHIPPING_OPTION_REQUIRED` / `INVALID_SHIPPING_OPTION` naming the seller); a seller without options gets the
 * platform default (its id may be sent or left out). A choice for a seller that is not in the checkout is a 400 too.
 * The price is 0 when the seller's lines reach the option's `freeOver`.
 */
export async function resolveShipping(q: Queryable, choices: Record<string, string>, subtotalBySeller: ReadonlyMap<string, number>): Promise<Map<string, ShippingLine>> {
  const sellerIds = [...subtotalBySeller.keys()];
  const details: Record<string, string> = {};
  for (const sellerId of Object.keys(choices)) {
    if (!subtotalBySeller.has(sellerId)) details[`shipping.${sellerId}`] = 'No product of this seller is in the checkout';
  }
  const rows = sellerIds.length === 0 ? [] : await q.select().from(shippingOptions).where(and(inArray(shippingOptions.sellerId, sellerIds), eq(shippingOptions.active, true)));
  const bySeller = new Map<string, ShippingOptionRow[]>();
  for (const row of rows) bySeller.set(row.sellerId, [...(bySeller.get(row.sellerId) ?? []), row]);
  const resolved = new Map<string, ShippingLine>();
  let missing = false;
  for (const sellerId of sellerIds) {
    const subtotal = subtotalBySeller.get(sellerId)!;
    const options = bySeller.get(sellerId) ?? [];
    const choice = choices[sellerId];
    if (options.length === 0) {
      if (choice !== undefined && choice !== PLATFORM_DEFAULT_SHIPPING_ID) {
        details[`shipping.${sellerId}`] = 'Unknown or inactive shipping option for this seller; it ships with the platform default';
        continue;
      }
      const d = PLATFORM_DEFAULT_SHIPPING;
      resolved.set(sellerId, { optionId: null, method: d.name, priceCents: subtotal >= d.freeOverCents ? 0 : d.priceCents, minDays: d.minDays, maxDays: d.maxDays });
      continue;
    }
    if (choice === undefined) {
      missing = true;
      details[`shipping.${sellerId}`] = 'Choose one of this seller\'s shipping options';
      continue;
    }
    const option = options.find((o) => o.id === choice);
    if (!option) {
      details[`shipping.${sellerId}`] = 'Unknown or inactive shipping option for this seller';
      continue;
    }
    const free = option.freeOverCents !== null && subtotal >= option.freeOverCents;
    resolved.set(sellerId, { optionId: option.id, method: option.name, priceCents: free ? 0 : option.priceCents, minDays: option.minDays, maxDays: option.maxDays });
  }
  if (Object.keys(details).length > 0) {
    const onlyMissing = missing && Object.values(details).every((d) => d.startsWith('Choose'));
    throw badRequest(
      onlyMissing ? 'SHIPPING_OPTION_REQUIRED' : 'INVALID_SHIPPING_OPTION',
      `Pick one active shipping option for every seller in the checkout (${Object.keys(details).map((k) => k.slice('shipping.'.length)).join(', ')})`,
      details,
    );
  }
  return resolved;
}
