import { sql } from 'drizzle-orm';
import { bigint, char, check, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid, varchar } from 'drizzle-orm/pg-core';

import { createdAt } from '@/platform/columns';

/** Stored responses for the HTTP `Idempotency-Key` header; a null status means the first request is still running. */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    userId: uuid().notNull(),
    scope: varchar({ length: 32 }).notNull(),
    key: varchar({ length: 255 }).notNull(),
    requestHash: char({ length: 64 }).notNull(),
    responseStatus: integer(),
    responseBody: jsonb(),
    createdAt: createdAt(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.scope, t.key] }), index('idempotency_keys_expires_idx').on(t.expiresAt)],
);

export const DEAD_LETTER_STAGES = ['deserialize', 'process'] as const;
export type DeadLetterStage = (typeof DEAD_LETTER_STAGES)[number];

/** Messages the queues gave up on, kept for inspection and admin replay. */
export const deadLetters = pgTable(
  'dead_letters',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    queue: varchar({ length: 64 }).notNull(),
    messageId: varchar({ length: 128 }).notNull(),
    /** The message body as received, base64 of its JSON text. */
    originalBody: text().notNull(),
    originalKey: varchar({ length: 128 }),
    errorStage: varchar({ length: 16 }).$type<DeadLetterStage>().notNull(),
    errorReason: text().notNull(),
    attempts: integer().notNull(),
    correlationId: varchar({ length: 128 }),
    failedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    replayedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    check('dead_letters_stage_check', sql`${t.errorStage} in ('deserialize', 'process')`),
    uniqueIndex('dead_letters_message_key').on(t.queue, t.messageId),
    index('dead_letters_failed_idx').on(t.failedAt.desc()),
    index('dead_letters_open_idx').on(t.failedAt).where(sql`${t.replayedAt} is null`),
  ],
);

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

