import { and, eq } from 'drizzle-orm';

import type { ChargeRequest, ChargeResult, PaymentGateway, RefundRequest, RefundResult } from '@/payments/gateway';
import { createSimulatedIntent, randomHex, TEST_CARDS, type ConfirmResult as PaymentConfirmResult, type SimulatedIntent } from '@/payments/simulator';
import { simulatedIntents, simulatedPaymentMethods, simulatedSetupIntents, type SimulatedSetupStatus } from '@/payments/tables';
import type { VaultPort } from '@/payments/vault';
import type { Db } from '@/platform/db';

/**
 * The simulated provider's saved cards (docs/decisions/payments.md): customers, setup intents confirmed on its
 * setup page with the same test cards, and payment methods that remember how the test card behaves when it is
 * later charged off-session.
 */
export type SimulatedSetupIntent = typeof simulatedSetupIntents.$inferSelect;
export type SimulatedSetupEventType = 'setup_intent.succeeded' | 'setup_intent.setup_failed';
export type SetupConfirmResult = { intent: SimulatedSetupIntent; event: SimulatedSetupEventType | null } | Extract<PaymentConfirmResult, { error: string }>;

/**
 * How a saved test card answers an off-session charge: `4242…` succeeds, `4000 0025 0000 3220` needs the buyer
 * (3-D Secure on every charge), `9995` saves fine and is then declined for insufficient funds.
 */
function savedBehaviour(cardNumber: string): string {
  const behaviour = TEST_CARDS[cardNumber];
  if (behaviour?.kind === 'challenge') return 'authenticate';
  if (behaviour?.kind === 'decline') return `decline:${behaviour.code}`;
  return 'succeed';
}

const normalise = (cardNumber: string) => cardNumber.replace(/[\s-]/g, '');

export async function findSimulatedSetupIntent(db: Db, id: string): Promise<SimulatedSetupIntent | undefined> {
  const [intent] = await db.select().from(simulatedSetupIntents).where(eq(simulatedSetupIntents.id, id));
  return intent;
}

/** Moves the setup intent from `from` only, so two concurrent confirmations cannot both act. */
async function transition(db: Db, intent: SimulatedSetupIntent, from: SimulatedSetupStatus, set: Partial<Pick<SimulatedSetupIntent, 'status' | 'paymentMethodId' | 'pendingCard' | 'lastError'>>) {
  const [moved] = await db
    .update(simulatedSetupIntents)
    .set({ lastError: null, ...set, updatedAt: new Date() })
    .where(and(eq(simulatedSetupIntents.id, intent.id), eq(simulatedSetupIntents.status, from)))
    .returning();
  return moved;
}

/** Attaches a new payment method for the card to the intent's customer and marks the intent succeeded. */
async function saveCard(db: Db, intent: SimulatedSetupIntent, from: SimulatedSetupStatus, cardNumber: string): Promise<SetupConfirmResult> {
  const id = `pm_sim_${randomHex(12)}`;
  await db.insert(simulatedPaymentMethods).values({ id, customerId: intent.customerId, brand: 'visa', last4: cardNumber.slice(-4), expMonth: 12, expYear: new Date().getUTCFullYear() + 3, behaviour: savedBehaviour(cardNumber) });
  const moved = await transition(db, intent, from, { status: 'succeeded', paymentMethodId: id, pendingCard: null });
  if (!moved) {
    await db.delete(simulatedPaymentMethods).where(eq(simulatedPaymentMethods.id, id));
    return { error: 'not_confirmable' };
  }
  return { intent: moved, event: 'setup_intent.succeeded' };
}

