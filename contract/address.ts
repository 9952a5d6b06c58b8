import { z } from 'zod';

/**
 * The rules of a postal address's text fields, for a saved address and an order's shipping address alike. The
 * country and the per-country postal code formats need libraries only the Worker loads, so they stay in
 * `workers/platform/postal-address.ts`, which builds its schemas from these.
 */

const HAS_LETTER = /\p{L}/u;
export const HAS_LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

/** A line of an address that must say something: at least `min` characters with a letter (or a digit). */
export const addressText = (max: number, { min = 2, digits = true } = {}) =>
  z
    .string()
    .trim()
    .min(min, min > 1 ? `Must be at least ${min} characters` : 'Must not be blank')
    .max(max)
    .refine((value) => (digits ? HAS_LETTER_OR_DIGIT : HAS_LETTER).test(value), digits ? 'Must contain letters or digits' : 'Must contain letters');

/** Optional free text: blank becomes null; when given it must contain a letter or a digit. */
export const optionalAddressText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .refine((value) => value === '' || HAS_LETTER_OR_DIGIT.test(value), 'Must contain letters or digits')
    .nullish()
    .transform((value) => value || null);

/** A phone number as typed; blank becomes null. */
export const phone = () =>
  z
    .string()
    .trim()
    .max(20)
    .refine((value) => value === '' || /^\+?[\d\s().-]{5,}$/.test(value), 'Use digits, spaces and + ( ) - only')
    .nullish()
    .transform((value) => value || null);

/** A postal code as typed (blank becomes null); the Worker also checks its format against the country. */
export const postalCode = () =>
  z
    .string()
    .trim()
    .max(20)
    .nullish()
    .transform((value) => value || null);
