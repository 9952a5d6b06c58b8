import type { z } from 'zod';

import { email, password, personName } from '@contract/identity';
import { isApiError } from '@/lib/api-client';

/**
 * Client-side checks, so most mistakes are caught before a round trip. Where the server has a rule, the rule is
 * the server's own zod schema from `@contract/*` (its request schemas are built from the same module), never a
 * copy; only the wording of a missing value, and of zod's unworded bounds, is the SPA's. The server stays the
 * authority: its `details` are shown next to the same fields.
 */
export type FieldErrors<K extends string = string> = Partial<Record<K, string>>;

/** The SPA's wording for the issues a shared schema does not word itself (its own messages win). */
const wording: z.core.$ZodErrorMap = (issue) => {
  if (issue.code !== 'too_big' && issue.code !== 'too_small') return undefined;
  const unit = issue.origin === 'string' ? ' characters' : issue.origin === 'array' ? ' items' : '';
  return issue.code === 'too_big' ? `Use at most ${String(issue.maximum)}${unit}.` : `Use at least ${String(issue.minimum)}${unit}.`;
};

/** The first problem `schema` finds with `value`, or undefined when the server would accept it. */
export function checkWith(schema: z.ZodType, value: unknown): string | undefined {
  const result = schema.safeParse(value, { error: wording });
  return result.success ? undefined : result.error.issues[0]?.message;
}

export function validateEmail(value: string): string | undefined {
  return value.trim() ? checkWith(email(), value) : 'Enter your email address.';
}

/** The server's password policy (`@contract/identity`). */
export function validatePassword(value: string): string | undefined {
  return value ? checkWith(password(), value) : 'Enter a password.';
}

/** A first or last name, as the server takes it. */
export function validateName(value: string, label: string): string | undefined {
  return value.trim() ? checkWith(personName(), value) : `Enter ${label}.`;
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