/** The buyer submits a card on the setup page: saved, declined (`4000 0000 0000 0002`) or challenged (3-D Secure). */
export async function confirmSimulatedSetup(db: Db, intent: SimulatedSetupIntent, rawCardNumber: string): Promise<SetupConfirmResult> {
  const cardNumber = normalise(rawCardNumber);
  const behaviour = TEST_CARDS[cardNumber];
  if (!behaviour) return { error: 'unknown_card' };
  if (intent.status !== 'requires_payment_method') return { error: 'not_confirmable' };
  if (behaviour.kind === 'challenge') {
    const moved = await transition(db, intent, 'requires_payment_method', { status: 'requires_action', pendingCard: cardNumber });
    return moved ? { intent: moved, event: null } : { error: 'not_confirmable' };
  }
  // A card that cannot be charged at all is refused when saved; insufficient funds only shows when it is charged.
  if (behaviour.kind === 'decline' && behaviour.code === 'card_declined') {
    const moved = await transition(db, intent, 'requires_payment_method', { status: 'requires_payment_method', lastError: behaviour.code });
    return moved ? { intent: moved, event: 'setup_intent.setup_failed' } : { error: 'not_confirmable' };
  }
  return saveCard(db, intent, 'requires_payment_method', cardNumber);
}

/** The buyer answers the setup's 3-D Secure challenge. */
export async function answerSimulatedSetupChallenge(db: Db, intent: SimulatedSetupIntent, approve: boolean): Promise<SetupConfirmResult> {
  if (intent.status !== 'requires_action' || !intent.pendingCard) return { error: 'not_confirmable' };
  if (approve) return saveCard(db, intent, 'requires_action', intent.pendingCard);
  const moved = await transition(db, intent, 'requires_action', { status: 'requires_payment_method', pendingCard: null, lastError: 'authentication_failed' });
  return moved ? { intent: moved, event: 'setup_intent.setup_failed' } : { error: 'not_confirmable' };
}

/** The setup intent as the provider's API returns it. */
export function setupIntentObject(intent: SimulatedSetupIntent) {
  return {
    id: intent.id,
    object: 'setup_intent' as const,
    status: intent.status,
    customer: intent.customerId,
    payment_method: intent.paymentMethodId,
    usage: 'off_session',
    metadata: intent.metadata,
    last_setup_error: intent.lastError ? { code: intent.lastError === 'authentication_failed' ? 'setup_intent_authentication_failure' : 'card_declined', decline_code: intent.lastError } : null,
  };
}

export function simulatedSetupEvent(intent: SimulatedSetupIntent, type: SimulatedSetupEventType) {
  return { id: `evt_sim_${randomHex(12)}`, object: 'event' as const, created: Math.floor(Date.now() / 1000), type, livemode: false, data: { object: setupIntentObject(intent) } };
}

/** The simulator as the shop's {@link VaultPort}. */
export function createSimulatedVault(db: Db, appEnv: string): VaultPort {
  return {
    provider: 'simulated',
    // The simulator keeps no customer records of its own: a customer is the id its setup intents and cards carry.
    createCustomer: async () => ({ id: `cus_sim_${randomHex(12)}` }),
    async createSetupIntent({ customerId, userId }) {
      const id = `seti_sim_${randomHex(12)}`;
      const clientSecret = `${id}_secret_${randomHex(16)}`;
      await db.insert(simulatedSetupIntents).values({ id, customerId, clientSecret, metadata: { user_id: userId, app_env: appEnv } });
      return { id, clientSecret };
    },
    async retrievePaymentMethod(id) {
      const [method] = await db.select().from(simulatedPaymentMethods).where(eq(simulatedPaymentMethods.id, id));
      return method ? { id: method.id, customerId: method.customerId, brand: method.brand, last4: method.last4, expMonth: method.expMonth, expYear: method.expYear } : null;
    },
    async detachPaymentMethod(id) {
      await db.update(simulatedPaymentMethods).set({ customerId: null }).where(eq(simulatedPaymentMethods.id, id));
    },
  };
}

/** What the simulator's intent of an off-session charge means for the shop. */
function chargeResultOf(intent: SimulatedIntent, paymentId: string): ChargeResult {
  if (intent.status === 'succeeded') return { outcome: 'approved', gatewayReference: intent.id };
  if (intent.status === 'requires_action') return { outcome: 'requires_action', gatewayReference: intent.id, clientSecret: intent.clientSecret };
  return { outcome: 'declined', reason: `gateway declined: ${intent.lastError ?? 'canceled'} (paymentId=${paymentId})` };
}

