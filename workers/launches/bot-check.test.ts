import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';

import { ConfigurationError } from '@/env';
import { botCheckFromEnv, TURNSTILE_SITEVERIFY_URL } from '@/launches/bot-check';

/** A siteverify stand-in that records the form it got and answers `success`. */
function siteverify(success: boolean | 'broken') {
  const seen: { url: string; form: URLSearchParams }[] = [];
  const fetcher = (async (url: string, init: RequestInit) => {
    seen.push({ url, form: new URLSearchParams(init.body as URLSearchParams) });
    if (success === 'broken') return new Response('<html>', { status: 502 });
    return Response.json({ success, 'error-codes': success ? [] : ['invalid-input-response'] });
  }) as unknown as typeof fetch;
  return { fetcher, seen };
}

const settings = (vars: Record<string, string | undefined>) => ({ ...env, ...vars }) as typeof env;

describe('botCheckFromEnv', () => {
  it('is off locally (no site key), and refused in production, as is turnstile without its secret', () => {
    expect(botCheckFromEnv(settings({ BOT_CHECK: 'off' })).siteKey).toBeNull();
    expect(() => botCheckFromEnv(settings({ APP_ENV: 'production', BOT_CHECK: 'off' }))).toThrow(ConfigurationError);
    expect(() => botCheckFromEnv(settings({ BOT_CHECK: 'turnstile', TURNSTILE_SECRET: undefined }))).toThrow(/TURNSTILE_SECRET/);
    expect(() => botCheckFromEnv(settings({ BOT_CHECK: 'captcha' }))).toThrow(ConfigurationError);
  });

  it('asks Turnstile’s siteverify with the secret, the token and the client address; only its success passes', async () => {
    const vars = settings({ APP_ENV: 'production', BOT_CHECK: 'turnstile', TURNSTILE_SECRET: 'secret-1', TURNSTILE_SITE_KEY: 'site-1' });
    const pass = siteverify(true);
    const verifier = botCheckFromEnv(vars, pass.fetcher);
    expect(verifier.siteKey).toBe('site-1');
    expect(await verifier.verify('token-1', '198.51.100.4')).toBe(true);
    expect(pass.seen.map(({ url, form }) => [url, form.get('secret'), form.get('response'), form.get('remoteip')])).toEqual([[TURNSTILE_SITEVERIFY_URL, 'secret-1', 'token-1', '198.51.100.4']]);

    expect(await botCheckFromEnv(vars, siteverify(false).fetcher).verify('token-2', '198.51.100.4')).toBe(false);
    expect(await botCheckFromEnv(vars, siteverify('broken').fetcher).verify('token-3', '198.51.100.4')).toBe(false);
    const unused = siteverify(true);
    expect(await botCheckFromEnv(vars, unused.fetcher).verify(undefined, '198.51.100.4')).toBe(false);
    expect(unused.seen).toEqual([]);
  });
});
