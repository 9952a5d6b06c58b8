/**
 * The payments table as the rest of the domain uses it: the row and its API view, the reads (with who may see
 * them), and every write of a payment's status as one statement with its history row and version, announced to
 * its buyer after commit. The flows that decide those writes are in `service.ts` (charging) and `refunds.ts`.
 */
import { and, count, desc, eq, getTableColumns, sql, type SQL } from 'drizzle-orm';
import type { PgUpdateSetSource } from 'drizzle-orm/pg-core';

import { centsToAmount } from '@contract/money';
import { findOrderForPayment } from '@/orders';
import { paymentHistory, payments, type PaymentConfirmation, type PaymentStatus } from '@/payments/tables';
import type { Db, Queryable, Tx } from '@/platform/db';
import { forbidden, notFound } from '@/platform/errors';
import { publishLiveAfterCommit } from '@/platform/live-events';
import { pageMeta, pageOffset } from '@/platform/pagination';

export type PaymentRow = typeof payments.$inferSelect;

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
export async function findPaymentByOrder(db: Db, orderId: string): Promise<PaymentRow | undefined> {
  const [row] = await db.select().from(payments).where(eq(payments.orderId, orderId));
  if (row) return row;
  const order = await findOrderForPayment(db, orderId);
  if (!order?.checkoutId) return undefined;
  return findPaymentByCheckout(db, order.checkoutId);
}

export async function findPaymentByCheckout(db: Db, checkoutId: string): Promise<PaymentRow | undefined> {
  const [row] = await db.select().from(payments).where(eq(payments.checkoutId, checkoutId));
  return row;
}

/**
 * Inserts the order's one PENDING payment (+ its first history row) unless it exists; the unique
 * `order_id` and `idempotency_key` make a concurrent or repeated insert a no-op. Its buyer hears of it once committed.
 */
export async function createPendingPayment(
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
export async function recordPaymentHistory(tx: Tx, values: typeof paymentHistory.$inferInsert): Promise<number> {
  // Spelled out: drizzle writes a column of the insert's table unqualified, which the subquery would read as its own.
  const [row] = await tx.insert(paymentHistory).values(values).returning({ version: paymentVersion(sql`${paymentHistory}.payment_id`) });
  return row!.version;
}

/** Once `q` commits, the buyer's sockets get the payment exactly as `GET /payments/order/{orderId}` shows it. */
export function announcePayment(q: Queryable, payment: PaymentRow, version: number): void {
  publishLiveAfterCommit(q, [{ userId: payment.userId, event: { id: `payment:${payment.id}:${version}`, type: 'payment.updated', version, data: { ...toPaymentResponse(payment, payment.userId), version } } }]);
}

export async function findPaymentById(db: Db, id: string): Promise<PaymentRow | undefined> {
  const [row] = await db.select().from(payments).where(eq(payments.id, id));
  return row;
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
