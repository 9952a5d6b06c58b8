import { isApiError } from '@/lib/api-client';

/**
 * Client-side checks mirroring the server's rules, so most mistakes are caught before a round
 * trip. The server stays the authority: its `details` are shown next to the same fields.
 */
export type FieldErrors<K extends string = string> = Partial<Record<K, string>>;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function validateEmail(value: string): string | undefined {
  const email = value.trim();
  if (!email) return 'Enter your email address.';
  if (email.length > 255 || !EMAIL.test(email)) return 'Enter a valid email address, like name@example.com.';
  return undefined;
}

/** 8–72 characters with at least one letter and one digit. */
export function validatePassword(value: string): string | undefined {
  if (!value) return 'Enter a password.';
  if (value.length < 8) return 'Use at least 8 characters.';
  if (value.length > 72) return 'Use at most 72 characters.';
  if (!/[A-Za-z]/.test(value) || !/\d/.test(value)) return 'Include at least one letter and one digit.';
  return undefined;
}

export function validateRequired(value: string, label: string, max?: number): string | undefined {
  const trimmed = value.trim();
  if (!trimmed) return `Enter ${label}.`;
  if (max !== undefined && trimmed.length > max) return `Use at most ${max} characters.`;
  return undefined;
}

export function validateMax(value: string, max: number): string | undefined {
  return value.trim().length > max ? `Use at most ${max} characters.` : undefined;
}

export const hasErrors = (errors: FieldErrors) => Object.values(errors).some(Boolean);

/** Drops the keys whose check passed, so `hasErrors` and rendering see only real messages. */
export function compactErrors<K extends string>(errors: Record<K, string | undefined>): FieldErrors<K> {
  return Object.fromEntries(Object.entries(errors).filter(([, v]) => v)) as FieldErrors<K>;
}

/**
 * The server's field errors (`ApiError.details`) keyed by form field. Keys may arrive as paths
 * (`body.email`, `images.0.url`); the first segment the form knows wins.
 */
export function serverFieldErrors<K extends string>(error: unknown, fields: readonly K[]): FieldErrors<K> {
  if (!isApiError(error) || !error.details) return {};
  const result: FieldErrors<K> = {};
  for (const [path, reason] of Object.entries(error.details)) {
    const field = path.split('.').find((part): part is K => (fields as readonly string[]).includes(part));
    if (field && !result[field]) result[field] = reason;
  }
  return result;
}

/** Field errors re-keyed from the server's field names to a form's (`{ address_line1: 'line1' }`). */
export function renameFields<From extends string, To extends string>(errors: FieldErrors<From>, names: Record<From, To>): FieldErrors<To> {
  const result: FieldErrors<To> = {};
  for (const [from, reason] of Object.entries(errors) as [From, string | undefined][]) {
    if (reason && !result[names[from]]) result[names[from]] = reason;
  }
  return result;
}

/** After a failed submit, moves focus to the first invalid control so keyboard users land on the problem. */
export function focusFirstInvalid(form: HTMLFormElement | null) {
  setTimeout(() => form?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus(), 0);
}
