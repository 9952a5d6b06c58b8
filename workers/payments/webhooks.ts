import { and, eq } from 'drizzle-orm';
import { z } from 'zod';

import type { AppEnv } from '@/env';
import { recordConfirmedSetup } from '@/payments/methods';
import { findPaymentById, settlePendingPayment, updateWaitingPayment, type PaymentRow } from '@/payments/records';
import { completeRefund } from '@/payments/refunds';
import { paymentOutcomeEvents, recordApproval, type PaymentDeps } from '@/payments/service';
import { paymentRefunds, paymentWebhookEvents } from '@/payments/tables';
import { verifyWebhookSignature } from '@/payments/webhook-signature';
import { AppError, notFound } from '@/platform/errors';

export const WEBHOOK_PROVIDERS = ['stripe', 'simulated'] as const;
export type WebhookProvider = (typeof WEBHOOK_PROVIDERS)[number];

/** The event types this shop subscribes to; anything else is refused (a misconfigured endpoint or a forgery). */
const HANDLED_EVENT_TYPES = ['payment_intent.succeeded', 'payment_intent.payment_failed', 'payment_intent.canceled'] as const;
export type HandledType = (typeof HANDLED_EVENT_TYPES)[number];
/** Saving a card: a succeeded setup records it; a failed one changes nothing here (the buyer saw why on the form). */
const SETUP_EVENT_TYPES = ['setup_intent.succeeded', 'setup_intent.setup_failed'] as const;
/** A refund's progress at the provider: only `succeeded` records it (docs/decisions/payments.md). */
const REFUND_EVENT_TYPES = ['refund.created', 'refund.updated', 'refund.failed'] as const;

/** What a delivery must match besides its signature. */
export interface WebhookSettings {
  provider: WebhookProvider;
  /** Current secret first; the previous one during a rotation. */
  secrets: string[];
  /** Live-mode events are accepted only with a live API key (`sk_live_…`); the simulator is never live. */
  livemode: boolean;
  /** Events naming a connected `account` must name this one (our platform's own events name none). */
  account: string | null;
  /** Our intents carry `metadata.app_env`; another environment's events sharing the provider account are refused. */
  appEnv: string;
}

const presentSecrets = (...secrets: (string | undefined)[]): string[] => secrets.filter((secret): secret is string => !!secret);

/** The provider configured for this Worker; null (→ 404) for the other one, so an unused endpoint accepts nothing. */
export function webhookSettingsFromEnv(env: AppEnv, provider: WebhookProvider): WebhookSettings | null {
  const configured: WebhookProvider = env.PAYMENT_GATEWAY_MODE?.trim().toLowerCase() === 'stripe' ? 'stripe' : 'simulated';
  if (provider !== configured) return null;
  const appEnv = env.APP_ENV ?? 'development';
  if (provider === 'simulated') return { provider, secrets: presentSecrets(env.SIMULATED_WEBHOOK_SECRET), livemode: false, account: null, appEnv };
  return {
    provider,
    secrets: presentSecrets(env.STRIPE_WEBHOOK_SECRET, env.STRIPE_WEBHOOK_SECRET_PREVIOUS),
    livemode: env.STRIPE_SECRET_KEY?.startsWith('sk_live_') ?? false,
    account: env.STRIPE_ACCOUNT_ID ?? null,
    appEnv,
  };
}

const eventSchema = z.object({
  id: z.string().min(1).max(255),
  object: z.literal('event'),
  type: z.string().min(1).max(64),
  livemode: z.boolean(),
  account: z.string().max(255).optional(),
  data: z.object({ object: z.record(z.string(), z.unknown()) }),
});

export const intentSchema = z.object({
  id: z.string().min(1).max(100),
  object: z.literal('payment_intent'),
  status: z.string().max(64).optional(),
  amount: z.number().int().positive(),
  currency: z.string().regex(/^[a-zA-Z]{3}$/),
  metadata: z.record(z.string(), z.string()).default({}),
  last_payment_error: z.object({ code: z.string().max(100).optional(), decline_code: z.string().max(100).optional() }).nullish(),
});

