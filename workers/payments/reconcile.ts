import { and, asc, eq, lt } from 'drizzle-orm';

import type { PaymentRow } from '@/payments/records';
import type { PaymentDeps } from '@/payments/service';
import { intentObject } from '@/payments/simulator';
import { payments, simulatedIntents } from '@/payments/tables';
import { applyIntentEvent, intentSchema, type HandledType, type Intent } from '@/payments/webhooks';
import type { Db } from '@/platform/db';
import { describeError } from '@/platform/logger';

/** Asks the provider for the intent of one payment (its recorded intent id, or else its payment id); null when it has none. */
export type IntentLookup = (payment: PaymentRow) => Promise<unknown>;

/** A PENDING payment untouched this long is asked about (a webhook normally lands within seconds). */
const RECONCILE_AFTER_MS = 2 * 60_000;
const RECONCILE_BATCH = 50;

/** The simulated provider's side: its intent of this payment, in the provider's JSON shape. */
export function simulatedIntentLookup(db: Db): IntentLookup {
  return async (payment) => {
    const [intent] = await db.select().from(simulatedIntents).where(eq(simulatedIntents.paymentId, payment.id));
    return intent ? intentObject(intent) : null;
  };
}

/** What the provider's current state of the intent means for the payment; null while the intent is still open. */
function settledEventType(intent: Intent, payment: PaymentRow): HandledType | null {
  if (intent.status === 'succeeded') return 'payment_intent.succeeded';
  if (intent.status === 'canceled') return 'payment_intent.canceled';
  // An off-session charge that was declined is final; a buyer's declined attempt may still be followed by another card.
  if (intent.status === 'requires_payment_method' && intent.last_payment_error && payment.confirmation === 'off_session') return 'payment_intent.payment_failed';
  return null;
}

/**
 * The reconciliation job: PENDING payments untouched for {@link RECONCILE_AFTER_MS} are looked up at the provider, and
 * a decided intent is applied exactly as its webhook would have been — so a lost webhook never leaves an order
 * PENDING until the reaper. An intent whose amount or currency differs from the payment is logged and left alone.
 * Returns how many payments moved.
 */
export async function reconcileStuckPayments(deps: PaymentDeps, lookup: IntentLookup, options: { now?: Date; staleAfterMs?: number } = {}): Promise<number> {
  const cutoff = new Date((options.now ?? new Date()).getTime() - (options.staleAfterMs ?? RECONCILE_AFTER_MS));
  const stuck = await deps.db.select().from(payments).where(and(eq(payments.status, 'PENDING'), lt(payments.updatedAt, cutoff))).orderBy(asc(payments.updatedAt)).limit(RECONCILE_BATCH);
  let moved = 0;
  for (const payment of stuck) {
    try {
      const found = intentSchema.safeParse(await lookup(payment));
      if (!found.success) continue;
      const intent = found.data;
      if (intent.amount !== payment.amountCents || intent.currency.toUpperCase() !== payment.currency || intent.metadata.payment_id !== payment.id) {
        deps.logger.error('reconciliation: the provider intent does not match the payment; left alone', { paymentId: payment.id, intentId: intent.id });
        continue;
      }
      const type = settledEventType(intent, payment);
      if (!type) continue;
      if ((await applyIntentEvent(deps, payment, type, intent, `reconcile:${payment.id}`)) === 'applied') {
        moved++;
        deps.logger.warn('reconciliation repaired a payment whose webhook did not arrive', { paymentId: payment.id, type });
      }
    } catch (err) {
      deps.logger.error('reconciliation of a payment failed', { paymentId: payment.id, ...describeError(err) });
    }
  }
  return moved;
}

type Fetch = (input: string, init: RequestInit) => Promise<Response>;

/**
 * The real provider's intent for a payment: by its recorded intent id, else by a search on `metadata.payment_id`
 * (an off-session charge whose answer was lost). Provider errors throw (the next run asks again).
 */
export async function retrieveStripeIntent(options: { secretKey: string; fetch?: Fetch; baseUrl?: string }, payment: Pick<PaymentRow, 'id' | 'gatewayReference'>): Promise<unknown> {
  const doFetch: Fetch = options.fetch ?? ((input, init) => fetch(input, init));
  const baseUrl = options.baseUrl ?? 'https://api.stripe.com';
  const path = payment.gatewayReference?.startsWith('pi_')
    ? `/v1/payment_intents/${encodeURIComponent(payment.gatewayReference)}`
    : `/v1/payment_intents/search?${new URLSearchParams({ query: `metadata['payment_id']:'${payment.id}'` }).toString()}`;
  const res = await doFetch(`${baseUrl}${path}`, { method: 'GET', headers: { authorization: `Bearer ${options.secretKey}` } });
  if (res.status === 404) return null;
  if (!res.ok) throw new Error(`payment provider answered ${res.status} to an intent lookup`);
  const body = (await res.json()) as { object?: string; data?: unknown[] };
  return body.object === 'search_result' ? (body.data?.[0] ?? null) : body;
}
