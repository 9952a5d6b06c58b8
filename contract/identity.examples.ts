/**
 * Values both sides are tested with: the Worker's route and schema tests (`workers/identity/`) and the SPA's form
 * tests (`web/src/features/auth/`). One list, so "the form refuses what the server refuses" is checked, not assumed.
 */

type RegistrationField = 'email' | 'password' | 'first_name' | 'last_name';

/** Sign-up fields the server answers 400 for, with the field its `details` names. */
export const REFUSED_REGISTRATIONS: readonly (readonly [string, Partial<Record<RegistrationField, string>>, RegistrationField])[] = [
  ['a short password', { password: 'Ab1' }, 'password'],
  ['a password without digits', { password: 'OnlyLetters' }, 'password'],
  ['a password without letters', { password: '1234567890' }, 'password'],
  ['a 73-character password', { password: `A1${'x'.repeat(71)}` }, 'password'],
  ['a bad email', { email: 'not-an-email' }, 'email'],
  ['an over-long email', { email: `${'a'.repeat(250)}@example.com` }, 'email'],
  ['an over-long name', { first_name: 'x'.repeat(101) }, 'first_name'],
];

/** Passwords the policy accepts: a letter from any alphabet counts, as does any digit. */
export const ACCEPTED_PASSWORDS = ['Customer@123', 'abcdefg1', `A1${'x'.repeat(70)}`, 'Mật khẩu 9', 'пароль123'];
