/**
 * The payment provider behind one interface: a deterministic simulated gateway for
 * local runs and tests, and a Stripe PaymentIntents adapter for production. The saga only sees
 * three outcomes — approved, declined (a business result, never retried) and a thrown
 * {@link TransientGatewayError} (retried with backoff, then dead-lettered).
 */

export interface ChargeRequest {
  /** The payment id: the gateway reference and the provider's idempotency key, stable across redeliveries. */
  paymentId: string;
  orderId: string;
  amountCents: number;
  currency: string;
  /** The buyer's saved card to charge off-session (docs/decisions/payments.md); without it, the configured gateway's own charge. */
  savedMethod?: SavedMethodRef;
}

export interface SavedMethodRef {
  customerId: string;
  paymentMethodId: string;
}

export type ChargeResult =
  | { outcome: 'approved'; gatewayReference: string }
  | { outcome: 'declined'; reason: string }
  /** The provider needs the buyer (3-D Secure on a saved card): they confirm the intent with its client secret. */
  | { outcome: 'requires_action'; gatewayReference: string; clientSecret: string };

export interface RefundRequest {
  paymentId: string;
  gatewayReference: string | null;
  amountCents: number;
  /** The provider's idempotency key; default `refund-<paymentId>` (one full refund). Partial refunds pass their own. */
  idempotencyKey?: string;
  /** Our refund row (`payment_refunds.id`): sent as `metadata.refund_id`, by which the provider's refund webhook finds it. */
  refundId?: string;
  currency?: string;
}

/**
 * `succeeded`: the money went back, record it now; `pending`: the provider confirms it later by its signed refund
 * webhook (docs/decisions/payments.md), which records it.
 */
export type RefundResult = { refundReference: string; status: 'succeeded' | 'pending' };

export interface PaymentGateway {
  charge(request: ChargeRequest): Promise<ChargeResult>;
  refund(request: RefundRequest): Promise<RefundResult>;
}

/** Timeouts, 5xx, rate limits, network loss: worth retrying. */
export class TransientGatewayError extends Error {
  override readonly name = 'TransientGatewayError';
}

export type SimulatedMode =
  | { kind: 'success' }
  | { kind: 'decline' }
  | { kind: 'transient' }
  /** `transientRate`: the share of calls that time out first (drawn per call, not per payment, so a retry can pass). */
  | { kind: 'random'; successRate: number; transientRate?: number };

/** Parses `success` | `decline` | `transient` | `random(0.9)` | `random(0.8,0.2)` (success rate, transient share of calls). */
export function parseGatewayMode(value: string | undefined): SimulatedMode {
  const mode = (value ?? 'success').trim().toLowerCase();
  if (mode === 'success' || mode === 'decline' || mode === 'transient') return { kind: mode };
  const rate = '(0(?:\\.\\d+)?|1(?:\\.0+)?)';
  const random = new RegExp(`^random\\(${rate}(?:,\\s*${rate})?\\)$`).exec(mode);
  if (random) return random[2] === undefined ? { kind: 'random', successRate: Number(random[1]) } : { kind: 'random', successRate: Number(random[1]), transientRate: Number(random[2]) };
  throw new Error(`PAYMENT_GATEWAY_MODE must be success, decline, transient, random(<0..1>[,<0..1>]) or stripe, got "${value}"`);
}

/** Parses `"50-200"` or `"0"` into a latency range in milliseconds. */
export function parseLatency(value: string | undefined): [number, number] {
  const match = /^(\d+)(?:-(\d+))?$/.exec((value ?? '0').trim());
  if (!match) return [0, 0];
  const min = Number(match[1]);
  return [min, Math.max(min, Number(match[2] ?? min))];
}

/** A number in [0, 1) derived from the text: the same payment always gets the same answer. */
async function unitHash(text: string): Promise<number> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  return ((digest[0]! << 16) | (digest[1]! << 8) | digest[2]!) / 2 ** 24;
}

/**
 * Simulated gateway (the seed's mock, made deterministic): the outcome depends only on the mode and
 * the payment id, so a redelivered charge gets the same answer; latency is drawn the same way.
 */
