import { z } from 'zod';

/**
 * The identity input rules both sides enforce: the Worker's request schemas (`workers/identity/schema.ts`) are
 * built from these, and the SPA's sign-up, log-in, verification and profile forms check the same values before
 * sending them. Plain zod (no hono, no OpenAPI metadata: the Worker adds that), so the browser bundle can import it.
 *
 * Each export builds a fresh schema: zod 4 copies prototype methods onto a schema when it is built, so only a schema
 * built after `@hono/zod-openapi` has loaded has its `.openapi()`. A shared instance would depend on import order.
 */

/** Trimmed and lowercased before anything else, so lookups, lockout and the unique index agree. */
export const email = () => z.string().trim().toLowerCase().max(255).regex(z.regexes.email, 'Invalid email address');

/** 8–72 characters (bcrypt's limit, kept for compatibility) with at least one letter and one digit. */
export const password = () =>
  z
    .string()
    .min(8, 'Password must be at least 8 characters')
    .max(72, 'Password must be at most 72 characters')
    .regex(/\p{L}/u, 'Password must contain a letter')
    .regex(/\d/, 'Password must contain a digit');

/** First and last names. */
export const personName = () => z.string().trim().min(1).max(100);

/** The e-mailed verification code. */
export const verificationCode = () => z.string().regex(/^\d{6}$/, 'The code is 6 digits');