export const setupIntentSchema = z.object({
  id: z.string().min(1).max(100),
  object: z.literal('setup_intent'),
  status: z.string().max(64).optional(),
  customer: z.string().max(100).nullable(),
  payment_method: z.string().max(100).nullable(),
  metadata: z.record(z.string(), z.string()).default({}),
});

export const refundObjectSchema = z.object({
  id: z.string().min(1).max(100),
  object: z.literal('refund'),
  status: z.string().max(64).nullish(),
  amount: z.number().int().positive(),
  currency: z.string().regex(/^[a-zA-Z]{3}$/),
  payment_intent: z.string().max(100).nullish(),
  metadata: z.record(z.string(), z.string()).default({}),
});

type ProviderEvent = z.infer<typeof eventSchema>;
export type Intent = z.infer<typeof intentSchema>;

export type WebhookOutcome = 'applied' | 'stale' | 'duplicate';

const refuse = (status: 400 | 422, code: string, message: string) => new AppError(status, code, message);

/**
 * One signed delivery: verify the signature over the raw body, skip an event id already applied, check the event
 * against our payment (environment, account, amount, currency, intent), then move the payment through the saga and
 * publish its outcome. Whatever is refused throws an {@link AppError} (4xx) before anything is written.
 */
export async function handleWebhookDelivery(
  deps: PaymentDeps,
  settings: WebhookSettings,
  delivery: { rawBody: string; signature: string | undefined; correlationId: string },
): Promise<{ outcome: WebhookOutcome; eventId: string }> {
  const check = await verifyWebhookSignature(delivery.rawBody, delivery.signature, settings.secrets);
  if (!check.valid) throw refuse(400, 'WEBHOOK_SIGNATURE_INVALID', `The webhook signature is ${check.reason === 'stale' ? 'outside the timestamp tolerance' : 'not valid'}`);
  const event = parseEvent(delivery.rawBody);
  if (await alreadyApplied(deps, settings.provider, event.id)) return { outcome: 'duplicate', eventId: event.id };
  if ((SETUP_EVENT_TYPES as readonly string[]).includes(event.type)) return handleSetupEvent(deps, settings, event);
  if ((REFUND_EVENT_TYPES as readonly string[]).includes(event.type)) return handleRefundEvent(deps, settings, event);
  if (!(HANDLED_EVENT_TYPES as readonly string[]).includes(event.type)) throw refuse(400, 'WEBHOOK_EVENT_UNSUPPORTED', `Event type ${event.type} is not handled`);
  const intent = intentSchema.safeParse(event.data.object);
  if (!intent.success) throw refuse(400, 'WEBHOOK_EVENT_INVALID', 'The event does not carry a payment intent');
  const payment = await matchPayment(deps, settings, event, intent.data);
  const outcome = await applyIntentEvent(deps, payment, event.type as HandledType, intent.data, delivery.correlationId);
  await deps.db.insert(paymentWebhookEvents).values({ provider: settings.provider, eventId: event.id, type: event.type, paymentId: payment.id, outcome }).onConflictDoNothing();
  return { outcome, eventId: event.id };
}

function parseEvent(rawBody: string): ProviderEvent {
  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch {
    throw refuse(400, 'WEBHOOK_EVENT_INVALID', 'The webhook body is not valid JSON');
  }
  const parsed = eventSchema.safeParse(json);
  if (!parsed.success) throw refuse(400, 'WEBHOOK_EVENT_INVALID', 'The webhook body is not a provider event');
  return parsed.data;
}

async function alreadyApplied(deps: PaymentDeps, provider: WebhookProvider, eventId: string): Promise<boolean> {
  const [row] = await deps.db
    .select({ eventId: paymentWebhookEvents.eventId })
    .from(paymentWebhookEvents)
    .where(and(eq(paymentWebhookEvents.provider, provider), eq(paymentWebhookEvents.eventId, eventId)));
  return row !== undefined;
}

