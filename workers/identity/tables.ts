import { sql } from 'drizzle-orm';
import { boolean, check, char, index, integer, pgTable, smallint, timestamp, uniqueIndex, uuid, varchar } from 'drizzle-orm/pg-core';

import { createdAt, newId, updatedAt } from '@/platform/columns';

export const USER_ROLES = ['customer', 'seller', 'admin'] as const;
export type UserRole = (typeof USER_ROLES)[number];

export const users = pgTable(
  'users',
  {
    id: uuid().primaryKey().$defaultFn(newId),
    email: varchar({ length: 255 }).notNull(),
    passwordHash: varchar({ length: 255 }).notNull(),
    role: varchar({ length: 16 }).$type<UserRole>().notNull().default('customer'),
    isVerified: boolean().notNull().default(false),
    verifiedAt: timestamp({ withTimezone: true }),
    /** Bumped on logout, password reset and role change; access tokens carry it as `sv`. */
    sessionVersion: integer().notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    deletedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    uniqueIndex('users_email_lower_key').on(sql`lower(${t.email})`),
    check('users_role_check', sql`${t.role} in ('customer', 'seller', 'admin')`),
  ],
);

export const userProfiles = pgTable('user_profiles', {
  userId: uuid()
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  firstName: varchar({ length: 100 }).notNull(),
  lastName: varchar({ length: 100 }).notNull(),
  phone: varchar({ length: 20 }),
  avatarUrl: varchar({ length: 500 }),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const userAddresses = pgTable(
  'user_addresses',
  {
    id: uuid().primaryKey().$defaultFn(newId),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    label: varchar({ length: 50 }),
    recipientName: varchar({ length: 100 }),
    phone: varchar({ length: 20 }),
    addressLine1: varchar({ length: 255 }).notNull(),
    addressLine2: varchar({ length: 255 }),
    city: varchar({ length: 100 }).notNull(),
    state: varchar({ length: 100 }),
    country: varchar({ length: 100 }).notNull(),
    postalCode: varchar({ length: 20 }),
    isDefault: boolean().notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('user_addresses_user_idx').on(t.userId, t.createdAt),
    // The database, not a clear-then-set transaction, guarantees at most one default per user.
    uniqueIndex('user_addresses_one_default_key').on(t.userId).where(sql`${t.isDefault}`),
  ],
);

export const sellerProfiles = pgTable('seller_profiles', {
  userId: uuid()
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  displayName: varchar({ length: 120 }),
  bio: varchar({ length: 1000 }),
  avatarUrl: varchar({ length: 500 }),
  /** Days after delivery during which buyers may ask to return this seller's orders (workers/returns/rules.ts). */
  returnWindowDays: smallint().notNull().default(30),
  createdAt: createdAt(),
});

export const refreshTokens = pgTable(
  'refresh_tokens',
  {
    id: uuid().primaryKey().$defaultFn(newId),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** SHA-256 hex of the raw token; the raw token is never stored. */
    tokenHash: char({ length: 64 }).notNull().unique(),
    /** All rotations of one login share a family; reuse of a rotated token revokes the family. */
    familyId: uuid().notNull(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    revokedAt: timestamp({ withTimezone: true }),
    replacedBy: uuid(),
    createdAt: createdAt(),
    userAgent: varchar({ length: 255 }),
    ip: varchar({ length: 64 }),
  },
  (t) => [index('refresh_tokens_user_idx').on(t.userId), index('refresh_tokens_family_idx').on(t.familyId)],
);

const oneTimeCodeColumns = () => ({
  email: varchar({ length: 255 }).primaryKey(),
  codeHash: char({ length: 64 }).notNull(),
  expiresAt: timestamp({ withTimezone: true }).notNull(),
  attempts: integer().notNull().default(0),
  lastSentAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

export const emailVerifications = pgTable('email_verifications', oneTimeCodeColumns());
export const passwordResets = pgTable('password_resets', oneTimeCodeColumns());

/** Failed logins per normalized email in a sliding window (login guard). */
export const loginAttempts = pgTable('login_attempts', {
  email: varchar({ length: 255 }).primaryKey(),
  failures: integer().notNull().default(0),
  firstFailureAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  lockedUntil: timestamp({ withTimezone: true }),
});
