import { sql } from 'drizzle-orm';
import { bigint, boolean, char, check, index, integer, jsonb, pgTable, primaryKey, uniqueIndex, uuid, varchar } from 'drizzle-orm/pg-core';

import { users } from '@/identity/tables';
import { createdAt, newId, updatedAt } from '@/platform/columns';
import type { PaymentConfirmation, PaymentMethod, PaymentStatus } from '@contract/payments';

/** The vocabulary is shared with orders' answers (contract/payments.ts); re-exported for payments' own modules. */
export { PAYMENT_CONFIRMATIONS, PAYMENT_METHODS, PAYMENT_STATUSES, type PaymentConfirmation, type PaymentMethod, type PaymentStatus } from '@contract/payments';

export const payments = pgTable(
  'payments',
  {
    id: uuid().primaryKey().$defaultFn(newId),
    /** One payment per order, whatever the number of deliveries of `order.created`; null for a checkout's payment. */
    orderId: uuid().unique(),
    /** One payment per checkout (all its orders), whatever the number of deliveries of `checkout.created`. */
    checkoutId: uuid().unique(),
    userId: uuid().notNull(),
    amountCents: bigint({ mode: 'number' }).notNull(),
    currency: char({ length: 3 }).notNull().default('USD'),
    status: varchar({ length: 16 }).$type<PaymentStatus>().notNull().default('PENDING'),
    method: varchar({ length: 16 }).$type<PaymentMethod>().notNull().default('MOCK_CARD'),
    idempotencyKey: varchar({ length: 255 }).notNull().unique(),
    gatewayReference: varchar({ length: 100 }),
    confirmation: varchar({ length: 16 }).$type<PaymentConfirmation>().notNull().default('off_session'),
    /** A client-confirmed payment's intent secret, shown to its buyer only (it lets a browser confirm that intent). */
    clientSecret: varchar({ length: 255 }),
    /** Σ of completed refunds (`payment_refunds`); the payment is REFUNDED once this reaches the amount. */
    refundedCents: bigint({ mode: 'number' }).notNull().default(0),
    failureReason: varchar({ length: 255 }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check('payments_amount_check', sql`${t.amountCents} > 0`),
    check('payments_subject_check', sql`(${t.orderId} is null) <> (${t.checkoutId} is null)`),
    check('payments_refunded_check', sql`${t.refundedCents} >= 0 and ${t.refundedCents} <= ${t.amountCents}`),
    check('payments_status_check', sql`${t.status} in ('PENDING', 'COMPLETED', 'FAILED', 'REFUNDED')`),
    check('payments_method_check', sql`${t.method} in ('MOCK_CARD', 'MOCK_WALLET')`),
    check('payments_confirmation_check', sql`${t.confirmation} in ('off_session', 'client')`),
    index('payments_user_created_idx').on(t.userId, t.createdAt.desc()),
    index('payments_status_created_idx').on(t.status, t.createdAt),
  ],
);

export const paymentHistory = pgTable(
  'payment_history',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    paymentId: uuid()
      .notNull()
      .references(() => payments.id, { onDelete: 'cascade' }),
    oldStatus: varchar({ length: 16 }).$type<PaymentStatus>(),
    newStatus: varchar({ length: 16 }).$type<PaymentStatus>().notNull(),
    reason: varchar({ length: 255 }),
    createdAt: createdAt(),
  },
  (t) => [index('payment_history_payment_idx').on(t.paymentId, t.createdAt)],
);

export type RefundStatus = 'PENDING' | 'COMPLETED';

/**
 * Partial refunds: one per cancelled order of a checkout's payment (unique while `return_id` is null), for that
 * order's total; and one per refunded return (unique `return_id`) of any payment, for the return's amount.
 * PENDING is claimed before the gateway call (its idempotency key is the refund id), COMPLETED after it, adding the
 * amount to `payments.refunded_cents` in the same transaction.
 */
export const paymentRefunds = pgTable(
  'payment_refunds',
  {
    id: uuid().primaryKey().$defaultFn(newId),
    paymentId: uuid()
      .notNull()
      .references(() => payments.id, { onDelete: 'cascade' }),
    orderId: uuid().notNull(),
    /** The return this refund pays back (workers/returns); null for a cancelled order's refund. */
    returnId: uuid(),
    amountCents: bigint({ mode: 'number' }).notNull(),
    status: varchar({ length: 16 }).$type<RefundStatus>().notNull().default('PENDING'),
    gatewayReference: varchar({ length: 100 }),
    reason: varchar({ length: 255 }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('payment_refunds_payment_order_key').on(t.paymentId, t.orderId).where(sql`${t.returnId} is null`),
    uniqueIndex('payment_refunds_return_key').on(t.returnId).where(sql`${t.returnId} is not null`),
    check('payment_refunds_amount_check', sql`${t.amountCents} > 0`),
    check('payment_refunds_status_check', sql`${t.status} in ('PENDING', 'COMPLETED')`),
  ],
);

/**
 * Provider webhook events already applied, by the provider's event id: a repeated delivery (the provider retries
 * until it gets a 2xx) is answered without touching anything. Refused events are logged, never stored.
 */
export const paymentWebhookEvents = pgTable(
  'payment_webhook_events',
  {
    provider: varchar({ length: 16 }).notNull(),
    eventId: varchar({ length: 255 }).notNull(),
    type: varchar({ length: 64 }).notNull(),
    paymentId: uuid(),
    /** What applying it did: `applied` (moved the payment) or `stale` (the payment had already moved on). */
    outcome: varchar({ length: 16 }).notNull(),
    receivedAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.provider, t.eventId] }), index('payment_webhook_events_received_idx').on(t.receivedAt)],
);

