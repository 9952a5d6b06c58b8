import { stripeFailure, stripeRequest, type StripeOptions } from '@/payments/gateway';

/**
 * The provider's side of saved cards: a customer per buyer, setup intents the buyer confirms on the provider's form,
 * and the payment methods they leave attached to the customer. The shop keeps only ids and what the provider shows
 * (brand, last four digits, expiry) — never card data.
 */
export interface ProviderCard {
  id: string;
  /** The customer it is attached to; null once detached. */
  customerId: string | null;
  brand: string;
  last4: string;
  expMonth: number;
  expYear: number;
}

export interface VaultPort {
  provider: 'stripe' | 'simulated';
  /** Idempotent by user id: the same customer for the same buyer. */
  createCustomer(request: { userId: string }): Promise<{ id: string }>;
  /** A setup intent for saving one card for off-session use; `requestId` is its idempotency key. */
  createSetupIntent(request: { customerId: string; userId: string; requestId: string }): Promise<{ id: string; clientSecret: string }>;
  retrievePaymentMethod(id: string): Promise<ProviderCard | null>;
  detachPaymentMethod(id: string): Promise<void>;
}

type StripeCustomer = { id?: string };
type StripeSetupIntent = { id?: string; client_secret?: string };
type StripePaymentMethod = { id?: string; customer?: string | null; card?: { brand?: string; last4?: string; exp_month?: number; exp_year?: number } };

const appEnvMetadata = (appEnv: string | undefined): Record<string, string> => (appEnv ? { 'metadata[app_env]': appEnv } : {});

/** Customers, SetupIntents and PaymentMethods of the real provider over plain `fetch` (form-encoded, no SDK). */
export function createStripeVault(options: StripeOptions): VaultPort {
  return {
    provider: 'stripe',
    async createCustomer({ userId }) {
      const { status, body } = await stripeRequest<StripeCustomer>(options, '/v1/customers', { form: { 'metadata[user_id]': userId, ...appEnvMetadata(options.appEnv) }, idempotencyKey: `customer-${userId}` });
      if (status === 200 && body.id) return { id: body.id };
      throw stripeFailure(status, body, 'customer');
    },
    async createSetupIntent({ customerId, userId, requestId }) {
      const form = { customer: customerId, usage: 'off_session', 'automatic_payment_methods[enabled]': 'true', 'metadata[user_id]': userId, ...appEnvMetadata(options.appEnv) };
      const { status, body } = await stripeRequest<StripeSetupIntent>(options, '/v1/setup_intents', { form, idempotencyKey: `setup-${requestId}` });
      if (status === 200 && body.id && body.client_secret) return { id: body.id, clientSecret: body.client_secret };
      throw stripeFailure(status, body, 'setup intent');
    },
    async retrievePaymentMethod(id) {
      const { status, body } = await stripeRequest<StripePaymentMethod>(options, `/v1/payment_methods/${encodeURIComponent(id)}`, { method: 'GET' });
      if (status === 404) return null;
      if (status !== 200 || !body.id || !body.card?.last4) throw stripeFailure(status, body, 'payment method lookup');
      return { id: body.id, customerId: body.customer ?? null, brand: body.card.brand ?? 'card', last4: body.card.last4, expMonth: body.card.exp_month ?? 0, expYear: body.card.exp_year ?? 0 };
    },
    async detachPaymentMethod(id) {
      const { status, body } = await stripeRequest(options, `/v1/payment_methods/${encodeURIComponent(id)}/detach`, { form: {}, idempotencyKey: `detach-${id}` });
      // 404: the provider no longer knows it — the card is gone either way.
      if (status === 200 || status === 404) return;
      throw stripeFailure(status, body, 'payment method detach');
    },
  };
}
