import { and, asc, count, desc, eq, gte, lt, type SQL } from 'drizzle-orm';

import { adminAuditLog } from '@/platform/tables';
import type { DbDeps, Queryable } from '@/platform/db';
import { pageMeta, pageOffset, type Sort } from '@/platform/pagination';

export const AUDIT_TARGET_TYPES = ['user', 'order', 'payment', 'dead_letter', 'product', 'category', 'payout', 'commission', 'return', 'promotion', 'tax_rate'] as const;
export type AuditTargetType = (typeof AUDIT_TARGET_TYPES)[number];

/** Who did it: the authenticated admin. */
export interface AuditActor {
  id: string;
  email: string;
}

export interface AdminAction {
  actor: AuditActor;
  /** `<target>.<verb>`, e.g. `user.role_changed`, `order.cancelled`. */
  action: string;
  targetType: AuditTargetType;
  targetId: string | number;
  before?: unknown;
  after?: unknown;
}

/**
 * Records one admin action. Call it with the transaction that makes the change, so the record and
 * the change commit (or roll back) together.
 */
export async function recordAdminAction(q: Queryable, entry: AdminAction): Promise<void> {
  await q.insert(adminAuditLog).values({
    actorId: entry.actor.id,
    actorEmail: entry.actor.email.slice(0, 255),
    action: entry.action.slice(0, 64),
    targetType: entry.targetType,
    targetId: String(entry.targetId).slice(0, 128),
    before: entry.before ?? null,
    after: entry.after ?? null,
  });
}

export interface AuditQuery {
  page: number;
  size: number;
  sort: Sort<'createdAt'>;
  action?: string | undefined;
  actorId?: string | undefined;
  targetType?: AuditTargetType | undefined;
  targetId?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
}

export type AuditRow = typeof adminAuditLog.$inferSelect;

export async function listAuditLog(q: Queryable, query: AuditQuery) {
  const filters: (SQL | undefined)[] = [
    query.action ? eq(adminAuditLog.action, query.action) : undefined,
    query.actorId ? eq(adminAuditLog.actorId, query.actorId) : undefined,
    query.targetType ? eq(adminAuditLog.targetType, query.targetType) : undefined,
    query.targetId ? eq(adminAuditLog.targetId, query.targetId) : undefined,
    query.from ? gte(adminAuditLog.createdAt, query.from) : undefined,
    query.to ? lt(adminAuditLog.createdAt, query.to) : undefined,
  ];
  const where = and(...filters);
  const direction = query.sort.direction === 'ASC' ? asc : desc;
  const [rows, [total]] = await Promise.all([
    q.select().from(adminAuditLog).where(where).orderBy(direction(adminAuditLog.createdAt), direction(adminAuditLog.id)).limit(query.size).offset(pageOffset(query)),
    q.select({ total: count() }).from(adminAuditLog).where(where),
  ]);
  return {
    data: rows.map((row) => ({
      id: row.id,
      actorId: row.actorId,
      actorEmail: row.actorEmail,
      action: row.action,
      targetType: row.targetType as AuditTargetType,
      targetId: row.targetId,
      before: row.before,
      after: row.after,
      createdAt: row.createdAt.toISOString(),
    })),
    meta: pageMeta(query.page, query.size, total?.total ?? 0),
  };
}

/**
 * Runs a change and, when an admin makes it, records it in the same transaction (`targetId` may be read from the
 * result, e.g. a created row's id). Anyone else's change runs as it is, unaudited.
 */
export async function withAdminAudit<T>(
  deps: DbDeps,
  user: AuditActor & { role: string },
  entry: { action: string; targetType: AuditTargetType; targetId: string | ((result: T) => string) },
  run: (q: Queryable) => Promise<T>,
): Promise<T> {
  if (user.role !== 'admin') return run(deps.db);
  return deps.transaction(async (tx) => {
    const result = await run(tx);
    const targetId = typeof entry.targetId === 'string' ? entry.targetId : entry.targetId(result);
    await recordAdminAction(tx, { actor: { id: user.id, email: user.email }, action: entry.action, targetType: entry.targetType, targetId, after: result ?? null });
    return result;
  });
}
