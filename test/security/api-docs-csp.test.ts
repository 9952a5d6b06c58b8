import { describe, expect, it } from 'vitest';

import { send } from '@test/security/support/harness';

/**
 * The API reference (/api/docs) is a Worker response, so the SPA's `_headers` CSP never reaches it: it carries
 * its own. Every script on the page must be allowed by it — the self-hosted bundle by 'self', Scalar's inline
 * start-up script by a nonce that changes per response — and nothing may load from another origin.
 */

const directives = (csp: string) => new Map(csp.split(';').map((part) => part.trim().split(/\s+/)).map(([name, ...values]) => [name!, values]));

describe('/api/docs CSP', () => {
  it('sends a strict CSP whose per-response nonce is on every inline script, and loads nothing from elsewhere', async () => {
    const [first, second] = [await send('GET', '/api/docs'), await send('GET', '/api/docs')];
    expect(first.status).toBe(200);
    const csp = directives(first.headers.get('content-security-policy') ?? '');
    const scriptSrc = csp.get('script-src') ?? [];
    expect(scriptSrc).toContain("'self'");
    expect(scriptSrc).not.toContain("'unsafe-inline'");
    expect(scriptSrc).not.toContain("'unsafe-eval'");
    const nonce = /^'nonce-([\w+/=-]{16,})'$/.exec(scriptSrc.find((value) => value.startsWith("'nonce-")) ?? '')?.[1];
    expect(nonce, 'script-src has a nonce').toBeDefined();
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('connect-src')).toEqual(["'self'"]);
    expect(csp.get('default-src')).toEqual(["'self'"]);
    expect(first.headers.get('x-frame-options')).toBe('SAMEORIGIN');

    const scripts = [...first.text.matchAll(/<script\b([^>]*)>/g)].map((match) => match[1]!);
    expect(scripts.length).toBeGreaterThanOrEqual(2);
    for (const attributes of scripts) {
      const src = /\bsrc="([^"]*)"/.exec(attributes)?.[1];
      if (src) expect(src, 'scripts load from the shop itself').toMatch(/^\/(?!\/)/);
      else expect(attributes, 'an inline script carries the nonce').toContain(`nonce="${nonce}"`);
    }
    // Nothing on the page points at another origin (Scalar's default fonts would come from its CDN).
    expect(first.text).not.toMatch(/https?:\/\/(?!shop\.test)/);

    const secondNonce = /'nonce-([^']+)'/.exec(second.headers.get('content-security-policy') ?? '')?.[1];
    expect(secondNonce).toBeDefined();
    expect(secondNonce).not.toBe(nonce);
  });
});
