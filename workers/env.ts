import { z } from 'zod';

import type { Logger } from '@/platform/logger';

/**
 * Secrets and per-machine values are not in wrangler.toml, so `wrangler types` cannot see them:
 * they are declared here, once. Locally `npm start` passes them as `--var`s; production sets them
 * with `wrangler secret put`.
 */
interface Secrets {
  /** Postgres connection string (Neon in production, the embedded database locally). */
  DATABASE_URL: string;
  /** `host:port` of the local proxy that speaks Neon's WebSocket and HTTP transports; unset in production. */
  NEON_LOCAL_PROXY?: string;
  /** ES256 private JWK (JSON, with `kid`) that signs access tokens; `npm start` writes one into `.dev.vars`. */
  JWT_PRIVATE_KEY: string;
  /** Only with `PAYMENT_GATEWAY_MODE = "stripe"`: the provider's secret API key. */
  STRIPE_SECRET_KEY?: string;
  /** Only with `PAYMENT_GATEWAY_MODE = "stripe"`: the webhook endpoint's signing secret (`whsec_…`). */
  STRIPE_WEBHOOK_SECRET?: string;
  /** The previous signing secret, accepted as well while a rotation is under way; unset otherwise. */
  STRIPE_WEBHOOK_SECRET_PREVIOUS?: string;
  /** Only when the shop runs as a connected account: webhook events naming another `account` are refused. */
  STRIPE_ACCOUNT_ID?: string;
  /**
   * `"true"` lets `APP_ENV = "production"` run the simulated payment provider (a staging deploy); anything else
   * refuses it at start-up (docs/decisions/payments.md, "Fails closed").
   */
  ALLOW_SIMULATED_PAYMENTS?: string;
  /** Bearer key of the tax service (`TAX_CALCULATOR = "provider"`). */
  TAX_PROVIDER_API_KEY?: string;
  /** Bearer key for the HTTP email API (`EMAIL_TRANSPORT = "http"`); unset with the log transport. */
  EMAIL_API_KEY?: string;
  /** Only with `BOT_CHECK = "turnstile"`: the Turnstile widget's secret key (siteverify). */
  TURNSTILE_SECRET?: string;
  /** Bearer token for the OpenAI-compatible embeddings server (`EMBEDDER = "http"`), if it needs one. */
  EMBEDDINGS_API_KEY?: string;
}

// Both the global `Env` (handlers) and `Cloudflare.Env` (`cloudflare:test`, `cloudflare:workers`) carry them;
// the namespace is the one `wrangler types` generates, so it cannot be a module.
declare global {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface Env extends Secrets {}
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Cloudflare {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface Env extends Secrets {}
  }
}

export type AppEnv = Env;

/** The caller, as proven by a verified access token (never by a client-set header). */
export interface AuthUser {
  id: string;
  email: string;
  role: 'customer' | 'seller' | 'admin';
}

export interface AppVariables {
  user: AuthUser | undefined;
  requestId: string;
  correlationId: string;
  logger: Logger;
  /** Set by hono's secureHeaders where a CSP uses a nonce (the API reference page). */
  secureHeadersNonce?: string;
  /** A cache-first read's rate limit, left by the `/api` middleware to the handler for a cache miss. */
  limitBeforeProducing?: () => Promise<void>;
  /** Behind `requireAuthBesideHandler`: resolves once the session check running beside the handler has passed. */
  sessionProven?: () => Promise<void>;
}

export interface AppBindings {
  Bindings: AppEnv;
  Variables: AppVariables;
}

const configSchema = z.object({
  APP_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  CORS_ORIGINS: z
    .string()
    .default('')
    .transform((value) =>
      value
        .split(',')
        .map((origin) => origin.trim())
        .filter(Boolean),
    ),
});

export type AppConfig = z.infer<typeof configSchema>;

/** Settings this Worker refuses to run with; `app.onError` answers 503 and logs the message. */
export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
}

type PaymentSettings = Partial<
  Record<'PAYMENT_GATEWAY_MODE' | 'STRIPE_SECRET_KEY' | 'STRIPE_WEBHOOK_SECRET' | 'STRIPE_PUBLISHABLE_KEY' | 'SIMULATED_WEBHOOK_SECRET' | 'ALLOW_SIMULATED_PAYMENTS', string>
>;

/**
 * Why these payment settings must not take orders, or null. Production fails closed: the simulated provider
 * approves without taking money, so it runs there only with `ALLOW_SIMULATED_PAYMENTS = "true"` (staging), and the
 * real one needs its API key and webhook signing secret (and, in production, the publishable key its card form needs).
 */
export function paymentSettingsProblem(appEnv: AppConfig['APP_ENV'], env: PaymentSettings): string | null {
  const mode = (env.PAYMENT_GATEWAY_MODE ?? 'success').trim().toLowerCase();
  if (mode === 'stripe') {
    const missing = (['STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET'] as const).filter((name) => !env[name]);
    if (missing.length > 0) return `PAYMENT_GATEWAY_MODE=stripe needs the ${missing.join(' and ')} secret${missing.length > 1 ? 's' : ''}`;
    // Without it the checkout cannot show the provider's card form, so buyers could not pay.
    return appEnv === 'production' && !env.STRIPE_PUBLISHABLE_KEY?.trim() ? 'PAYMENT_GATEWAY_MODE=stripe in production needs the STRIPE_PUBLISHABLE_KEY var (the card form at checkout)' : null;
  }
  if (appEnv !== 'production') return null;
  if (env.ALLOW_SIMULATED_PAYMENTS !== 'true') {
    return `APP_ENV=production refuses the simulated payment provider (PAYMENT_GATEWAY_MODE=${mode}): set PAYMENT_GATEWAY_MODE=stripe with the STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET secrets, or ALLOW_SIMULATED_PAYMENTS=true for a staging deploy that takes no real money`;
  }
  return env.SIMULATED_WEBHOOK_SECRET ? null : 'the simulated payment provider needs the SIMULATED_WEBHOOK_SECRET secret';
}

const configCache = new WeakMap<object, AppConfig>();

/**
 * Parses the plain vars once per env object and checks the payment settings; a bad value fails loudly (a
 * {@link ConfigurationError}) at the first request, queue batch or cron run — nothing is served or charged.
 */
export function getConfig(env: AppEnv): AppConfig {
  let config = configCache.get(env);
  if (!config) {
    const parsed = configSchema.safeParse(env);
    if (!parsed.success) throw new ConfigurationError(`invalid settings: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
    const problem = paymentSettingsProblem(parsed.data.APP_ENV, env);
    if (problem) throw new ConfigurationError(problem);
    config = parsed.data;
    configCache.set(env, config);
  }
  return config;
}
