import { z } from '@hono/zod-openapi';
import countries from 'i18n-iso-countries';
import en from 'i18n-iso-countries/langs/en.json';
import { postcodeValidator, postcodeValidatorExistsForCountry } from 'postcode-validator';

import { HAS_LETTER_OR_DIGIT, phone, postalCode } from '@contract/address';

/**
 * The rules every postal address of the shop follows, in the profile and at checkout (docs/decisions/orders.md,
 * "Addresses"): a country is stored as its ISO 3166-1 alpha-2 code, whatever a client sent (a code, an alpha-3 code or
 * an English name such as "Vietnam"), and a postal code is checked against the country's format where one is known.
 */

countries.registerLocale(en);

/** Alpha-2 code of a country given by alpha-2, alpha-3 or English name (any case), or null when none matches. */
function countryCode(input: string): string | null {
  const text = input.trim();
  if (/^[a-z]{2,3}$/i.test(text) && countries.isValid(text.toUpperCase())) return countries.toAlpha2(text.toUpperCase()) ?? null;
  return countries.getAlpha2Code(text, 'en') ?? null;
}

/** Every country a shopper may choose, by English name. */
export function countryList(): { code: string; name: string; postalCodeChecked: boolean }[] {
  return Object.entries(countries.getNames('en', { select: 'official' }))
    .map(([code, name]) => ({ code, name, postalCodeChecked: postcodeValidatorExistsForCountry(code) }))
    .sort((a, b) => a.name.localeCompare(b.name, 'en'));
}

/** Whether the postal code has the country's format; true where the shop knows no format for the country. */
function postalCodeFits(code: string, postalCode: string): boolean {
  return !postcodeValidatorExistsForCountry(code) || postcodeValidator(postalCode, code);
}

/** Does the country use postal codes the shop can check (then one is required)? */
const postalCodeRequired = (code: string): boolean => postcodeValidatorExistsForCountry(code);

/** A country field: accepts a code or an English name, yields the alpha-2 code, refuses anything else by name. */
export const countrySchema = z
  .string()
  .trim()
  .min(1, 'Must not be blank')
  .max(100)
  .transform((value, ctx) => {
    const code = countryCode(value);
    if (code) return code;
    ctx.addIssue({ code: 'custom', message: `Unknown country "${value.slice(0, 40)}": use an ISO 3166 code such as US or VN, or its English name` });
    return z.NEVER;
  })
  .openapi({ description: 'ISO 3166-1 alpha-2 code (stored); an alpha-3 code or the English name is accepted', example: 'US' });

/** A postal code as typed; its format is checked against the country by {@link checkPostalCode}. */
export const postalCodeSchema = postalCode();

export const phoneSchema = phone();

/**
 * Checks the postal code of an already parsed address against its country's format where one is known; `required`
 * also asks for one there (a shipment needs it; a saved address may be completed later). Reports on `path`.
 */
export function checkPostalCode(country: string, postalCode: string | null, path: string, ctx: z.RefinementCtx, { required = true } = {}): void {
  if (!postalCode) {
    if (required && postalCodeRequired(country)) ctx.addIssue({ code: 'custom', path: [path], message: `A postal code is required for ${countries.getName(country, 'en') ?? country}` });
    return;
  }
  if (!postalCodeFits(country, postalCode) || !HAS_LETTER_OR_DIGIT.test(postalCode)) {
    ctx.addIssue({ code: 'custom', path: [path], message: `Not a valid postal code for ${countries.getName(country, 'en') ?? country}` });
  }
}
