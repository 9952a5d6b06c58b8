import type { AppEnv } from '@/env';
import type { Logger } from '@/platform/logger';

/** One outgoing message; `kind` lets transports and tests tell codes from reset links. */
export interface EmailMessage {
  kind: 'email-verification' | 'password-reset';
  to: string;
  subject: string;
  text: string;
}

/** Where identity sends its mail. Chosen by `EMAIL_TRANSPORT`; tests and the log transport share it. */
export interface EmailSender {
  send(message: EmailMessage): Promise<void>;
}

/** How many addresses the log transport remembers (oldest dropped first), so memory stays bounded. */
const LOG_TRANSPORT_MEMORY = 500;
const lastLogged = new Map<string, EmailMessage>();

/**
 * Development transport: writes the whole message (code or link included) to the Worker's log, so
 * it shows in the `npm start` output, and remembers the last message per address for
 * {@link lastLoggedEmail}. Never configured in production (wrangler.toml `[env.production]` uses http).
 */
export function createLogEmailSender(logger: Pick<Logger, 'info'>): EmailSender {
  return {
    send(message) {
      lastLogged.delete(message.to);
      lastLogged.set(message.to, message);
      if (lastLogged.size > LOG_TRANSPORT_MEMORY) lastLogged.delete(lastLogged.keys().next().value!);
      logger.info('email (log transport)', { kind: message.kind, to: message.to, subject: message.subject, text: message.text });
      return Promise.resolve();
    },
  };
}

/** The last message the log transport wrote for an address (local tooling and tests). */
export const lastLoggedEmail = (to: string): EmailMessage | undefined => lastLogged.get(to);

export interface HttpEmailConfig {
  url: string;
  apiKey: string;
  from: string;
}

/**
 * Production transport: a generic JSON email API (`POST {from, to, subject, text}` with
 * `Authorization: Bearer <key>`), the shape most providers accept or can be fronted with.
 * A non-2xx answer throws so the caller logs it; the body is not echoed (it may hold the key).
 */
export function createHttpEmailSender(config: HttpEmailConfig, fetcher: typeof fetch = fetch): EmailSender {
  return {
    async send(message) {
      const res = await fetcher(config.url, {
        method: 'POST',
        headers: { authorization: `Bearer ${config.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ from: config.from, to: message.to, subject: message.subject, text: message.text }),
      });
      if (!res.ok) throw new Error(`email API answered ${res.status}`);
    },
  };
}

/** The sender `EMAIL_TRANSPORT` asks for; a misconfigured http transport fails at send time, loudly. */
export function createEmailSender(env: AppEnv, logger: Logger): EmailSender {
  if (env.EMAIL_TRANSPORT !== 'http') return createLogEmailSender(logger);
  const url = env.EMAIL_API_URL as string;
  const apiKey = env.EMAIL_API_KEY;
  if (!url || !apiKey) {
    return { send: () => Promise.reject(new Error('EMAIL_TRANSPORT is "http" but EMAIL_API_URL or EMAIL_API_KEY is not set')) };
  }
  return createHttpEmailSender({ url, apiKey, from: env.EMAIL_FROM });
}