export function createSimulatedGateway(
  mode: SimulatedMode,
  latencyMs: [number, number] = [0, 0],
  sleep = (ms: number) => new Promise((r) => setTimeout(r, ms)),
  random: () => number = Math.random,
): PaymentGateway {
  const wait = async (seed: string) => {
    const [min, max] = latencyMs;
    if (max > 0) await sleep(min + Math.floor((await unitHash(`latency:${seed}`)) * (max - min + 1)));
  };
  return {
    async charge(request) {
      await wait(request.paymentId);
      const approve = () => ({ outcome: 'approved' as const, gatewayReference: `MOCK-${request.paymentId}` });
      const decline = () => ({ outcome: 'declined' as const, reason: `gateway declined (paymentId=${request.paymentId})` });
      switch (mode.kind) {
        case 'success':
          return approve();
        case 'decline':
          return decline();
        case 'transient':
          throw new TransientGatewayError('simulated gateway timeout');
        case 'random':
          if (mode.transientRate !== undefined && random() < mode.transientRate) throw new TransientGatewayError('simulated gateway timeout');
          return (await unitHash(request.paymentId)) < mode.successRate ? approve() : decline();
      }
    },
    async refund(request) {
      await wait(`refund:${request.paymentId}`);
      if (mode.kind === 'transient') throw new TransientGatewayError('simulated gateway timeout');
      return { refundReference: `MOCK-REFUND-${request.idempotencyKey ?? request.paymentId}`.slice(0, 100), status: 'succeeded' };
    },
  };
}

type Fetch = (input: string, init: RequestInit) => Promise<Response>;

export interface StripeOptions {
  secretKey: string;
  fetch?: Fetch;
  baseUrl?: string;
  /** Written into every intent's `metadata.app_env`; webhooks of other environments are refused by it. */
  appEnv?: string;
}

type StripeBody = {
  id?: string;
  status?: string;
  client_secret?: string;
  error?: { code?: string; decline_code?: string; message?: string; type?: string; payment_intent?: { id?: string; client_secret?: string } };
};

/** An off-session charge the provider wants the buyer to authenticate: 402 `authentication_required`, or a 200 intent in `requires_action`. */
function actionNeeded(status: number, body: StripeBody): { id: string; clientSecret: string } | null {
  const intent = status === 402 && body.error?.code === 'authentication_required' ? body.error.payment_intent : status === 200 && body.status === 'requires_action' ? body : undefined;
  return intent?.id && intent.client_secret ? { id: intent.id, clientSecret: intent.client_secret } : null;
}

/**
 * One call to the provider: a form-encoded POST with an idempotency key, or a GET (no form); network failures are
 * transient.
 */
export async function stripeRequest<B = StripeBody>(
  options: StripeOptions,
  path: string,
  request: { form: Record<string, string>; idempotencyKey: string } | { method: 'GET' },
): Promise<{ status: number; body: B & StripeBody }> {
  const doFetch: Fetch = options.fetch ?? ((input, init) => fetch(input, init));
  const init: RequestInit =
    'form' in request
      ? {
          method: 'POST',
          headers: { authorization: `Bearer ${options.secretKey}`, 'content-type': 'application/x-www-form-urlencoded', 'idempotency-key': request.idempotencyKey },
          body: new URLSearchParams(request.form).toString(),
        }
      : { method: 'GET', headers: { authorization: `Bearer ${options.secretKey}` } };
  let res: Response;
  try {
    res = await doFetch(`${options.baseUrl ?? 'https://api.stripe.com'}${path}`, init);
  } catch (err) {
    throw new TransientGatewayError(`payment provider unreachable: ${err instanceof Error ? err.message : String(err)}`);
  }
  return { status: res.status, body: (await res.json().catch(() => ({}))) as B & StripeBody };
}

const stripePost = (options: StripeOptions, path: string, form: Record<string, string>, idempotencyKey: string) => stripeRequest(options, path, { form, idempotencyKey });

/** 409 (idempotency conflict), 429 and 5xx are worth retrying; other failures are our request's or credentials' fault. */
export function stripeFailure(status: number, body: StripeBody, what: string): Error {
  if (status === 409 || status === 429 || status >= 500) return new TransientGatewayError(`payment provider answered ${status}`);
  return new Error(`${what} rejected: ${status} ${body.error?.message ?? ''}`.trim());
}

const intentMetadata = (request: { paymentId: string; orderId: string }, appEnv: string | undefined) => ({
  'metadata[order_id]': request.orderId,
  'metadata[payment_id]': request.paymentId,
  ...(appEnv ? { 'metadata[app_env]': appEnv } : {}),
});

/**
 * Stripe PaymentIntents over HTTP (no SDK: plain `fetch`, form-encoded). The payment id is sent as
 * `Idempotency-Key`, so a resumed charge never charges twice. Card errors (402) are declines; 409
 * (idempotency conflict), 429, 5xx and network failures are transient.
 */
