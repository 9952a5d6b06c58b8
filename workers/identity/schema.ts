import { email, password, personName, verificationCode } from '@contract/identity';
import { z } from '@hono/zod-openapi';

import { USER_ROLES } from '@/identity/tables';
import { addressText, optionalAddressText } from '@contract/address';
import { checkPostalCode, countrySchema, phoneSchema, postalCodeSchema } from '@/platform/postal-address';

/**
 * Wire shapes of auth and users (snake_case) — the seller card alone is camelCase, as the
 * seed's SPA reads it. Written by hand rather than derived from the tables because the wire casing and
 * the input rules (normalized email, password policy) differ from the columns; bounds match the columns.
 */

export const emailSchema = email().openapi({ example: 'customer@example.com', format: 'email' });

export const passwordSchema = password().openapi({ example: 'Customer@123' });

const nameSchema = personName();
/** Optional text column: absent or null clears it; blank strings are stored as null. */
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .nullish()
    .transform((value) => (value ? value : null));

const userIdSchema = z.guid().openapi({ example: '00000000-0000-0000-0000-000000000002' });

export const registerBodySchema = z
  .object({ email: emailSchema, password: passwordSchema, first_name: nameSchema, last_name: nameSchema })
  .strict()
  .openapi('RegisterRequest');

export const loginBodySchema = z
  .object({ email: emailSchema, password: z.string().min(1).max(72) })
  .strict()
  .openapi('LoginRequest');

export const refreshBodySchema = z
  .object({ refresh_token: z.string().max(256).optional().openapi({ description: 'Omit to use the `refresh_token` cookie' }) })
  .strict()
  .openapi('RefreshRequest');

export const verifyEmailBodySchema = z
  .object({ email: emailSchema, code: verificationCode() })
  .strict()
  .openapi('VerifyEmailRequest');

export const emailOnlyBodySchema = z.object({ email: emailSchema }).strict().openapi('EmailRequest');

export const resetPasswordBodySchema = z
  .object({
    email: emailSchema,
    token: z
      .string()
      .regex(/^[0-9a-fA-F]{128}$/, 'The reset token is 128 hex characters')
      .transform((token) => token.toLowerCase()),
    password: passwordSchema,
  })
  .strict()
  .openapi('ResetPasswordRequest');

export const userSummarySchema = z
  .object({ id: z.string(), email: z.string(), role: z.enum(USER_ROLES), first_name: z.string(), last_name: z.string() })
  .openapi('UserSummary');

export const tokenResponseSchema = z
  .object({
    access_token: z.string(),
    refresh_token: z.string().openapi({ description: '128 hex characters; also set as an httpOnly cookie' }),
    token_type: z.literal('Bearer'),
    expires_in: z.number().int().openapi({ example: 900 }),
    user: userSummarySchema,
  })
  .openapi('TokenResponse');

export const messageSchema = z.object({ message: z.string() }).openapi('Message');

/** A verified e-mail signs the new account in: the message the first clients read, plus a session. */
export const verifiedSchema = tokenResponseSchema.extend({ message: z.string() }).openapi('EmailVerified');

export const jwksSchema = z
  .object({ keys: z.array(z.object({ kty: z.string(), crv: z.string(), x: z.string(), y: z.string(), kid: z.string(), alg: z.string(), use: z.string() })) })
  .openapi('JsonWebKeySet');

export const addressBodySchema = z
  .object({
    label: optionalText(50),
    recipient_name: optionalText(100).refine((name) => name === null || /\p{L}/u.test(name), 'Must contain letters').openapi({ description: "Who receives parcels here; the account holder's name when left out" }),
    phone: phoneSchema,
    address_line1: addressText(255),
    address_line2: optionalAddressText(255),
    city: addressText(100, { min: 1, digits: false }),
    state: optionalAddressText(100),
    country: countrySchema,
    postal_code: postalCodeSchema,
  })
  .strict()
  .superRefine((address, ctx) => checkPostalCode(address.country, address.postal_code, 'postal_code', ctx, { required: false }))
  .openapi('AddressRequest');

export const addressSchema = z
  .object({
    id: z.string(),
    label: z.string().nullable(),
    recipient_name: z.string().nullable(),
    phone: z.string().nullable(),
    address_line1: z.string(),
    address_line2: z.string().nullable(),
    city: z.string(),
    state: z.string().nullable(),
    country: z.string(),
    postal_code: z.string().nullable(),
    is_default: z.boolean(),
  })
  .openapi('Address');

export const countryEntrySchema = z
  .object({ code: z.string().openapi({ example: 'VN' }), name: z.string().openapi({ example: 'Vietnam' }), postalCodeChecked: z.boolean() })
  .openapi('Country');

export const profileSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    role: z.enum(USER_ROLES),
    first_name: z.string(),
    last_name: z.string(),
    phone: z.string().nullable(),
    avatar_url: z.string().nullable(),
    addresses: z.array(addressSchema),
  })
  .openapi('Profile');

export const updateProfileBodySchema = z
  .object({
    first_name: nameSchema,
    last_name: nameSchema,
    phone: optionalText(20).refine((phone) => phone === null || /^[+\d][\d\s().-]*$/.test(phone), 'Invalid phone number'),
    avatar_url: optionalText(500).refine((url) => url === null || /^https?:\/\/\S+$/.test(url), 'Must be an http(s) URL'),
  })
  .strict()
  .openapi('UpdateProfileRequest');

export const sellerCardSchema = z
  .object({ id: z.string(), firstName: z.string(), lastName: z.string(), avatarUrl: z.string().nullable(), createdAt: z.string() })
  .openapi('SellerCard');

export const roleBodySchema = z.object({ role: z.enum(USER_ROLES) }).strict().openapi('ChangeRoleRequest');

export const idParamsSchema = z.object({ id: userIdSchema.openapi({ param: { name: 'id', in: 'path' } }) });

export type RegisterInput = z.infer<typeof registerBodySchema>;
export type LoginInput = z.infer<typeof loginBodySchema>;
export type ResetPasswordInput = z.infer<typeof resetPasswordBodySchema>;
export type AddressInput = z.infer<typeof addressBodySchema>;
export type Address = z.infer<typeof addressSchema>;
export type Profile = z.infer<typeof profileSchema>;
export type UpdateProfileInput = z.infer<typeof updateProfileBodySchema>;
export type UserSummary = z.infer<typeof userSummarySchema>;
export type TokenResponse = z.infer<typeof tokenResponseSchema>;
export type SellerCard = z.infer<typeof sellerCardSchema>;
