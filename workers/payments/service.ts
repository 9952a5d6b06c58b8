/**
 * Charging: an order's or a checkout's one payment taken from the saga's messages (with the in-consumer retry of
 * transient gateway errors, the buyer's 3-D Secure step and the client-confirmed intent), its approval recorded
 * with the order's decision, its outcome published; and the admin's manual charge. The row writes are in
 * `records.ts`, refunds in `refunds.ts`. A little over 300 lines on purpose: every entry shares the charge, settle
 * and publish steps below, which nothing outside this file may call.
 */
import { eq } from 'drizzle-orm';

import { amountToCents, centsToAmount, formatCents } from '@contract/money';
import { createNotification, shortOrderNumber } from '@/notifications';
import { type CheckoutCreated, type OrderCreated, type PaymentCompleted, type PaymentEvent, findCheckoutOrdersForPayment, findOrderForPayment } from '@/orders';
import { TransientGatewayError, type PaymentGateway, type SavedMethodRef } from '@/payments/gateway';
import { findDefaultMethod } from '@/payments/methods';
import {
  createPendingPayment,
  findPaymentByCheckout,
  findPaymentByOrder,
  settlePendingPayment,
  toPaymentResponse,
  updateWaitingPayment,
  type PaymentRow,
} from '@/payments/records';
import { payments } from '@/payments/tables';
import type { VaultPort } from '@/payments/vault';
import { recordAdminAction, type AuditActor } from '@/platform/audit';
import type { Db, Queryable, Tx } from '@/platform/db';
import { AppError, badRequest, conflict, notFound } from '@/platform/errors';
import type { Logger } from '@/platform/logger';
import { PermanentMessageError } from '@/platform/queue-consumer';

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

