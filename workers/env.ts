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
  /** Bearer key of the tax service (`TAX_CALCULATOR = "provider"`). */
  TAX_PROVIDER_API_KEY?: string;
  /** Bearer key for the HTTP email API (`EMAIL_TRANSPORT = "http"`); unset with the log transport. */
  EMAIL_API_KEY?: string;
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

const configCache = new WeakMap<object, AppConfig>();

/** Parses the plain vars once per env object; a bad value fails loudly at the first request. */
export function getConfig(env: AppEnv): AppConfig {
  let config = configCache.get(env);
  if (!config) {
    config = configSchema.parse(env);
    configCache.set(env, config);
  }
  return config;
}
