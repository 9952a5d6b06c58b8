import { and, eq } from 'drizzle-orm';

import { simulatedIntents, type SimulatedIntentStatus } from '@/payments/tables';
import { signWebhookPayload } from '@/payments/webhook-signature';
import type { Db } from '@/platform/db';

/**
 * The simulated payment provider (docs/decisions/payments.md): payment intents kept on "its side" (their own
 * table), confirmed on a local payment page with test card numbers, and reported to the shop by signed webhook
 * events in the real provider's shape and signing scheme, so the shop's code path is the one production runs.
 */
export type SimulatedIntent = typeof simulatedIntents.$inferSelect;

export type CardBehaviour = { kind: 'succeed' } | { kind: 'decline'; code: string } | { kind: 'challenge' };

/** The provider's documented test cards. */
export const TEST_CARDS: Readonly<Record<string, CardBehaviour>> = {
  '4242424242424242': { kind: 'succeed' },
  '4000000000000002': { kind: 'decline', code: 'card_declined' },
  '4000000000009995': { kind: 'decline', code: 'insufficient_funds' },
  '4000002500003220': { kind: 'challenge' },
};

/** The events the simulator reports (the ones the shop subscribes to). */
export type SimulatedEventType = 'payment_intent.succeeded' | 'payment_intent.payment_failed' | 'payment_intent.canceled';

export interface IntentRequest {
  paymentId: string;
  orderId: string;
  amountCents: number;
  currency: string;
  appEnv: string;
}

export const randomHex = (bytes: number) => [...crypto.getRandomValues(new Uint8Array(bytes))].map((b) => b.toString(16).padStart(2, '0')).join('');

export class SimulatedProviderError extends Error {
  override readonly name = 'SimulatedProviderError';
}

/**
 * Creates the payment's intent for the exact amount and currency; the payment id is the idempotency key, so asking
 * again returns the same intent — and asking again with another amount is refused, as the provider refuses an
 * idempotency key reused with other parameters.
 */
export async function createSimulatedIntent(db: Db, request: IntentRequest): Promise<SimulatedIntent> {
  const id = `pi_sim_${randomHex(12)}`;
  await db
    .insert(simulatedIntents)
    .values({
      id,
      paymentId: request.paymentId,
      amountCents: request.amountCents,
      currency: request.currency.toUpperCase(),
      clientSecret: `${id}_secret_${randomHex(16)}`,
      metadata: { payment_id: request.paymentId, order_id: request.orderId, app_env: request.appEnv },
    })
    .onConflictDoNothing({ target: simulatedIntents.paymentId });
  const [intent] = await db.select().from(simulatedIntents).where(eq(simulatedIntents.paymentId, request.paymentId));
  if (!intent) throw new Error(`simulated intent of payment ${request.paymentId} was not visible`);
  if (intent.amountCents !== request.amountCents || intent.currency !== request.currency.toUpperCase()) {
    throw new SimulatedProviderError('idempotency key reused with another amount or currency');
  }
  return intent;
}

export async function findSimulatedIntent(db: Db, id: string): Promise<SimulatedIntent | undefined> {
  const [intent] = await db.select().from(simulatedIntents).where(eq(simulatedIntents.id, id));
  return intent;
}

/** Moves the intent from `from` only (two concurrent confirmations cannot both act); undefined when it had moved. */
async function transition(db: Db, intent: SimulatedIntent, from: SimulatedIntentStatus, to: SimulatedIntentStatus, lastError: string | null) {
  const [moved] = await db
    .update(simulatedIntents)
    .set({ status: to, lastError, updatedAt: new Date() })
    .where(and(eq(simulatedIntents.id, intent.id), eq(simulatedIntents.status, from)))
    .returning();
  return moved;
}

export type ConfirmResult = { intent: SimulatedIntent; event: SimulatedEventType | null } | { error: 'unknown_card' | 'not_confirmable' };

/** The buyer submits a card on the payment page. */
export async function confirmSimulatedIntent(db: Db, intent: SimulatedIntent, cardNumber: string): Promise<ConfirmResult> {
  const behaviour = TEST_CARDS[cardNumber.replace(/[\s-]/g, '')];
  if (!behaviour) return { error: 'unknown_card' };
  if (intent.status !== 'requires_payment_method') return { error: 'not_confirmable' };
  const next = behaviour.kind === 'succeed' ? 'succeeded' : behaviour.kind === 'challenge' ? 'requires_action' : 'requires_payment_method';
  const moved = await transition(db, intent, 'requires_payment_method', next, behaviour.kind === 'decline' ? behaviour.code : null);
  if (!moved) return { error: 'not_confirmable' };
  const event: SimulatedEventType | null = behaviour.kind === 'succeed' ? 'payment_intent.succeeded' : behaviour.kind === 'decline' ? 'payment_intent.payment_failed' : null;
  return { intent: moved, event };
}

/** The buyer answers the 3-D Secure challenge: completed → succeeded; failed → a declined attempt. */
export async function answerSimulatedChallenge(db: Db, intent: SimulatedIntent, approve: boolean): Promise<ConfirmResult> {
  if (intent.status !== 'requires_action') return { error: 'not_confirmable' };
  const moved = await transition(db, intent, 'requires_action', approve ? 'succeeded' : 'requires_payment_method', approve ? null : 'authentication_failed');
  if (!moved) return { error: 'not_confirmable' };
  return { intent: moved, event: approve ? 'payment_intent.succeeded' : 'payment_intent.payment_failed' };
}

/** The intent as the provider's API returns it. */
export function intentObject(intent: SimulatedIntent) {
  return {
    id: intent.id,
    object: 'payment_intent' as const,
    amount: intent.amountCents,
    currency: intent.currency.toLowerCase(),
    status: intent.status,
    metadata: intent.metadata,
    last_payment_error: intent.lastError ? { code: intent.lastError === 'authentication_failed' ? 'payment_intent_authentication_failure' : 'card_declined', decline_code: intent.lastError } : null,
  };
}

/** The provider event about an intent, in the real provider's shape. */
export function simulatedEvent(intent: SimulatedIntent, type: SimulatedEventType) {
  return { id: `evt_sim_${randomHex(12)}`, object: 'event' as const, created: Math.floor(Date.now() / 1000), type, livemode: false, data: { object: intentObject(intent) } };
}

/** How a signed delivery reaches the shop's webhook route (in-process: see docs/decisions/payments.md). */
export type DeliverWebhook = (request: Request) => Promise<Response>;

const SIMULATED_WEBHOOK_PATH = '/api/v1/payments/webhooks/simulated';

/** Signs the event with the simulator's secret and delivers it; the shop's answer status is returned. */
export async function deliverSimulatedEvent(deliver: DeliverWebhook, secret: string, origin: string, event: { id: string; object: 'event'; type: string }): Promise<number> {
  const body = JSON.stringify(event);
  const res = await deliver(
    new Request(new URL(SIMULATED_WEBHOOK_PATH, origin), { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': await signWebhookPayload(body, secret) }, body }),
  );
  return res.status;
}