export type SimulatedIntentStatus = 'requires_payment_method' | 'requires_action' | 'succeeded' | 'canceled';

/**
 * The simulated provider's own records (docs/decisions/payments.md): its payment intents, one per payment id (the
 * idempotency key), as the real provider keeps them on its side. Only the simulator reads or writes this table.
 */
export const simulatedIntents = pgTable(
  'simulated_payment_intents',
  {
    id: varchar({ length: 64 }).primaryKey(),
    paymentId: uuid().notNull().unique(),
    amountCents: bigint({ mode: 'number' }).notNull(),
    currency: char({ length: 3 }).notNull(),
    status: varchar({ length: 32 }).$type<SimulatedIntentStatus>().notNull().default('requires_payment_method'),
    clientSecret: varchar({ length: 128 }).notNull(),
    metadata: jsonb().$type<Record<string, string>>().notNull(),
    /** The last attempt's decline code (`card_declined`, `insufficient_funds`, `authentication_failed`). */
    lastError: varchar({ length: 64 }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [check('simulated_payment_intents_amount_check', sql`${t.amountCents} > 0`), index('simulated_payment_intents_status_idx').on(t.status, t.updatedAt)],
);

/** The buyer's customer at the provider (one per user and provider), created on their first card setup. */
export const paymentCustomers = pgTable(
  'payment_customers',
  {
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    provider: varchar({ length: 16 }).notNull(),
    customerId: varchar({ length: 100 }).notNull().unique(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.provider] })],
);

/**
 * The buyer's cards saved at the provider: only the provider's payment method id and what the provider shows of it
 * (brand, last four digits, expiry) — never card data. At most one default per buyer.
 */
export const savedPaymentMethods = pgTable(
  'saved_payment_methods',
  {
    id: uuid().primaryKey().$defaultFn(newId),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    provider: varchar({ length: 16 }).notNull(),
    customerId: varchar({ length: 100 }).notNull(),
    providerMethodId: varchar({ length: 100 }).notNull().unique(),
    brand: varchar({ length: 32 }).notNull(),
    last4: char({ length: 4 }).notNull(),
    expMonth: integer().notNull(),
    expYear: integer().notNull(),
    isDefault: boolean().notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [index('saved_payment_methods_user_idx').on(t.userId, t.createdAt.desc()), uniqueIndex('saved_payment_methods_default_key').on(t.userId).where(sql`${t.isDefault}`)],
);

/** A setup intent moves through the same states as a payment intent. */
export type SimulatedSetupStatus = SimulatedIntentStatus;

/** The simulated provider's setup intents (saving a card for later off-session charges); only the simulator touches it. */
export const simulatedSetupIntents = pgTable('simulated_setup_intents', {
  id: varchar({ length: 64 }).primaryKey(),
  customerId: varchar({ length: 100 }).notNull(),
  status: varchar({ length: 32 }).$type<SimulatedSetupStatus>().notNull().default('requires_payment_method'),
  clientSecret: varchar({ length: 128 }).notNull(),
  paymentMethodId: varchar({ length: 64 }),
  /** The card the buyer entered, kept until its 3-D Secure challenge is answered (a test card number only). */
  pendingCard: varchar({ length: 32 }),
  metadata: jsonb().$type<Record<string, string>>().notNull(),
  lastError: varchar({ length: 64 }),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/**
 * The simulated provider's payment methods: a saved test card and how it behaves when charged off-session
 * (`succeed`, `authenticate` — answers requires_action —, or a decline code). `customerId` null once detached.
 */
export const simulatedPaymentMethods = pgTable('simulated_payment_methods', {
  id: varchar({ length: 64 }).primaryKey(),
  customerId: varchar({ length: 100 }),
  brand: varchar({ length: 32 }).notNull(),
  last4: char({ length: 4 }).notNull(),
  expMonth: integer().notNull(),
  expYear: integer().notNull(),
  behaviour: varchar({ length: 32 }).notNull(),
  createdAt: createdAt(),
});
