import { z } from 'zod';

import { ConfigurationError, getConfig, type AppEnv } from '@/env';

/** Answers whether a join request comes from a person (a challenge solved in the browser), per configuration. */
export interface TurnstileVerifier {
  /** The public widget key the SPA renders the challenge with; null when no check runs. */
  readonly siteKey: string | null;
  verify(token: string | undefined, remoteIp: string): Promise<boolean>;
}

export const TURNSTILE_SITEVERIFY_URL = 'https://challenges.cloudflare.com/turnstile/v0/siteverify';

const siteverifySchema = z.object({ success: z.boolean() });

/** The real check: Cloudflare Turnstile's siteverify endpoint (a missing token or any failure is "no"). */
function turnstileVerifier(secret: string, siteKey: string, fetcher: typeof fetch = fetch): TurnstileVerifier {
  return {
    siteKey,
    async verify(token, remoteIp) {
      if (!token) return false;
      const body = new URLSearchParams({ secret, response: token, remoteip: remoteIp });
      try {
        const res = await fetcher(TURNSTILE_SITEVERIFY_URL, { method: 'POST', body, signal: AbortSignal.timeout(5000) });
        const parsed = siteverifySchema.safeParse(await res.json());
        return res.ok && parsed.success && parsed.data.success;
      } catch {
        return false;
      }
    },
  };
}

/** No check: local development and tests only. */
const noBotCheck: TurnstileVerifier = { siteKey: null, verify: () => Promise.resolve(true) };

type BotSettings = Pick<AppEnv, 'BOT_CHECK' | 'TURNSTILE_SITE_KEY' | 'TURNSTILE_SECRET'>;

/**
 * `BOT_CHECK = "turnstile"` (needs the `TURNSTILE_SECRET` secret) or `"off"`. Fails closed like the payment
 * settings: production refuses `off`, and `turnstile` without its secret, with a {@link ConfigurationError}
 * (503 on the join, never a check that always passes).
 */
export function botCheckFromEnv(env: AppEnv & BotSettings, fetcher?: typeof fetch): TurnstileVerifier {
  const mode = (env.BOT_CHECK ?? 'off').trim().toLowerCase();
  if (mode === 'turnstile') {
    if (!env.TURNSTILE_SECRET) throw new ConfigurationError('BOT_CHECK=turnstile needs the TURNSTILE_SECRET secret');
    return turnstileVerifier(env.TURNSTILE_SECRET, env.TURNSTILE_SITE_KEY ?? '', fetcher);
  }
  if (mode !== 'off') throw new ConfigurationError(`BOT_CHECK must be "turnstile" or "off", not "${mode}"`);
  if (getConfig(env).APP_ENV === 'production') throw new ConfigurationError('APP_ENV=production refuses BOT_CHECK=off: set BOT_CHECK=turnstile with the TURNSTILE_SECRET secret');
  return noBotCheck;
}