/** The first answer to an off-session charge of a saved card, decided by how the test card behaves. */
async function decideSavedCardCharge(gateway: PaymentGateway, request: ChargeRequest, behaviour: string): Promise<{ status: SimulatedIntent['status']; lastError: string | null }> {
  if (behaviour === 'authenticate') return { status: 'requires_action', lastError: null };
  if (behaviour.startsWith('decline:')) return { status: 'requires_payment_method', lastError: behaviour.slice('decline:'.length) };
  // A card that pays still follows the configured simulated mode (declines, timeouts, chaos ratios).
  const answer = await gateway.charge({ ...request, savedMethod: undefined });
  return answer.outcome === 'approved' ? { status: 'succeeded', lastError: null } : { status: 'requires_payment_method', lastError: 'card_declined' };
}

/** Hands a provider event to the shop's webhook handler, signed (see docs/decisions/payments.md). */
export type DeliverSimulatedEvent = (event: { id: string; object: 'event'; type: string; livemode: boolean; created: number; data: { object: unknown } }) => Promise<void>;

/**
 * A refund as the provider answers it: pending, then a signed `refund.updated` (succeeded) delivered to the shop —
 * which is what records it. Its id follows from our refund id, so a retried refund is the same refund.
 */
async function simulatedRefund(gateway: PaymentGateway, request: RefundRequest, appEnv: string, deliver: DeliverSimulatedEvent): Promise<RefundResult> {
  const answer = await gateway.refund(request);
  if (!request.refundId) return answer;
  const id = `re_sim_${request.refundId.replaceAll('-', '')}`;
  const refund = {
    id,
    object: 'refund' as const,
    amount: request.amountCents,
    currency: (request.currency ?? 'USD').toLowerCase(),
    status: 'succeeded',
    payment_intent: request.gatewayReference?.startsWith('pi_sim_') ? request.gatewayReference : null,
    metadata: { refund_id: request.refundId, payment_id: request.paymentId, app_env: appEnv },
  };
  await deliver({ id: `evt_sim_${randomHex(12)}`, object: 'event', created: Math.floor(Date.now() / 1000), type: 'refund.updated', livemode: false, data: { object: refund } });
  return { refundReference: id, status: 'pending' };
}

/**
 * The simulated provider around the configured simulated gateway: saved cards are charged off-session as the
 * provider does — one intent per payment id (the idempotency key), decided once by the saved test card, so a
 * redelivered charge gets the same answer; a charge without a saved card is the gateway's, as before. With
 * `deliver`, refunds are confirmed by their signed webhook, as the real provider's are.
 */
export function withSimulatedProvider(gateway: PaymentGateway, db: Db, appEnv: string, deliver?: DeliverSimulatedEvent): PaymentGateway {
  return {
    refund: (request) => (deliver ? simulatedRefund(gateway, request, appEnv, deliver) : gateway.refund(request)),
    async charge(request) {
      if (!request.savedMethod) return gateway.charge(request);
      const [method] = await db.select().from(simulatedPaymentMethods).where(eq(simulatedPaymentMethods.id, request.savedMethod.paymentMethodId));
      if (!method || method.customerId !== request.savedMethod.customerId) return { outcome: 'declined', reason: `gateway declined: payment_method_unavailable (paymentId=${request.paymentId})` };
      const intent = await createSimulatedIntent(db, { ...request, appEnv });
      if (intent.status !== 'requires_payment_method' || intent.lastError) return chargeResultOf(intent, request.paymentId);
      const decided = await decideSavedCardCharge(gateway, request, method.behaviour);
      await db
        .update(simulatedIntents)
        .set({ ...decided, updatedAt: new Date() })
        .where(and(eq(simulatedIntents.id, intent.id), eq(simulatedIntents.status, 'requires_payment_method')));
      const [current] = await db.select().from(simulatedIntents).where(eq(simulatedIntents.id, intent.id));
      return chargeResultOf(current ?? intent, request.paymentId);
    },
  };
}
