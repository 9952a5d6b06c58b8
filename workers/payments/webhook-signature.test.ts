import { describe, expect, it } from 'vitest';

import { signWebhookPayload, verifyWebhookSignature } from '@/payments/webhook-signature';

const body = '{"id":"evt_1","type":"payment_intent.succeeded"}';
const now = 1_800_000_000;

describe('webhook signatures (t=…,v1=… over "<t>.<raw body>")', () => {
  it('accepts its own signature within the tolerance, with the current or the previous secret', async () => {
    const header = await signWebhookPayload(body, 'whsec_old', now);
    expect(header).toMatch(/^t=1800000000,v1=[0-9a-f]{64}$/);
    expect(await verifyWebhookSignature(body, header, ['whsec_new', 'whsec_old'], { now: now + 299 })).toEqual({ valid: true, timestamp: now });
    expect((await verifyWebhookSignature(body, header, ['whsec_new'], { now })).valid).toBe(false);
  });

  it('is the provider scheme: HMAC-SHA256 of "<t>.<body>" in hex', async () => {
    const key = await crypto.subtle.importKey('raw', new TextEncoder().encode('k'), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(`${now}.${body}`)));
    const hex = [...mac].map((b) => b.toString(16).padStart(2, '0')).join('');
    expect(await signWebhookPayload(body, 'k', now)).toBe(`t=${now},v1=${hex}`);
    // Several v1 entries (the provider's rotation) and unknown schemes are tolerated.
    expect((await verifyWebhookSignature(body, `t=${now},v0=abc,v1=${'0'.repeat(64)},v1=${hex}`, ['k'], { now })).valid).toBe(true);
  });

  it('refuses a changed body, a moved timestamp, stale or future timestamps, and malformed headers', async () => {
    const header = await signWebhookPayload(body, 'k', now);
    expect(await verifyWebhookSignature(`${body} `, header, ['k'], { now })).toEqual({ valid: false, reason: 'mismatch' });
    expect(await verifyWebhookSignature(body, header.replace(`t=${now}`, `t=${now + 1}`), ['k'], { now })).toEqual({ valid: false, reason: 'mismatch' });
    expect(await verifyWebhookSignature(body, header, ['k'], { now: now + 301 })).toEqual({ valid: false, reason: 'stale' });
    expect(await verifyWebhookSignature(body, header, ['k'], { now: now - 301 })).toEqual({ valid: false, reason: 'stale' });
    for (const bad of [undefined, '', 'v1=abc', `t=${now}`, `t=${now},v1=zz`, `t=x,v1=${'a'.repeat(64)}`, `t=${now},v1=${'a'.repeat(63)}`]) {
      expect(await verifyWebhookSignature(body, bad, ['k'], { now })).toEqual({ valid: false, reason: 'malformed' });
    }
    expect(await verifyWebhookSignature(body, header, [], { now })).toEqual({ valid: false, reason: 'malformed' });
  });
});
