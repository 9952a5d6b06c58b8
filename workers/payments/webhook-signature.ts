/**
 * The provider's webhook signing scheme (Stripe's): header `t=<unix seconds>,v1=<hex HMAC-SHA256>[,v1=…]` over
 * `<t>.<raw body>`. Verified with Web Crypto (`crypto.subtle.verify`, a constant-time comparison) against every
 * accepted secret (the current one and, during a rotation, the previous one) and a timestamp tolerance, so a
 * captured delivery cannot be replayed later. The simulated provider signs its deliveries with the same code.
 */

/** How far a signature's timestamp may be from our clock (the provider's default). */
const SIGNATURE_TOLERANCE_SECONDS = 300;

const encoder = new TextEncoder();

const hmacKey = (secret: string, usage: 'sign' | 'verify') => crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [usage]);

const toHex = (bytes: ArrayBuffer) => [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, '0')).join('');

function fromHex(hex: string): Uint8Array | null {
  if (!/^(?:[0-9a-f]{2})+$/i.test(hex)) return null;
  return Uint8Array.from(hex.match(/../g)!, (pair) => parseInt(pair, 16));
}

/** The signature header for `payload` signed with `secret` at `timestamp` (unix seconds). */
export async function signWebhookPayload(payload: string, secret: string, timestamp = Math.floor(Date.now() / 1000)): Promise<string> {
  const mac = await crypto.subtle.sign('HMAC', await hmacKey(secret, 'sign'), encoder.encode(`${timestamp}.${payload}`));
  return `t=${timestamp},v1=${toHex(mac)}`;
}

export type SignatureCheck = { valid: true; timestamp: number } | { valid: false; reason: 'malformed' | 'stale' | 'mismatch' };

/** Parses `t=…,v1=…` (unknown schemes such as `v0` are ignored, as the provider documents). */
function parseHeader(header: string): { timestamp: number; signatures: Uint8Array[] } | null {
  let timestamp: number | null = null;
  const signatures: Uint8Array[] = [];
  for (const part of header.split(',')) {
    const [key, value] = part.trim().split('=', 2);
    if (key === 't' && value && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    else if (key === 'v1' && value) {
      const bytes = fromHex(value);
      if (bytes?.length === 32) signatures.push(bytes);
    }
  }
  return timestamp === null || signatures.length === 0 ? null : { timestamp, signatures };
}

/**
 * Checks `header` against the raw body with each secret. Stale (outside the tolerance either way) is refused
 * before any HMAC is computed; the timestamp is inside the signed text, so it cannot be moved without the secret.
 */
export async function verifyWebhookSignature(
  payload: string,
  header: string | undefined,
  secrets: readonly string[],
  options: { toleranceSeconds?: number; now?: number } = {},
): Promise<SignatureCheck> {
  const parsed = header ? parseHeader(header) : null;
  if (!parsed || secrets.length === 0) return { valid: false, reason: 'malformed' };
  const now = options.now ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - parsed.timestamp) > (options.toleranceSeconds ?? SIGNATURE_TOLERANCE_SECONDS)) return { valid: false, reason: 'stale' };
  const signed = encoder.encode(`${parsed.timestamp}.${payload}`);
  for (const secret of secrets) {
    const key = await hmacKey(secret, 'verify');
    for (const signature of parsed.signatures) {
      if (await crypto.subtle.verify('HMAC', key, signature, signed)) return { valid: true, timestamp: parsed.timestamp };
    }
  }
  return { valid: false, reason: 'mismatch' };
}
