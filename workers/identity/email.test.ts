import { env } from 'cloudflare:test';
import { describe, expect, it, vi } from 'vitest';

import { createEmailSender, createHttpEmailSender, createLogEmailSender, lastLoggedEmail, type EmailMessage } from '@/identity/email';
import { createLogger } from '@/platform/logger';

const message = (to: string): EmailMessage => ({ kind: 'email-verification', to, subject: 'Code', text: 'Your verification code is 123456.' });

describe('log transport', () => {
  it('logs the message with its code and remembers the last one per address', async () => {
    const info = vi.fn();
    const to = `log-${crypto.randomUUID()}@example.com`;
    await createLogEmailSender({ info }).send(message(to));
    expect(info).toHaveBeenCalledWith('email (log transport)', expect.objectContaining({ to, text: expect.stringContaining('123456') }));
    expect(lastLoggedEmail(to)?.text).toContain('123456');
  });
});

describe('HTTP transport', () => {
  it('POSTs the message as JSON with the API key as a bearer token', async () => {
    const fetcher = vi.fn(async () => new Response(null, { status: 202 }));
    await createHttpEmailSender({ url: 'https://mail.invalid/send', apiKey: 'k-123', from: 'Shop <no-reply@shop.test>' }, fetcher).send(message('a@example.com'));
    expect(fetcher).toHaveBeenCalledOnce();
    const [url, init] = fetcher.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('https://mail.invalid/send');
    expect(init.method).toBe('POST');
    expect((init.headers as Record<string, string>).authorization).toBe('Bearer k-123');
    expect(JSON.parse(init.body as string)).toEqual({ from: 'Shop <no-reply@shop.test>', to: 'a@example.com', subject: 'Code', text: message('a@example.com').text });
  });

  it('throws when the API refuses the message', async () => {
    const sender = createHttpEmailSender({ url: 'https://mail.invalid/send', apiKey: 'k', from: 'x@shop.test' }, async () => new Response('no', { status: 500 }));
    await expect(sender.send(message('a@example.com'))).rejects.toThrow('500');
  });
});

describe('createEmailSender', () => {
  it('uses the log transport unless EMAIL_TRANSPORT is "http", and refuses to send with an incomplete http config', async () => {
    const logger = createLogger('error');
    const to = `pick-${crypto.randomUUID()}@example.com`;
    await createEmailSender(env, logger).send(message(to));
    expect(lastLoggedEmail(to)).toBeDefined();
    const misconfigured = createEmailSender({ ...env, EMAIL_TRANSPORT: 'http', EMAIL_API_URL: '' }, logger);
    await expect(misconfigured.send(message('a@example.com'))).rejects.toThrow('EMAIL_API_URL');
  });
});
