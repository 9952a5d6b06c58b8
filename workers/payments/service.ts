import { and, count, desc, eq, getTableColumns, isNull, sql, type SQL } from 'drizzle-orm';
import type { PgUpdateSetSource } from 'drizzle-orm/pg-core';

import { recordAdminAction, type AuditActor } from '@/platform/audit';
import { amountToCents, centsToAmount, formatCents } from '@contract/money';
import { createNotification, shortOrderNumber } from '@/notifications';
import { type CheckoutCreated, type OrderCancelled, type OrderCreated, findCheckoutOrdersForPayment, findOrderForPayment } from '@/orders';
import { TransientGatewayError, type PaymentGateway, type SavedMethodRef } from '@/payments/gateway';
import { findDefaultMethod } from '@/payments/methods';
import type { PaymentCompleted, PaymentEvent } from '@/orders';
import type { VaultPort } from '@/payments/vault';
import { paymentHistory, paymentRefunds, payments, type PaymentConfirmation, type PaymentStatus } from '@/payments/tables';
import type { Db, Queryable, Tx } from '@/platform/db';
import { AppError, badRequest, conflict, forbidden, notFound } from '@/platform/errors';
import type { Logger } from '@/platform/logger';
import { publishLiveAfterCommit } from '@/platform/live-events';
import { pageMeta, pageOffset } from '@/platform/pagination';
import { PermanentMessageError } from '@/platform/queue-consumer';

export type PaymentRow = typeof payments.$inferSelect;

export interface PaymentDeps {
  db: Db;
  gateway: PaymentGateway;
  /** Sends an outcome to `payment-events`; resolves only once the queue accepted it. */
  publish(event: PaymentEvent): Promise<void>;
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  logger: Logger;
  /** Pauses of the in-consumer retry loop for transient gateway errors (100/200/400 ms). */
  retryDelaysMs?: readonly number[];
  /** Opens the provider intent of a client-confirmed payment; without it, `client` orders cannot be taken. */
  intents?: IntentPort;
  /** The provider's customers and saved cards (docs/decisions/payments.md); without it, cards cannot be saved. */
  vault?: VaultPort;
  /**
   * The orders side of an approved payment. When given, the payment is recorded COMPLETED inside
   * the transaction that confirms (or cancels) its order, so a client that reads the payment
   * COMPLETED finds the order decided too. Without it the order follows via `payment-events`.
   */
  orders?: PaidOrderPort;
}

/** The provider's payment intents, confirmed by the buyer's browser (`confirmation = 'client'`). */
export interface IntentPort {
  /** Idempotent by payment id (the provider's idempotency key): the same intent for the same payment. */
  create(request: { paymentId: string; orderId: string; amountCents: number; currency: string }): Promise<{ id: string; clientSecret: string }>;
}

/** What the payments step may ask of the orders domain (the composition root, workers/composition.ts, wires the real one). */
export interface PaidOrderPort {
  /** Commits the order's stock and decides the order; `inTransaction` runs inside the deciding transaction. */
  applyPaymentCompleted(event: PaymentCompleted, options: { inTransaction: (tx: Tx) => Promise<void> }): Promise<unknown>;
  /** The same for a checkout's one payment: every order of the checkout decided in the one transaction. */
  applyCheckoutPaymentCompleted?(event: { checkoutId: string; paymentId: string; correlationId: string }, options: { inTransaction: (tx: Tx) => Promise<void> }): Promise<unknown>;
}

const DEFAULT_RETRY_DELAYS_MS = [100, 200, 400] as const;
/** Wire amount (2 decimals) → cents, exact for every 2-decimal amount. */

/**
 * What the buyer's browser needs to confirm a PENDING client-confirmed payment: the simulated provider's page, or
 * the real provider's client secret (for its own script). Only ever given to the payment's buyer.
 */
function nextActionOf(row: PaymentRow) {
  if (row.status !== 'PENDING' || row.confirmation !== 'client' || !row.clientSecret || !row.gatewayReference) return null;
  if (!row.gatewayReference.startsWith('pi_sim_')) return { type: 'use_provider_js' as const, url: null, clientSecret: row.clientSecret };
  const returnUrl = row.orderId ? `/orders/${row.orderId}/confirmation` : `/checkouts/${row.checkoutId}/confirmation`;
  const query = new URLSearchParams({ client_secret: row.clientSecret, return_url: returnUrl });
  return { type: 'redirect' as const, url: `/pay/sim/${row.gatewayReference}?${query.toString()}`, clientSecret: row.clientSecret };
}

