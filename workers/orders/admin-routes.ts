import { createRoute, z } from '@hono/zod-openapi';

import { stockLedger, type StockDeps } from '@/catalog';
import type { AppEnv } from '@/env';
import { currentUser, requireAuth } from '@/identity';
import { countStaleOutboxRows } from '@/orders/outbox';
import { pendingOrderStats } from '@/orders/maintenance';
import { countOpenDeadLetters, decodeBody, listDeadLetters, replayDeadLetter, type DeadLetterRow, type MakeDeadLetterDeps } from '@/platform/dead-letters';
import { errorResponses } from '@/platform/errors';
import { pageMeta, pageMetaSchema, pageQuerySchema } from '@/platform/pagination';
import { envelope, jsonContent } from '@/platform/responses';
import { createRouter } from '@/platform/router';
import { DEAD_LETTER_STAGES } from '@/platform/tables';

const tags = ['Admin'];
const security = [{ bearerAuth: [] }];

const deadLetterSchema = z
  .object({
    id: z.number().int(),
    queue: z.string(),
    messageId: z.string(),
    originalKey: z.string().nullable(),
    errorStage: z.enum(DEAD_LETTER_STAGES),
    errorReason: z.string(),
    attempts: z.number().int(),
    correlationId: z.string().nullable(),
    failedAt: z.string().openapi({ format: 'date-time' }),
    replayedAt: z.string().nullable().openapi({ format: 'date-time' }),
    /** The message body decoded from base64, or null when it is not JSON. */
    body: z.unknown(),
  })
  .openapi('DeadLetter');

const opsCountsSchema = z
  .object({
    outboxBacklog: z.number().int().openapi({ description: 'Outbox rows unpublished for more than 30 s' }),
    dlqDepth: z.number().int().openapi({ description: 'Dead letters not yet replayed' }),
    pendingOrders: z.object({ total: z.number().int(), olderThan2m: z.number().int(), olderThan15m: z.number().int(), oldestAgeSeconds: z.number().int().nullable() }),
  })
  .openapi('SagaCounts');

function toDeadLetter(row: DeadLetterRow) {
  let body: unknown = null;
  try {
    body = decodeBody(row.originalBody);
  } catch {
    body = null;
  }
  return {
    id: row.id,
    queue: row.queue,
    messageId: row.messageId,
    originalKey: row.originalKey,
    errorStage: row.errorStage,
    errorReason: row.errorReason,
    attempts: row.attempts,
    correlationId: row.correlationId,
    failedAt: row.failedAt.toISOString(),
    replayedAt: row.replayedAt?.toISOString() ?? null,
    body,
  };
}

const stockLedgerSchema = z
  .object({
    productId: z.number().int(),
    /** False when the product's StockDO was never touched (it starts from the product row on first use). */
    touched: z.boolean(),
    snapshot: z.object({ productId: z.number().int(), onHand: z.number().int(), reserved: z.number().int(), available: z.number().int(), sold: z.number().int(), version: z.number().int() }).nullable(),
    reservations: z.array(z.object({ orderId: z.string(), quantity: z.number().int(), status: z.enum(['RESERVED', 'COMMITTED', 'RELEASED', 'EXPIRED', 'RESTOCKED']) })),
  })
  .openapi('StockLedger');

/**
 * Saga operations: inspect and replay dead letters, see backlog and PENDING ages, read a product's stock ledger
 * (`makeDeps` and `makeStock`: the composition root's `deadLetterDepsFromEnv` and `stockDepsFromEnv`).
 */
export const createSagaAdminRouter = (makeDeps: MakeDeadLetterDeps, makeStock: (env: AppEnv) => StockDeps) =>
  createRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/admin/dead-letters',
      tags,
      security,
      summary: 'Dead letters (newest first) with outbox backlog, DLQ depth and PENDING-age counts',
      middleware: [requireAuth('admin')] as const,
      request: {
        query: pageQuerySchema({ sortFields: ['failedAt'], defaultSort: { field: 'failedAt', direction: 'DESC' } }).extend({
          open: z.enum(['true', 'false']).optional().openapi({ description: 'true → only messages not yet replayed' }),
        }),
      },
      responses: {
        200: jsonContent(z.object({ success: z.literal(true), data: z.object({ counts: opsCountsSchema, items: z.array(deadLetterSchema) }), meta: pageMetaSchema }), 'Dead letters'),
        ...errorResponses(400, 401, 403),
      },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const { db } = makeDeps(c.env, c.get('logger'));
      const [{ rows, total }, outboxBacklog, dlqDepth, pending] = await Promise.all([
        listDeadLetters(db, query, query.open === 'true'),
        countStaleOutboxRows(db, 30),
        countOpenDeadLetters(db),
        pendingOrderStats(db),
      ]);
      const counts = { outboxBacklog, dlqDepth, pendingOrders: { total: pending.pending, olderThan2m: pending.olderThan2m, olderThan15m: pending.olderThan15m, oldestAgeSeconds: pending.oldestAgeSeconds } };
      return c.json({ success: true as const, data: { counts, items: rows.map(toDeadLetter) }, meta: pageMeta(query.page, query.size, total) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/admin/dead-letters/{id}/replay',
      tags,
      security,
      summary: 'Re-enqueue a dead letter to its original queue (idempotent: a second replay sends nothing)',
      middleware: [requireAuth('admin')] as const,
      request: { params: z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).openapi({ param: { name: 'id', in: 'path' } }) }) },
      responses: {
        200: jsonContent(envelope(z.object({ requeued: z.boolean(), deadLetter: deadLetterSchema })), '`requeued: false` when it had already been replayed'),
        ...errorResponses(400, 401, 403, 404, 409, 503),
      },
    }),
    async (c) => {
      const { row, requeued } = await replayDeadLetter(makeDeps(c.env, c.get('logger')), c.req.valid('param').id, currentUser(c));
      return c.json({ success: true as const, data: { requeued, deadLetter: toDeadLetter(row) } }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/admin/stock/{productId}/ledger',
      tags,
      security,
      summary: "A product's StockDO counts and every reservation by order id (the invariant check reads this)",
      middleware: [requireAuth('admin')] as const,
      request: { params: z.object({ productId: z.coerce.number().int().positive().max(2_147_483_647).openapi({ param: { name: 'productId', in: 'path' } }) }) },
      responses: { 200: jsonContent(envelope(stockLedgerSchema), 'Ledger'), ...errorResponses(400, 401, 403) },
    }),
    async (c) => {
      const { productId } = c.req.valid('param');
      const ledger = await stockLedger(makeStock(c.env), productId);
      return c.json({ success: true as const, data: { productId, touched: ledger !== null, snapshot: ledger?.snapshot ?? null, reservations: ledger?.reservations ?? [] } }, 200);
    },
  );
