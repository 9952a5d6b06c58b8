/**
 * The marketplace's HTTP surface: shipping options, earnings and ledger, payouts and commission rates. Mostly route
 * declarations (zod-openapi), which are long by nature; the rules live in `shipping.ts`, `ledger.ts` and
 * `payouts.ts` (over 300 lines on purpose).
 */
import { createRoute, z } from '@hono/zod-openapi';

import { recordAdminAction } from '@/platform/audit';
import type { AppEnv } from '@/env';
import { currentUser, requireAuth } from '@/identity';
import { listLedger, sellerBalance } from '@/marketplace/ledger';
import { createPayout, listPayouts, type PayoutDeps } from '@/marketplace/payouts';
import { categoryCommissionRates, LEDGER_ENTRY_TYPES, PAYOUT_STATUSES } from '@/marketplace/tables';
import {
  createShippingOption,
  createShippingOptionSchema,
  deleteShippingOption,
  listActiveShippingOptions,
  listOwnShippingOptions,
  shippingOptionSchema,
  updateShippingOption,
  updateShippingOptionSchema,
} from '@/marketplace/shipping';
import { asc, eq } from 'drizzle-orm';

import { categories } from '@/catalog/tables';
import type { MakeDbDeps } from '@/platform/db';
import { errorResponses, notFound } from '@/platform/errors';
import { idFromSeed, parseIdempotencyKey, withIdempotencyKey } from '@/platform/idempotency';
import type { Logger } from '@/platform/logger';
import { pageQuerySchema } from '@/platform/pagination';
import { envelope, jsonContent, pagedEnvelope } from '@/platform/responses';
import { createRouter } from '@/platform/router';
import { amountToCents } from '@contract/money';
import { moneyAmount } from '@contract/money-schema';

const security = [{ bearerAuth: [] }];
const shippingTags = ['Shipping'];
const optionIdParams = z.object({ id: z.guid().openapi({ param: { name: 'id', in: 'path' } }) });

/** Shipping options: public listing per seller, and the seller portal's own options (docs/decisions/marketplace.md). */
export const createShippingRouter = (makeDeps: MakeDbDeps) =>
  createRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/shipping-options',
      tags: shippingTags,
      summary: "A seller's active shipping options, cheapest first (the platform default when it has none)",
      request: { query: z.object({ sellerId: z.guid() }) },
      responses: { 200: jsonContent(envelope(z.array(shippingOptionSchema)), 'Options'), ...errorResponses(400) },
    }),
    async (c) => c.json({ success: true as const, data: await listActiveShippingOptions(makeDeps(c.env).db, c.req.valid('query').sellerId) }, 200),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/sellers/me/shipping-options',
      tags: shippingTags,
      security,
      summary: "The calling seller's shipping options, active or not",
      middleware: [requireAuth('seller')] as const,
      responses: { 200: jsonContent(envelope(z.array(shippingOptionSchema)), 'Options'), ...errorResponses(401, 403) },
    }),
    async (c) => c.json({ success: true as const, data: await listOwnShippingOptions(makeDeps(c.env).db, currentUser(c).id) }, 200),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/sellers/me/shipping-options',
      tags: shippingTags,
      security,
      summary: 'Add a shipping option (at most 20 per seller)',
      middleware: [requireAuth('seller')] as const,
      request: { body: { content: { 'application/json': { schema: createShippingOptionSchema } }, required: true } },
      responses: { 201: jsonContent(envelope(shippingOptionSchema), 'Created'), ...errorResponses(400, 401, 403, 409) },
    }),
    async (c) => c.json({ success: true as const, data: await createShippingOption(makeDeps(c.env).db, currentUser(c).id, c.req.valid('json')) }, 201),
  )
  .openapi(
    createRoute({
      method: 'put',
      path: '/api/v1/sellers/me/shipping-options/{id}',
      tags: shippingTags,
      security,
      summary: 'Change one of your shipping options (e.g. `{"active": false}` to stop offering it)',
      middleware: [requireAuth('seller')] as const,
      request: { params: optionIdParams, body: { content: { 'application/json': { schema: updateShippingOptionSchema } }, required: true } },
      responses: { 200: jsonContent(envelope(shippingOptionSchema), 'Updated'), ...errorResponses(400, 401, 403, 404) },
    }),
    async (c) => c.json({ success: true as const, data: await updateShippingOption(makeDeps(c.env).db, currentUser(c), c.req.valid('param').id, c.req.valid('json')) }, 200),
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/api/v1/sellers/me/shipping-options/{id}',
      tags: shippingTags,
      security,
      summary: 'Delete one of your shipping options (orders keep a copy of theirs)',
      middleware: [requireAuth('seller')] as const,
      request: { params: optionIdParams },
      responses: { 204: { description: 'Deleted' }, ...errorResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      await deleteShippingOption(makeDeps(c.env).db, currentUser(c), c.req.valid('param').id);
      return c.body(null, 204);
    },
  );

