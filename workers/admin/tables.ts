import { bigint, index, jsonb, pgTable, timestamp, uuid, varchar } from 'drizzle-orm/pg-core';

/**
 * One row per admin action, written in the same transaction as the action itself, so a change
 * without its record (or a record without its change) cannot exist.
 */
export const adminAuditLog = pgTable(
  'admin_audit_log',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    actorId: uuid().notNull(),
    /** The admin's e-mail at the time of the action (kept even if the account changes later). */
    actorEmail: varchar({ length: 255 }).notNull(),
    action: varchar({ length: 64 }).notNull(),
    targetType: varchar({ length: 32 }).notNull(),
    targetId: varchar({ length: 128 }).notNull(),
    before: jsonb(),
    after: jsonb(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('admin_audit_log_created_idx').on(t.createdAt.desc(), t.id.desc()),
    index('admin_audit_log_target_idx').on(t.targetType, t.targetId, t.createdAt.desc()),
    index('admin_audit_log_actor_idx').on(t.actorId, t.createdAt.desc()),
  ],
);

