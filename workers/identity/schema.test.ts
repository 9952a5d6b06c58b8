import { describe, expect, it } from 'vitest';

import { ACCEPTED_PASSWORDS } from '@contract/identity.examples';

import { emailSchema, passwordSchema, registerBodySchema } from '@/identity/schema';

describe('password policy', () => {
  it.each(ACCEPTED_PASSWORDS)('accepts %s', (password) => {
    expect(passwordSchema.safeParse(password).success).toBe(true);
  });

  it.each(['Abc1234', 'abcdefgh', '12345678', `A1${'x'.repeat(71)}`, ''])('rejects %s', (password) => {
    expect(passwordSchema.safeParse(password).success).toBe(false);
  });
});

describe('email normalization', () => {
  it('trims and lowercases before validating', () => {
    expect(emailSchema.parse('  Mixed.Case@Example.COM ')).toBe('mixed.case@example.com');
  });

  it.each(['plain', 'a@b', '@example.com', 'a b@example.com', `${'a'.repeat(250)}@example.com`])('rejects %s', (email) => {
    expect(emailSchema.safeParse(email).success).toBe(false);
  });
});

describe('register body', () => {
  it('rejects unknown fields such as role', () => {
    const result = registerBodySchema.safeParse({ email: 'a@example.com', password: 'Passw0rd', first_name: 'A', last_name: 'B', role: 'admin' });
    expect(result.success).toBe(false);
  });
});