// ── Earnings and payouts ──────────────────────────────────────────────────────────────────────────────────────────

const earningsTags = ['Earnings'];

const balanceSchema = z
  .object({ sellerId: z.string(), currency: z.string(), pending: z.number(), available: z.number(), grossSales: z.number(), commission: z.number(), paidOut: z.number() })
  .openapi('SellerBalance');

const ledgerEntrySchema = z
  .object({
    id: z.number().int(),
    sellerId: z.string(),
    type: z.enum(LEDGER_ENTRY_TYPES),
    orderId: z.string().nullable(),
    checkoutId: z.string().nullable(),
    payoutId: z.string().nullable(),
    gross: z.number(),
    commission: z.number(),
    pendingDelta: z.number(),
    availableDelta: z.number(),
    currency: z.string(),
    memo: z.string().nullable(),
    createdAt: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('LedgerEntry');

const payoutSchema = z
  .object({
    id: z.string(),
    sellerId: z.string(),
    amount: z.number(),
    currency: z.string(),
    status: z.enum(PAYOUT_STATUSES),
    providerReference: z.string().nullable(),
    failureReason: z.string().nullable(),
    createdAt: z.string().openapi({ format: 'date-time' }),
    updatedAt: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('Payout');

const ledgerQuery = pageQuerySchema({ sortFields: ['createdAt'], defaultSort: { field: 'createdAt', direction: 'DESC' } }).extend({ type: z.enum(LEDGER_ENTRY_TYPES).optional() });
const adminLedgerQuery = ledgerQuery.extend({ sellerId: z.guid().optional() });
const payoutQuery = pageQuerySchema({ sortFields: ['createdAt'], defaultSort: { field: 'createdAt', direction: 'DESC' } }).extend({ sellerId: z.guid().optional() });

const createPayoutSchema = z
  .object({
    sellerId: z.guid(),
    amount: moneyAmount(100_000_000, { positive: true }),
  })
  .strict()
  .openapi('CreatePayout');

const commissionRateSchema = z.object({ categoryId: z.number().int(), rateBps: z.number().int() }).openapi('CommissionRate');
const setCommissionRateSchema = z
  .object({ categoryId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER), rateBps: z.number().int().min(0).max(10_000).nullable().openapi({ description: 'Basis points (1000 = 10 %); null removes the override' }) })
  .strict()
  .openapi('SetCommissionRate');

export type MakePayoutDeps = (env: AppEnv, logger: Logger) => PayoutDeps;

/**
 * The seller's balance and ledger; the admin's view of every seller, payouts and commission overrides. Only a payout
 * builds the payout provider (`makeDeps`); the other routes need the database alone (`makeDbDeps`), so a
 * misconfigured `PAYOUT_PROVIDER` refuses payouts, not reads.
 */
export function createEarningsRouter(makeDeps: MakePayoutDeps, makeDbDeps: MakeDbDeps) {
  return createRouter()
    .openapi(
      createRoute({
        method: 'get',
        path: '/api/v1/sellers/me/balance',
        tags: earningsTags,
        security,
        summary: "The calling seller's earnings: pending (paid, not delivered), available (may be paid out), gross, commission, paid out",
        middleware: [requireAuth('seller')] as const,
        responses: { 200: jsonContent(envelope(balanceSchema), 'Balance'), ...errorResponses(401, 403) },
      }),
      async (c) => c.json({ success: true as const, data: await sellerBalance(makeDbDeps(c.env).db, currentUser(c).id) }, 200),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/api/v1/sellers/me/ledger',
        tags: earningsTags,
        security,
        summary: "The calling seller's ledger entries, newest first (sale, release, refund, payout)",
        middleware: [requireAuth('seller')] as const,
        request: { query: ledgerQuery },
        responses: { 200: jsonContent(pagedEnvelope(ledgerEntrySchema), 'Entries'), ...errorResponses(400, 401, 403) },
      }),
      async (c) => c.json({ success: true as const, ...(await listLedger(makeDbDeps(c.env).db, { ...c.req.valid('query'), sellerId: currentUser(c).id })) }, 200),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/api/v1/sellers/me/payouts',
        tags: earningsTags,
        security,
        summary: "The calling seller's payouts, newest first",
        middleware: [requireAuth('seller')] as const,
        request: { query: payoutQuery.omit({ sellerId: true }) },
        responses: { 200: jsonContent(pagedEnvelope(payoutSchema), 'Payouts'), ...errorResponses(400, 401, 403) },
      }),
      async (c) => c.json({ success: true as const, ...(await listPayouts(makeDbDeps(c.env).db, { ...c.req.valid('query'), sellerId: currentUser(c).id })) }, 200),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/api/v1/admin/balances',
        tags: earningsTags,
        security,
        summary: "One seller's balance (admin)",
        middleware: [requireAuth('admin')] as const,
        request: { query: z.object({ sellerId: z.guid() }) },
        responses: { 200: jsonContent(envelope(balanceSchema), 'Balance'), ...errorResponses(400, 401, 403) },
      }),
      async (c) => c.json({ success: true as const, data: await sellerBalance(makeDbDeps(c.env).db, c.req.valid('query').sellerId) }, 200),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/api/v1/admin/ledger',
        tags: earningsTags,
        security,
        summary: "Every seller's ledger entries (or one seller's), newest first (admin)",
        middleware: [requireAuth('admin')] as const,
        request: { query: adminLedgerQuery },
        responses: { 200: jsonContent(pagedEnvelope(ledgerEntrySchema), 'Entries'), ...errorResponses(400, 401, 403) },
      }),
      async (c) => c.json({ success: true as const, ...(await listLedger(makeDbDeps(c.env).db, c.req.valid('query'))) }, 200),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/api/v1/admin/payouts',
        tags: earningsTags,
        security,
        summary: 'Payouts, newest first (admin)',
        middleware: [requireAuth('admin')] as const,
        request: { query: payoutQuery },
        responses: { 200: jsonContent(pagedEnvelope(payoutSchema), 'Payouts'), ...errorResponses(400, 401, 403) },
      }),
      async (c) => c.json({ success: true as const, ...(await listPayouts(makeDbDeps(c.env).db, c.req.valid('query'))) }, 200),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/api/v1/admin/payouts',
        tags: earningsTags,
        security,
        summary: "Pay a seller out of its available balance through the payout provider (admin; 409 above the balance)",
        middleware: [requireAuth('admin')] as const,
        request: { headers: z.object({ 'idempotency-key': z.string().optional() }), body: { content: { 'application/json': { schema: createPayoutSchema } }, required: true } },
        responses: { 201: jsonContent(envelope(payoutSchema), 'Payout PAID, FAILED (amount given back) or PENDING (provider did not answer)'), ...errorResponses(400, 401, 403, 404, 409, 422) },
      }),
      async (c) => {
        const user = currentUser(c);
        const input = c.req.valid('json');
        const key = parseIdempotencyKey(c.req.header('idempotency-key'));
        const deps = makeDeps(c.env, c.get('logger'));
        const result = await withIdempotencyKey(deps.db, { userId: user.id, scope: 'payouts.create', key, body: input }, async ({ seed }) => ({
          status: 201,
          body: {
            success: true as const,
            data: await createPayout(deps, user, { sellerId: input.sellerId, amountCents: amountToCents(input.amount) }, seed === null ? {} : { payoutId: await idFromSeed(seed) }),
          },
        }));
        if (result.replayed) c.header('Idempotent-Replayed', 'true');
        return c.json(result.body, 201);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/api/v1/admin/commission-rates',
        tags: earningsTags,
        security,
        summary: 'Per-category commission overrides (admin); other categories pay PLATFORM_COMMISSION_BPS',
        middleware: [requireAuth('admin')] as const,
        responses: { 200: jsonContent(envelope(z.array(commissionRateSchema)), 'Overrides'), ...errorResponses(401, 403) },
      }),
      async (c) => {
        const rows = await makeDbDeps(c.env).db.select({ categoryId: categoryCommissionRates.categoryId, rateBps: categoryCommissionRates.rateBps }).from(categoryCommissionRates).orderBy(asc(categoryCommissionRates.categoryId));
        return c.json({ success: true as const, data: rows }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'put',
        path: '/api/v1/admin/commission-rates',
        tags: earningsTags,
        security,
        summary: "Set (or with `rateBps: null` remove) a category's commission override (admin); applies to orders placed from now on",
        middleware: [requireAuth('admin')] as const,
        request: { body: { content: { 'application/json': { schema: setCommissionRateSchema } }, required: true } },
        responses: { 200: jsonContent(envelope(commissionRateSchema.extend({ rateBps: z.number().int().nullable() })), 'Saved'), ...errorResponses(400, 401, 403, 404) },
      }),
      async (c) => {
        const user = currentUser(c);
        const { categoryId, rateBps } = c.req.valid('json');
        await makeDbDeps(c.env).transaction(async (tx) => {
          const [category] = await tx.select({ id: categories.id }).from(categories).where(eq(categories.id, categoryId));
          if (!category) throw notFound('CATEGORY_NOT_FOUND', 'Category not found');
          const [before] = await tx.select().from(categoryCommissionRates).where(eq(categoryCommissionRates.categoryId, categoryId));
          if (rateBps === null) await tx.delete(categoryCommissionRates).where(eq(categoryCommissionRates.categoryId, categoryId));
          else
            await tx
              .insert(categoryCommissionRates)
              .values({ categoryId, rateBps })
              .onConflictDoUpdate({ target: categoryCommissionRates.categoryId, set: { rateBps, updatedAt: new Date() } });
          await recordAdminAction(tx, { actor: user, action: 'commission.rate_set', targetType: 'commission', targetId: categoryId, before: { rateBps: before?.rateBps ?? null }, after: { rateBps } });
        });
        return c.json({ success: true as const, data: { categoryId, rateBps } }, 200);
      },
    );
}