export function createStripeGateway(options: StripeOptions & { paymentMethod?: string }): PaymentGateway {
  const post = (path: string, form: Record<string, string>, idempotencyKey: string) => stripePost(options, path, form, idempotencyKey);
  return {
    async charge(request) {
      const { status, body } = await post(
        '/v1/payment_intents',
        {
          amount: String(request.amountCents),
          currency: request.currency.toLowerCase(),
          confirm: 'true',
          ...(request.savedMethod
            ? { customer: request.savedMethod.customerId, payment_method: request.savedMethod.paymentMethodId, off_session: 'true' }
            : { payment_method: options.paymentMethod ?? 'pm_card_visa' }),
          'automatic_payment_methods[enabled]': 'true',
          'automatic_payment_methods[allow_redirects]': 'never',
          ...intentMetadata(request, options.appEnv),
        },
        request.paymentId,
      );
      if (status === 200 && body.status === 'succeeded' && body.id) return { outcome: 'approved', gatewayReference: body.id };
      const action = actionNeeded(status, body);
      if (action) return { outcome: 'requires_action', gatewayReference: action.id, clientSecret: action.clientSecret };
      if (status === 402 || (status === 200 && body.status === 'requires_payment_method')) {
        const code = body.error?.decline_code ?? body.error?.code ?? 'card_declined';
        return { outcome: 'declined', reason: `gateway declined: ${code} (paymentId=${request.paymentId})`.slice(0, 255) };
      }
      if (status === 409 || status === 429 || status >= 500 || status === 200) {
        throw new TransientGatewayError(`payment provider answered ${status} ${body.status ?? body.error?.code ?? ''}`.trim());
      }
      // 400/401/403/404: our request or credentials are wrong — no retry will fix it.
      throw new Error(`payment provider rejected the request: ${status} ${body.error?.message ?? ''}`.trim());
    },
    async refund(request) {
      if (!request.gatewayReference) throw new Error('cannot refund a payment without a gateway reference');
      const form = {
        payment_intent: request.gatewayReference,
        amount: String(request.amountCents),
        'metadata[payment_id]': request.paymentId,
        ...(request.refundId ? { 'metadata[refund_id]': request.refundId } : {}),
        ...(options.appEnv ? { 'metadata[app_env]': options.appEnv } : {}),
      };
      const { status, body } = await post('/v1/refunds', form, request.idempotencyKey ?? `refund-${request.paymentId}`);
      if (status === 200 && body.id && body.status === 'succeeded') return { refundReference: body.id, status: 'succeeded' };
      if (status === 200 && body.id && (body.status === 'pending' || body.status === 'requires_action')) return { refundReference: body.id, status: 'pending' };
      throw stripeFailure(status, body, 'refund');
    },
  };
}

/**
 * A client-confirmed intent (no `confirm`): the browser confirms it with the returned client secret. Idempotency key =
 * the payment id, so a redelivered `order.created` gets the same intent back.
 */
export async function createStripeIntent(options: StripeOptions, request: { paymentId: string; orderId: string; amountCents: number; currency: string }): Promise<{ id: string; clientSecret: string }> {
  const { status, body } = await stripePost(
    options,
    '/v1/payment_intents',
    { amount: String(request.amountCents), currency: request.currency.toLowerCase(), 'automatic_payment_methods[enabled]': 'true', ...intentMetadata(request, options.appEnv) },
    request.paymentId,
  );
  if (status === 200 && body.id && body.client_secret) return { id: body.id, clientSecret: body.client_secret };
  throw stripeFailure(status, body, 'payment intent');
}

/** The gateway configured for this environment (`PAYMENT_GATEWAY_MODE`, `PAYMENT_GATEWAY_LATENCY_MS`). */
export function gatewayFromEnv(env: { PAYMENT_GATEWAY_MODE?: string; PAYMENT_GATEWAY_LATENCY_MS?: string; STRIPE_SECRET_KEY?: string; APP_ENV?: string }): PaymentGateway {
  if (env.PAYMENT_GATEWAY_MODE?.trim().toLowerCase() === 'stripe') {
    if (!env.STRIPE_SECRET_KEY) throw new Error('PAYMENT_GATEWAY_MODE=stripe needs the STRIPE_SECRET_KEY secret');
    return createStripeGateway({ secretKey: env.STRIPE_SECRET_KEY, appEnv: env.APP_ENV });
  }
  return createSimulatedGateway(parseGatewayMode(env.PAYMENT_GATEWAY_MODE), parseLatency(env.PAYMENT_GATEWAY_LATENCY_MS));
}
