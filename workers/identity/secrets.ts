import { constantTimeEqual } from '@/identity/password';

const encoder = new TextEncoder();

const toHex = (bytes: Uint8Array) => Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');

/** `bytes` cryptographically random bytes as lowercase hex (64 bytes → the 128-char refresh/reset tokens). */
export function randomHex(bytes: number): string {
  return toHex(crypto.getRandomValues(new Uint8Array(bytes)));
}

/** SHA-256 as 64 lowercase hex characters: how refresh tokens, reset tokens and codes are stored. */
export async function sha256Hex(text: string): Promise<string> {
  return toHex(new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(text))));
}

/** Equal hex digests, compared in constant time. */
export function digestsEqual(a: string, b: string): boolean {
  return constantTimeEqual(encoder.encode(a), encoder.encode(b));
}

const CODE_SPACE = 1_000_000;
/** The largest multiple of 10^6 below 2^32: values at or above it are redrawn so every code is equally likely. */
const UNBIASED_LIMIT = Math.floor(2 ** 32 / CODE_SPACE) * CODE_SPACE;

/** A uniformly random 6-digit code (leading zeros kept), from the platform CSPRNG. */
export function sixDigitCode(): string {
  const buffer = new Uint32Array(1);
  for (;;) {
    const value = crypto.getRandomValues(buffer)[0]!;
    if (value < UNBIASED_LIMIT) return String(value % CODE_SPACE).padStart(6, '0');
  }
}