/** The event must be of our mode, account and environment (422 otherwise). */
function checkEventScope(settings: WebhookSettings, event: ProviderEvent, metadata: Record<string, string>): void {
  if (event.livemode !== settings.livemode) throw refuse(422, 'WEBHOOK_REFUSED', `A ${event.livemode ? 'live' : 'test'}-mode event is not accepted here`);
  if (event.account !== undefined && event.account !== settings.account) throw refuse(422, 'WEBHOOK_REFUSED', 'The event belongs to another provider account');
  if (metadata.app_env !== settings.appEnv) throw refuse(422, 'WEBHOOK_REFUSED', 'The intent belongs to another environment');
}

/** A setup intent's event: a succeeded one records the buyer's new card (see `recordConfirmedSetup`). */
async function handleSetupEvent(deps: PaymentDeps, settings: WebhookSettings, event: ProviderEvent): Promise<{ outcome: WebhookOutcome; eventId: string }> {
  const parsed = setupIntentSchema.safeParse(event.data.object);
  if (!parsed.success) throw refuse(400, 'WEBHOOK_EVENT_INVALID', 'The event does not carry a setup intent');
  const setup = parsed.data;
  checkEventScope(settings, event, setup.metadata);
  if (!deps.vault) throw new Error('saved payment methods are not configured');
  let outcome: WebhookOutcome = 'stale';
  if (event.type === 'setup_intent.succeeded') {
    if (!setup.customer || !setup.payment_method) throw refuse(400, 'WEBHOOK_EVENT_INVALID', 'A succeeded setup intent names its customer and payment method');
    const result = await recordConfirmedSetup({ db: deps.db, vault: deps.vault, transaction: deps.transaction }, { customerId: setup.customer, userId: setup.metadata.user_id, paymentMethodId: setup.payment_method });
    if ('refused' in result) throw refuse(422, 'WEBHOOK_REFUSED', result.refused);
    outcome = result.outcome;
  }
  await deps.db.insert(paymentWebhookEvents).values({ provider: settings.provider, eventId: event.id, type: event.type, paymentId: null, outcome }).onConflictDoNothing();
  return { outcome, eventId: event.id };
}

/** Our refund row this provider refund is, or a 422 naming the first thing that does not match. */
async function matchRefund(deps: PaymentDeps, refund: z.infer<typeof refundObjectSchema>) {
  const refundId = z.guid().safeParse(refund.metadata.refund_id);
  const [row] = refundId.success ? await deps.db.select().from(paymentRefunds).where(eq(paymentRefunds.id, refundId.data)) : [];
  const payment = row ? await findPaymentById(deps.db, row.paymentId) : undefined;
  if (!row || !payment || refund.metadata.payment_id !== payment.id) throw refuse(422, 'WEBHOOK_REFUSED', 'The refund is not one of ours');
  if ((row.gatewayReference !== null && row.gatewayReference !== refund.id) || (refund.payment_intent && refund.payment_intent !== payment.gatewayReference)) {
    throw refuse(422, 'WEBHOOK_REFUSED', 'The refund does not belong to this payment');
  }
  if (refund.amount !== row.amountCents || refund.currency.toUpperCase() !== payment.currency) throw refuse(422, 'WEBHOOK_REFUSED', 'The refund amount or currency differs from ours');
  return { row, payment };
}

/**
 * A refund's event: `succeeded` completes our PENDING refund (money conserved: `completeRefund` adds it once);
 * pending, failed or canceled change nothing here — a failed refund stays PENDING, logged for an operator.
 * Repeated and out-of-order events are harmless: a completed refund is never moved back.
 */
async function handleRefundEvent(deps: PaymentDeps, settings: WebhookSettings, event: ProviderEvent): Promise<{ outcome: WebhookOutcome; eventId: string }> {
  const parsed = refundObjectSchema.safeParse(event.data.object);
  if (!parsed.success) throw refuse(400, 'WEBHOOK_EVENT_INVALID', 'The event does not carry a refund');
  const refund = parsed.data;
  checkEventScope(settings, event, refund.metadata);
  const { row, payment } = await matchRefund(deps, refund);
  let outcome: WebhookOutcome = 'stale';
  if (refund.status === 'succeeded') {
    outcome = (await completeRefund(deps, row.id, refund.id)).recorded ? 'applied' : 'stale';
  } else if (refund.status === 'failed' || refund.status === 'canceled') {
    deps.logger.error('the provider could not make a refund; it stays PENDING for an operator', { refundId: row.id, paymentId: payment.id, status: refund.status });
  }
  await deps.db.insert(paymentWebhookEvents).values({ provider: settings.provider, eventId: event.id, type: event.type, paymentId: payment.id, outcome }).onConflictDoNothing();
  return { outcome, eventId: event.id };
}

