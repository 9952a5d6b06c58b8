import { signWebhookPayload } from '@/payments/webhook-signature';

type IntentEventOptions = {
  type?: string;
  eventId?: string;
  intentId?: string;
  amountCents: number;
  currency?: string;
  paymentId: string;
  appEnv?: string;
  livemode?: boolean;
  account?: string;
  declineCode?: string;
};

/** A provider event about one payment intent, shaped as the provider sends it. */
export function intentEvent(options: IntentEventOptions) {
  return {
    id: options.eventId ?? `evt_${crypto.randomUUID().replaceAll('-', '')}`,
    object: 'event',
    api_version: '2024-06-20',
    created: Math.floor(Date.now() / 1000),
    type: options.type ?? 'payment_intent.succeeded',
    livemode: options.livemode ?? false,
    ...(options.account ? { account: options.account } : {}),
    data: {
      object: {
        id: options.intentId ?? `pi_${options.paymentId.replaceAll('-', '').slice(0, 24)}`,
        object: 'payment_intent',
        amount: options.amountCents,
        currency: (options.currency ?? 'usd').toLowerCase(),
        status: options.type === 'payment_intent.payment_failed' ? 'requires_payment_method' : 'succeeded',
        metadata: { payment_id: options.paymentId, app_env: options.appEnv ?? 'test' },
        last_payment_error: options.declineCode ? { code: 'card_declined', decline_code: options.declineCode } : null,
      },
    },
  };
}

/** The raw body and its signature header, as a delivery carries them. */
export async function signed(event: unknown, secret: string, timestamp?: number) {
  const body = JSON.stringify(event);
  return { body, headers: { 'content-type': 'application/json', 'stripe-signature': await signWebhookPayload(body, secret, timestamp) } };
}