/** The API view of a payment; `viewerId` = the caller, who sees the next action only when it is their payment. */
export function toPaymentResponse(row: PaymentRow, viewerId?: string) {
  return {
    id: row.id,
    orderId: row.orderId,
    checkoutId: row.checkoutId,
    userId: row.userId,
    amount: centsToAmount(row.amountCents),
    refundedAmount: centsToAmount(row.refundedCents),
    currency: row.currency,
    status: row.status,
    method: row.method,
    gatewayReference: row.gatewayReference,
    failureReason: row.failureReason,
    confirmation: row.confirmation,
    nextAction: viewerId === row.userId ? nextActionOf(row) : null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** The payment that pays for this order: its own, or its checkout's. */
async function findPaymentByOrder(db: Db, orderId: string): Promise<PaymentRow | undefined> {
  const [row] = await db.select().from(payments).where(eq(payments.orderId, orderId));
  if (row) return row;
  const order = await findOrderForPayment(db, orderId);
  if (!order?.checkoutId) return undefined;
  return findPaymentByCheckout(db, order.checkoutId);
}

async function findPaymentByCheckout(db: Db, checkoutId: string): Promise<PaymentRow | undefined> {
  const [row] = await db.select().from(payments).where(eq(payments.checkoutId, checkoutId));
  return row;
}

/**
 * Inserts the order's one PENDING payment (+ its first history row) unless it exists; the unique
 * `order_id` and `idempotency_key` make a concurrent or repeated insert a no-op. Its buyer hears of it once committed.
 */
async function createPendingPayment(
  q: Queryable,
  input: { orderId?: string; checkoutId?: string; userId: string; amountCents: number; currency: string; idempotencyKey: string; reason: string; confirmation?: PaymentConfirmation },
): Promise<boolean> {
  // Both clients build the same SQL; the cast only picks one overload of the builders.
  const db = q as Db;
  const { reason, confirmation = 'off_session', ...values } = input;
  const inserted = db.$with('inserted').as(db.insert(payments).values({ ...values, status: 'PENDING', method: 'MOCK_CARD', confirmation }).onConflictDoNothing().returning());
  const recorded = db.$with('recorded', {}).as(sql`insert into ${paymentHistory} (payment_id, old_status, new_status, reason) select id, null, 'PENDING', ${reason} from ${inserted}`);
  const [row] = await db.with(inserted, recorded).select(columnsOf(inserted)).from(inserted);
  if (row) announcePayment(q, row, 1);
  return row !== undefined;
}

/**
 * Moves a payment still in `from` (PENDING unless told) to its outcome (+ history), in one statement; a payment that
 * has moved on is left alone. Its buyer hears of the change once it has committed (`payment.updated`).
 */
export async function settlePendingPayment(
  q: Queryable,
  paymentId: string,
  next: { status: PaymentStatus; gatewayReference?: string; failureReason?: string; reason: string },
  from: PaymentStatus = 'PENDING',
): Promise<void> {
  const set = { status: next.status, gatewayReference: sql`coalesce(${next.gatewayReference ?? null}, ${payments.gatewayReference})`, failureReason: next.failureReason ?? null };
  await changePayment(q, paymentId, from, set, next.reason);
}

/**
 * Changes a payment that stays PENDING (its provider intent, its next action, the last declined card): a page that
 * stopped polling while its live socket is up must still see it. Null if the payment moved on.
 */
export function updateWaitingPayment(q: Queryable, paymentId: string, set: PgUpdateSetSource<typeof payments>, reason: string, also?: SQL): Promise<PaymentRow | null> {
  return changePayment(q, paymentId, 'PENDING', set, reason, also);
}

/**
 * Changes a payment still in `from` and writes its history row, in one statement; its buyer hears of the change once
 * `q` has committed (`payment.updated`). Null (and nothing written) if the payment is no longer in `from`.
 */
async function changePayment(q: Queryable, paymentId: string, from: PaymentStatus, set: PgUpdateSetSource<typeof payments>, reason: string, also?: SQL): Promise<PaymentRow | null> {
  // Both clients build the same SQL; the cast only picks one overload of the builders.
  const db = q as Db;
  const updated = db.$with('updated').as(
    db
      .update(payments)
      .set({ ...set, updatedAt: sql`now()` })
      .where(and(eq(payments.id, paymentId), eq(payments.status, from), also))
      .returning(),
  );
  const recorded = db.$with('recorded', {}).as(sql`insert into ${paymentHistory} (payment_id, old_status, new_status, reason) select id, ${from}, status, ${reason} from ${updated}`);
  const [row] = await db
    .with(updated, recorded)
    .select({ payment: columnsOf(updated), version: paymentVersion(sql`${updated}.id`) })
    .from(updated);
  if (!row) return null;
  announcePayment(q, row.payment, row.version);
  return row.payment;
}

/** The payment's columns as a CTE over `payments … returning *` names them. */
function columnsOf<T extends Record<keyof PaymentRow, unknown>>(cte: T): { [K in keyof PaymentRow]: T[K] } {
  return Object.fromEntries(Object.keys(getTableColumns(payments)).map((key) => [key, cte[key as keyof PaymentRow]])) as { [K in keyof PaymentRow]: T[K] };
}

/**
 * The payment's version as seen by a statement that also writes one history row of it: its earlier rows, plus that
 * one (a statement does not see its own insert).
 */
const paymentVersion = (paymentId: SQL) => sql<number>`(select count(*) from ${paymentHistory} h where h.payment_id = ${paymentId}) + 1`.mapWith(Number);

/** Writes one history row of a payment that changed in `tx`; answers the payment's version, this row included. */
async function recordPaymentHistory(tx: Tx, values: typeof paymentHistory.$inferInsert): Promise<number> {
  // Spelled out: drizzle writes a column of the insert's table unqualified, which the subquery would read as its own.
  const [row] = await tx.insert(paymentHistory).values(values).returning({ version: paymentVersion(sql`${paymentHistory}.payment_id`) });
  return row!.version;
}

/** Once `q` commits, the buyer's sockets get the payment exactly as `GET /payments/order/{orderId}` shows it. */
function announcePayment(q: Queryable, payment: PaymentRow, version: number): void {
  publishLiveAfterCommit(q, [{ userId: payment.userId, event: { id: `payment:${payment.id}:${version}`, type: 'payment.updated', version, data: { ...toPaymentResponse(payment, payment.userId), version } } }]);
}

async function chargeWithRetry(deps: PaymentDeps, payment: PaymentRow, savedMethod: SavedMethodRef | undefined) {
  const delays = deps.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  for (let attempt = 0; ; attempt++) {
    try {
      return await deps.gateway.charge({ paymentId: payment.id, orderId: payment.orderId ?? payment.checkoutId!, amountCents: payment.amountCents, currency: payment.currency, savedMethod });
    } catch (err) {
      const delay = delays[attempt];
      if (!(err instanceof TransientGatewayError) || delay === undefined) throw err;
      deps.logger.warn('transient gateway error, retrying', { paymentId: payment.id, attempt: attempt + 1, message: err.message });
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

/** The outcome event of a decided payment, with an event id stable across re-publications. */
function outcomeEvent(payment: PaymentRow, correlationId: string): PaymentEvent | null {
  if (payment.orderId === null) return null;
  const common = { version: 1 as const, correlationId, orderId: payment.orderId, paymentId: payment.id, occurredAt: payment.updatedAt.toISOString() };
  if (payment.status === 'COMPLETED' || payment.status === 'REFUNDED') {
    return { type: 'payment.completed', eventId: `${payment.id}:COMPLETED`, amount: centsToAmount(payment.amountCents), ...common };
  }
  if (payment.status === 'FAILED') {
    return { type: 'payment.failed', eventId: `${payment.id}:FAILED`, reason: payment.failureReason ?? 'gateway declined', ...common };
  }
  return null;
}

/**
 * Charges a PENDING payment (reference = payment id, so a resumed call never double-charges) and
 * records the outcome. An order that is no longer PENDING (cancelled meanwhile, or a late
 * redelivery / re-publish / dead-letter replay) is not charged at all: the payment ends FAILED
 * without a gateway call. A decline is an outcome (FAILED); a transient error is thrown after the
 * short in-consumer retries, leaving the payment PENDING for the next delivery to resume.
 */
async function settlePayment(deps: PaymentDeps, payment: PaymentRow, correlationId: string): Promise<PaymentRow> {
  if (payment.status !== 'PENDING') return payment;
  const nothingToCharge = await noLongerPayable(deps, payment);
  if (nothingToCharge) {
    const reason = `${nothingToCharge} before it was charged; nothing was charged`;
    deps.logger.info('payment for an order that is no longer PENDING: not charged', { paymentId: payment.id, reason: nothingToCharge });
    await settlePendingPayment(deps.db, payment.id, { status: 'FAILED', failureReason: reason, reason });
  } else {
    const result = await chargeWithRetry(deps, payment, await savedMethodOf(deps, payment));
    if (result.outcome === 'approved') {
      await recordApproval(deps, payment, result.gatewayReference, correlationId);
    } else if (result.outcome === 'requires_action') {
      await awaitBuyerAction(deps, payment, result);
    } else {
      await settlePendingPayment(deps.db, payment.id, { status: 'FAILED', failureReason: result.reason.slice(0, 255), reason: result.reason.slice(0, 255) });
    }
  }
  const [settled] = await deps.db.select().from(payments).where(eq(payments.id, payment.id));
  if (!settled) throw new Error(`payment ${payment.id} vanished`);
  return settled;
}

/** The buyer's default saved card at the configured provider, charged off-session; none → the gateway's own charge. */
async function savedMethodOf(deps: PaymentDeps, payment: PaymentRow): Promise<SavedMethodRef | undefined> {
  if (!deps.vault) return undefined;
  const method = await findDefaultMethod(deps.db, deps.vault.provider, payment.userId);
  return method ? { customerId: method.customerId, paymentMethodId: method.providerMethodId } : undefined;
}

/**
 * The provider wants the buyer to authenticate an off-session charge (3-D Secure on a saved card): the payment turns
 * client-confirmed — it stays PENDING with the provider's intent and client secret, so its buyer gets the next action
 * (the order page's *Pay now*), a declined attempt there leaves it open for another card, and the stock stays held
 * until the reservation's reaper — and the buyer is told, in the same transaction (a notice, and a `payment.updated`
 * event carrying the next action).
 */
async function awaitBuyerAction(deps: PaymentDeps, payment: PaymentRow, action: { gatewayReference: string; clientSecret: string }): Promise<void> {
  await deps.transaction(async (tx) => {
    const failureReason = `gateway requires action: authentication_required (paymentId=${payment.id})`;
    const waiting = await updateWaitingPayment(tx, payment.id, { confirmation: 'client', gatewayReference: action.gatewayReference, clientSecret: action.clientSecret, failureReason }, 'waiting for the buyer to authenticate', eq(payments.confirmation, 'off_session'));
    // A checkout's payment is announced on its first order (each order's page offers the same payment).
    const orderId = payment.orderId ?? (await findCheckoutOrdersForPayment(deps.db, payment.checkoutId!))[0]?.id;
    if (!waiting || !orderId) return;
    await createNotification(tx, {
      userId: payment.userId,
      type: 'PAYMENT_ACTION_REQUIRED',
      title: `Finish your payment for order ${shortOrderNumber(orderId)}`,
      body: 'Your bank asks you to confirm this payment. Open the order and choose Pay now; its items are held for you meanwhile.',
      orderId,
    });
  });
  deps.logger.info('off-session charge needs the buyer: waiting for them', { paymentId: payment.id });
}

/**
 * Why a PENDING payment must not be charged any more, or null: its order is no longer PENDING, or — for a
 * checkout's payment — none of the checkout's orders is (some still PENDING: the whole checkout is charged and
 * each cancelled order's part is refunded when its `payment.completed` finds it cancelled).
 */
async function noLongerPayable(deps: PaymentDeps, payment: PaymentRow): Promise<string | null> {
  if (payment.checkoutId !== null) {
    const members = await findCheckoutOrdersForPayment(deps.db, payment.checkoutId);
    return members.length > 0 && members.every((order) => order.status !== 'PENDING') ? 'every order of the checkout was cancelled' : null;
  }
  const order = await findOrderForPayment(deps.db, payment.orderId!);
  return order && order.status !== 'PENDING' ? `order was ${order.status}` : null;
}

/**
 * Records an approved charge. With the orders port, COMPLETED is written in the same transaction
 * that confirms the order (after its stock was committed); if that step fails (a StockDO that does
 * not answer), the payment is recorded alone and the `payment-events` consumer settles the order —
 * the money taken is never left unrecorded.
 */
export async function recordApproval(deps: PaymentDeps, payment: PaymentRow, gatewayReference: string, correlationId: string): Promise<void> {
  const settle = (q: Queryable) => settlePendingPayment(q, payment.id, { status: 'COMPLETED', gatewayReference, reason: 'gateway approved' });
  if (payment.checkoutId !== null) {
    if (deps.orders?.applyCheckoutPaymentCompleted) {
      try {
        await deps.orders.applyCheckoutPaymentCompleted({ checkoutId: payment.checkoutId, paymentId: payment.id, correlationId }, { inTransaction: settle });
      } catch (err) {
        deps.logger.warn('could not settle the checkout with its payment; payment-events will', { paymentId: payment.id, message: err instanceof Error ? err.message : String(err) });
      }
    }
  } else if (deps.orders) {
    const event: PaymentCompleted = {
      type: 'payment.completed',
      version: 1,
      correlationId,
      eventId: `${payment.id}:COMPLETED`,
      orderId: payment.orderId!,
      paymentId: payment.id,
      amount: centsToAmount(payment.amountCents),
      occurredAt: new Date().toISOString(),
    };
    try {
      await deps.orders.applyPaymentCompleted(event, { inTransaction: settle });
    } catch (err) {
      deps.logger.warn('could not settle the order with its payment; payment-events will', { paymentId: payment.id, message: err instanceof Error ? err.message : String(err) });
    }
  }
  // A no-op when the order transaction above already recorded it.
  await settle(deps.db);
}

/**
 * `order.created` → exactly one payment for the order. A redelivery finds the row by its unique
 * order id: decided → re-publish its outcome; PENDING → resume the charge with the same payment id.
 * The message is acknowledged only after the outcome is published.
 */
export async function chargeOrder(deps: PaymentDeps, event: OrderCreated): Promise<PaymentRow> {
  const amountCents = amountToCents(event.totalAmount);
  if (amountCents <= 0) throw new PermanentMessageError(`order ${event.orderId} has no amount to charge`);
  await createPendingPayment(deps.db, {
    orderId: event.orderId,
    userId: event.userId,
    amountCents,
    currency: event.currency,
    idempotencyKey: event.idempotencyKey,
    reason: 'order.created received',
    confirmation: event.paymentConfirmation,
  });
  const payment = await findPaymentByOrder(deps.db, event.orderId);
  if (!payment) throw new PermanentMessageError(`idempotency key ${event.idempotencyKey} belongs to another order`);
  if (payment.amountCents !== amountCents) {
    throw new PermanentMessageError(`payment ${payment.id} is for ${payment.amountCents} cents, the event says ${amountCents}`);
  }
  if (payment.confirmation === 'client') return openClientIntent(deps, payment);
  const settled = await settlePayment(deps, payment, event.correlationId);
  const outcome = outcomeEvent(settled, event.correlationId);
  if (outcome) await deps.publish(outcome);
  return settled;
}

/**
 * A client-confirmed payment is not charged here: its provider intent is opened (for the exact amount, idempotency
 * key = payment id) and recorded, and the buyer confirms it; the provider's webhook then decides the payment.
 */
async function openClientIntent(deps: PaymentDeps, payment: PaymentRow): Promise<PaymentRow> {
  if (payment.status !== 'PENDING' || payment.clientSecret) return payment;
  if (!deps.intents) throw new PermanentMessageError(`payment ${payment.id} must be confirmed by the buyer, but no provider intents are configured`);
  const intent = await deps.intents.create({ paymentId: payment.id, orderId: payment.orderId ?? payment.checkoutId!, amountCents: payment.amountCents, currency: payment.currency });
  const opened = await updateWaitingPayment(deps.db, payment.id, { gatewayReference: intent.id, clientSecret: intent.clientSecret }, 'provider intent opened: waiting for the buyer to pay');
  return opened ?? payment;
}

/** A checkout payment's outcome as one event per order of the checkout (each with that order's total). */
async function checkoutOutcomeEvents(db: Db, payment: PaymentRow, correlationId: string): Promise<PaymentEvent[]> {
  if (payment.checkoutId === null) return [];
  const members = await findCheckoutOrdersForPayment(db, payment.checkoutId);
  const occurredAt = payment.updatedAt.toISOString();
  if (payment.status === 'COMPLETED' || payment.status === 'REFUNDED') {
    return members.map((order) => ({ type: 'payment.completed', version: 1, correlationId, eventId: `${order.id}:COMPLETED`, orderId: order.id, paymentId: payment.id, amount: centsToAmount(order.totalCents), occurredAt }));
  }
  if (payment.status === 'FAILED') {
    return members.map((order) => ({ type: 'payment.failed', version: 1, correlationId, eventId: `${order.id}:FAILED`, orderId: order.id, paymentId: payment.id, reason: payment.failureReason ?? 'gateway declined', occurredAt }));
  }
  return [];
}

/** Every outcome event of a decided payment: its order's, or one per order of its checkout. */
export async function paymentOutcomeEvents(db: Db, payment: PaymentRow, correlationId: string): Promise<PaymentEvent[]> {
  if (payment.checkoutId !== null) return checkoutOutcomeEvents(db, payment, correlationId);
  const outcome = outcomeEvent(payment, correlationId);
  return outcome ? [outcome] : [];
}

export async function findPaymentById(db: Db, id: string): Promise<PaymentRow | undefined> {
  const [row] = await db.select().from(payments).where(eq(payments.id, id));
  return row;
}

/**
 * `checkout.created` → exactly one payment for the whole checkout (unique checkout id, idempotency key = checkout
 * id), charged like an order's, then its outcome published once per order of the checkout — the orders side
 * applies each exactly as a single order's. Redeliveries re-publish the same per-order outcomes.
 */
export async function chargeCheckout(deps: PaymentDeps, event: CheckoutCreated): Promise<PaymentRow> {
  const amountCents = amountToCents(event.totalAmount);
  if (amountCents <= 0) throw new PermanentMessageError(`checkout ${event.checkoutId} has no amount to charge`);
  await createPendingPayment(deps.db, { checkoutId: event.checkoutId, userId: event.userId, amountCents, currency: event.currency, idempotencyKey: event.idempotencyKey, reason: 'checkout.created received', confirmation: event.paymentConfirmation });
  const payment = await findPaymentByCheckout(deps.db, event.checkoutId);
  if (!payment) throw new PermanentMessageError(`idempotency key ${event.idempotencyKey} belongs to another payment`);
  if (payment.amountCents !== amountCents) {
    throw new PermanentMessageError(`payment ${payment.id} is for ${payment.amountCents} cents, the event says ${amountCents}`);
  }
  // One intent for the checkout's total: the buyer pays every seller's order at once.
  if (payment.confirmation === 'client') return openClientIntent(deps, payment);
  const settled = await settlePayment(deps, payment, event.correlationId);
  await Promise.all((await checkoutOutcomeEvents(deps.db, settled, event.correlationId)).map((outcome) => deps.publish(outcome)));
  return settled;
}

/**
 * `order.cancelled` → refund when the order's payment is COMPLETED (the seed never
 * refunded). Anything else is a no-op: no payment yet, PENDING (its later `payment.completed` makes
 * the order side ask again), FAILED, or already REFUNDED.
 */
export async function refundOrderPayment(deps: PaymentDeps, event: OrderCancelled): Promise<PaymentRow | null> {
  const payment = await findPaymentByOrder(deps.db, event.orderId);
  if (!payment || payment.status !== 'COMPLETED') return payment ?? null;
  if (payment.checkoutId !== null) return refundCheckoutOrder(deps, payment, event);
  // The whole payment, as one refund row (unique per order), confirmed like any other refund.
  return (await refundPaymentPart(deps, payment, { orderId: event.orderId, amountCents: payment.amountCents, reason: `order cancelled: ${event.reason}` })).payment;
}

/**
 * One order of a checkout was cancelled after its payment completed: only that order's total (lines + its
 * shipping) goes back, once, as a partial refund of the checkout's payment ({@link refundPaymentPart}).
 */
async function refundCheckoutOrder(deps: PaymentDeps, payment: PaymentRow, event: OrderCancelled): Promise<PaymentRow | null> {
  const order = await findOrderForPayment(deps.db, event.orderId);
  if (!order || order.status !== 'CANCELLED') {
    deps.logger.warn('order.cancelled for an order that is not cancelled: nothing refunded', { orderId: event.orderId, status: order?.status ?? null });
    return payment;
  }
  const reason = `order ${shortOrderNumber(order.id)} cancelled: ${event.reason}`.slice(0, 255);
  return (await refundPaymentPart(deps, payment, { orderId: order.id, amountCents: order.totalCents, reason })).payment;
}

/** A part of a payment to give back: a cancelled order of a checkout, or a return (`returnId`) of any order. */
export interface RefundPart {
  orderId: string;
  returnId?: string;
  amountCents: number;
  reason: string;
}

const refundRowOf = (payment: PaymentRow, part: RefundPart) =>
  part.returnId === undefined
    ? and(eq(paymentRefunds.paymentId, payment.id), eq(paymentRefunds.orderId, part.orderId), isNull(paymentRefunds.returnId))
    : eq(paymentRefunds.returnId, part.returnId);

/**
 * Gives back part of a payment exactly once. The refund row is claimed first (unique per cancelled order of the
 * payment, or per return), then the gateway is asked with the refund's id as idempotency key (a retry, or a concurrent
 * caller, sends the same key, so the provider refunds once). A refund the provider answers `succeeded` is recorded at
 * once ({@link completeRefund}); a `pending` one keeps its row PENDING with the provider's reference until the
 * provider's signed refund webhook completes it. Whenever the refund is found completed — now, by an earlier call or
 * by its webhook — `inTransaction` runs (the caller's own step, which must be idempotent).
 */
async function refundPaymentPart(
  deps: Pick<PaymentDeps, 'db' | 'gateway' | 'transaction'>,
  payment: PaymentRow,
  part: RefundPart,
  options: { inTransaction?: (tx: Tx) => Promise<void> } = {},
): Promise<{ payment: PaymentRow | null; recorded: boolean }> {
  await deps.db.insert(paymentRefunds).values({ paymentId: payment.id, orderId: part.orderId, returnId: part.returnId ?? null, amountCents: part.amountCents, reason: part.reason.slice(0, 255) }).onConflictDoNothing();
  const [refund] = await deps.db.select().from(paymentRefunds).where(refundRowOf(payment, part));
  if (!refund) throw new Error(`refund of order ${part.orderId} was not visible`);
  if (refund.status !== 'COMPLETED') {
    const answer = await deps.gateway.refund({ paymentId: payment.id, gatewayReference: payment.gatewayReference, amountCents: refund.amountCents, currency: payment.currency, idempotencyKey: `refund-${refund.id}`, refundId: refund.id });
    if (answer.status === 'succeeded') return completeRefund(deps, refund.id, answer.refundReference, options);
    await deps.db.update(paymentRefunds).set({ gatewayReference: answer.refundReference.slice(0, 100), updatedAt: new Date() }).where(and(eq(paymentRefunds.id, refund.id), eq(paymentRefunds.status, 'PENDING')));
  }
  // Completed before, or by its webhook while the provider was answering: only the caller's step is left.
  const [now] = await deps.db.select({ status: paymentRefunds.status }).from(paymentRefunds).where(eq(paymentRefunds.id, refund.id));
  if (now?.status === 'COMPLETED' && options.inTransaction) await deps.transaction(options.inTransaction);
  return { payment: (await findPaymentById(deps.db, payment.id)) ?? null, recorded: false };
}

/**
 * Records a refund the provider confirmed: the refund, the payment's `refunded_cents` (checked ≤ the amount by the
 * table), the buyer's notice and `inTransaction` commit together — only for the call that finds the refund still
 * PENDING under its row lock; the payment becomes REFUNDED when nothing is left.
 */
export async function completeRefund(
  deps: Pick<PaymentDeps, 'transaction'>,
  refundId: string,
  refundReference: string,
  options: { inTransaction?: (tx: Tx) => Promise<void> } = {},
): Promise<{ payment: PaymentRow | null; recorded: boolean }> {
  return deps.transaction(async (tx) => {
    const [claimed] = await tx.select().from(paymentRefunds).where(eq(paymentRefunds.id, refundId)).for('update');
    const [current] = claimed ? await tx.select().from(payments).where(eq(payments.id, claimed.paymentId)).for('update') : [];
    if (!claimed || !current || claimed.status === 'COMPLETED') return { payment: current ?? null, recorded: false };
    await tx.update(paymentRefunds).set({ status: 'COMPLETED', gatewayReference: refundReference.slice(0, 100), updatedAt: new Date() }).where(eq(paymentRefunds.id, refundId));
    const refundedCents = current.refundedCents + claimed.amountCents;
    const status: PaymentStatus = refundedCents >= current.amountCents ? 'REFUNDED' : current.status;
    const [updated] = await tx.update(payments).set({ refundedCents, status, updatedAt: new Date() }).where(eq(payments.id, current.id)).returning();
    const version = await recordPaymentHistory(tx, { paymentId: current.id, oldStatus: current.status, newStatus: status, reason: `refunded ${formatCents(claimed.amountCents)} ${current.currency} for ${claimed.reason ?? 'a refund'}`.slice(0, 255) });
    announcePayment(tx, updated!, version);
    await createNotification(tx, {
      userId: current.userId,
      type: 'REFUND_ISSUED',
      title: `Refund issued for order ${shortOrderNumber(claimed.orderId)}`,
      body: `${formatCents(claimed.amountCents)} ${current.currency} will be returned to your payment method.`,
      orderId: claimed.orderId,
    });
    await options.inTransaction?.(tx);
    return { payment: updated ?? null, recorded: true };
  });
}

/**
 * Refunds part of the payment that paid for `orderId` (its own, or its checkout's), once (see
 * {@link refundPaymentPart}). 409 `PAYMENT_NOT_REFUNDABLE` when there is no completed payment to take it from.
 */
export async function refundOrderPart(deps: Pick<PaymentDeps, 'db' | 'gateway' | 'transaction'>, part: RefundPart, options: { inTransaction?: (tx: Tx) => Promise<void> } = {}) {
  const payment = await findPaymentByOrder(deps.db, part.orderId);
  if (!payment) throw conflict('PAYMENT_NOT_REFUNDABLE', 'This order has no payment to refund');
  const [done] = await deps.db.select({ status: paymentRefunds.status }).from(paymentRefunds).where(refundRowOf(payment, part));
  if (done?.status !== 'COMPLETED' && payment.status !== 'COMPLETED') throw conflict('PAYMENT_NOT_REFUNDABLE', `The order's payment is ${payment.status}`, { status: payment.status });
  return refundPaymentPart(deps, payment, part, options);
}

export async function listUserPayments(db: Db, userId: string, page: { page: number; size: number }) {
  const [rows, [total]] = await Promise.all([
    db.select().from(payments).where(eq(payments.userId, userId)).orderBy(desc(payments.createdAt), desc(payments.id)).limit(page.size).offset(pageOffset(page)),
    db.select({ total: count() }).from(payments).where(eq(payments.userId, userId)),
  ]);
  return { data: rows.map((row) => toPaymentResponse(row, userId)), meta: pageMeta(page.page, page.size, total?.total ?? 0) };
}

type Caller = { id: string; role: string };
const canSee = (caller: Caller, payment: PaymentRow) => caller.role === 'admin' || payment.userId === caller.id;

export async function getPayment(db: Db, caller: Caller, id: string) {
  const row = await findPaymentById(db, id);
  if (!row) throw notFound('PAYMENT_NOT_FOUND', 'Payment not found');
  if (!canSee(caller, row)) throw forbidden();
  return toPaymentResponse(row, caller.id);
}

/** The order's payment; 404 until the saga has created it (clients poll this). */
export async function getPaymentForOrder(db: Db, caller: Caller, orderId: string) {
  const row = await findPaymentByOrder(db, orderId);
  if (!row) throw notFound('PAYMENT_NOT_FOUND', 'No payment exists for this order yet');
  if (!canSee(caller, row)) throw forbidden();
  return toPaymentResponse(row, caller.id);
}

export interface ManualPaymentInput {
  orderId: string;
  amount: number;
  currency: string;
  idempotencyKey: string;
}

/**
 * Admin-only manual charge of a PENDING order (the seed's public POST /payments, locked down). The
 * amount must equal the order total; one payment per order (409 `DUPLICATE_PAYMENT`); a gateway that
 * keeps timing out is 504 and leaves the payment PENDING for the saga to resume.
 */
export async function createManualPayment(deps: PaymentDeps, input: ManualPaymentInput, correlationId: string, actor: AuditActor) {
  const order = await findOrderForPayment(deps.db, input.orderId);
  if (!order) throw notFound('ORDER_NOT_FOUND', 'Order not found');
  if (amountToCents(input.amount) !== order.totalCents || input.currency.toUpperCase() !== order.currency) {
    throw badRequest('AMOUNT_MISMATCH', 'The amount and currency must equal the order total', { amount: `Expected ${formatCents(order.totalCents)} ${order.currency}` });
  }
  if (order.status !== 'PENDING') throw conflict('ORDER_NOT_PAYABLE', `Only a PENDING order can be paid; this one is ${order.status}`);
  if (order.checkoutId !== null) throw conflict('ORDER_NOT_PAYABLE', 'This order is part of a checkout, which is paid as a whole');
  // The payment row and the admin's audit record commit together.
  await deps.transaction(async (tx) => {
    const created = await createPendingPayment(tx, {
      orderId: order.id,
      userId: order.userId,
      amountCents: order.totalCents,
      currency: order.currency,
      idempotencyKey: input.idempotencyKey,
      reason: 'manual payment by admin',
    });
    if (!created) throw conflict('DUPLICATE_PAYMENT', 'A payment already exists for this order or idempotency key');
    await recordAdminAction(tx, { actor, action: 'payment.manual_charge', targetType: 'order', targetId: order.id, before: { status: order.status }, after: { amount: centsToAmount(order.totalCents), currency: order.currency } });
  });
  const payment = await findPaymentByOrder(deps.db, order.id);
  if (!payment) throw new Error('payment insert was not visible');
  let settled: PaymentRow;
  try {
    settled = await settlePayment(deps, payment, correlationId);
  } catch (err) {
    if (err instanceof TransientGatewayError) throw new AppError(504, 'GATEWAY_TIMEOUT', 'The payment gateway did not answer; the payment stays PENDING and will be retried');
    throw err;
  }
  const outcome = outcomeEvent(settled, correlationId);
  if (outcome) await deps.publish(outcome);
  return toPaymentResponse(settled);
}