/** Our payment for this intent, or a 422 naming the first thing that does not match. */
async function matchPayment(deps: PaymentDeps, settings: WebhookSettings, event: ProviderEvent, intent: Intent): Promise<PaymentRow> {
  checkEventScope(settings, event, intent.metadata);
  const paymentId = z.guid().safeParse(intent.metadata.payment_id);
  const payment = paymentId.success ? await findPaymentById(deps.db, paymentId.data) : undefined;
  if (!payment) throw refuse(422, 'WEBHOOK_REFUSED', 'The payment intent is not one of our payments');
  if (payment.gatewayReference !== null && payment.gatewayReference !== intent.id) throw refuse(422, 'WEBHOOK_REFUSED', 'The payment intent does not belong to this payment');
  if (intent.amount !== payment.amountCents || intent.currency.toUpperCase() !== payment.currency) {
    throw refuse(422, 'WEBHOOK_REFUSED', 'The payment intent amount or currency differs from the payment');
  }
  return payment;
}

/**
 * Moves the payment as the event says, from wherever it is: events arrive out of order and more than once, so only
 * a move from PENDING (or, for a success, from FAILED: the money was taken after all, and the orders side refunds a
 * cancelled order's late payment) is applied; anything else is `stale`. Every decided payment re-publishes its
 * outcome (idempotent by event id on the orders side), so a publish that failed before is repaired by the retry.
 */
export async function applyIntentEvent(deps: PaymentDeps, payment: PaymentRow, type: HandledType, intent: Intent, correlationId: string): Promise<WebhookOutcome> {
  let outcome: WebhookOutcome = 'stale';
  if (type === 'payment_intent.succeeded') {
    if (payment.status === 'PENDING') {
      await recordApproval(deps, payment, intent.id, correlationId);
      outcome = 'applied';
    } else if (payment.status === 'FAILED') {
      await settlePendingPayment(deps.db, payment.id, { status: 'COMPLETED', gatewayReference: intent.id, reason: 'provider reported success after a failure' }, 'FAILED');
      deps.logger.warn('payment succeeded after it was recorded as failed; the order side refunds it', { paymentId: payment.id });
      outcome = 'applied';
    }
  } else if (payment.status === 'PENDING') {
    const code = intent.last_payment_error?.decline_code ?? intent.last_payment_error?.code ?? (type === 'payment_intent.canceled' ? 'canceled' : 'card_declined');
    const reason = `gateway declined: ${code} (paymentId=${payment.id})`.slice(0, 255);
    if (type === 'payment_intent.payment_failed' && payment.confirmation === 'client') {
      // One declined attempt of the buyer's: the intent takes another card while the stock is held.
      await recordDeclinedAttempt(deps, payment.id, intent.id, reason);
    } else {
      await settlePendingPayment(deps.db, payment.id, { status: 'FAILED', gatewayReference: intent.id, failureReason: reason, reason });
    }
    outcome = 'applied';
  }
  const settled = await findPaymentById(deps.db, payment.id);
  if (!settled) throw notFound('PAYMENT_NOT_FOUND', 'Payment not found');
  await Promise.all((await paymentOutcomeEvents(deps.db, settled, correlationId)).map((event) => deps.publish(event)));
  return outcome;
}

/** The payment stays PENDING; its failure reason tells the buyer why the last card was refused. */
async function recordDeclinedAttempt(deps: PaymentDeps, paymentId: string, intentId: string, reason: string): Promise<void> {
  await updateWaitingPayment(deps.db, paymentId, { failureReason: reason, gatewayReference: intentId }, "the buyer's card was declined; waiting for another");
}
