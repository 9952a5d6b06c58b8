import { describe, expect, it } from 'vitest';

import { digestsEqual, randomHex, sha256Hex, sixDigitCode } from '@/identity/secrets';

describe('one-time secrets', () => {
  it('makes 6-digit codes with leading zeros kept, spread over the whole range', () => {
    const codes = Array.from({ length: 2000 }, sixDigitCode);
    for (const code of codes) expect(code).toMatch(/^\d{6}$/);
    expect(new Set(codes).size).toBeGreaterThan(1990);
    const firstDigits = new Set(codes.map((code) => code[0]));
    expect(firstDigits.size).toBe(10);
  });

  it('makes 128-hex tokens from 64 random bytes', () => {
    const token = randomHex(64);
    expect(token).toMatch(/^[0-9a-f]{128}$/);
    expect(randomHex(64)).not.toBe(token);
  });

  it('hashes with SHA-256 as lowercase hex and compares digests', async () => {
    expect(await sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(digestsEqual(await sha256Hex('a'), await sha256Hex('a'))).toBe(true);
    expect(digestsEqual(await sha256Hex('a'), await sha256Hex('b'))).toBe(false);
  });
});
