import { createRoute, z } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';

import type { MakeIdentityDeps } from '@/identity/accounts';
import type { MakeUsersDeps } from '@/identity/users-service';
import * as handlers from '@/identity/handlers';
import { requireAuth } from '@/identity/auth';
import { refuseWhenPasswordWorkFull } from '@/identity/overload';
import {
  addressBodySchema,
  addressSchema,
  countryEntrySchema,
  emailOnlyBodySchema,
  idParamsSchema,
  jwksSchema,
  loginBodySchema,
  messageSchema,
  profileSchema,
  refreshBodySchema,
  registerBodySchema,
  resetPasswordBodySchema,
  roleBodySchema,
  sellerCardSchema,
  tokenResponseSchema,
  updateProfileBodySchema,
  userSummarySchema,
  verifiedSchema,
  verifyEmailBodySchema,
} from '@/identity/schema';
import type { AppBindings } from '@/env';
import { AppError, errorResponses, zodIssuesToDetails, type ErrorCode } from '@/platform/errors';
import { rateLimit } from '@/platform/middleware';
import { envelope, jsonContent } from '@/platform/responses';
import { createRouter } from '@/platform/router';

const AUTH_RATE_LIMIT_PERIOD_SECONDS = 60;
const bearer = [{ bearerAuth: [] }];
const jsonBody = <T extends z.ZodType>(schema: T) => ({ body: { required: true, content: { 'application/json': { schema } } } });

const authRoute = <const P extends string>(path: P, summary: string) => ({ method: 'post' as const, path: `/api/v1/auth/${path}` as const, tags: ['Auth'], summary });

export const registerRoute = createRoute({
  ...authRoute('register', 'Create a customer account and email a 6-digit code'),
  request: jsonBody(registerBodySchema),
  responses: { 201: jsonContent(envelope(userSummarySchema), 'Registered; verify the email before signing in'), ...errorResponses(400, 409, 429) },
});

export const loginRoute = createRoute({
  ...authRoute('login', 'Sign in with email and password'),
  description: 'Also sets the refresh token as an httpOnly cookie (path `/api/v1/auth`). Locked accounts answer 403 with `Retry-After`.',
  request: jsonBody(loginBodySchema),
  responses: { 200: jsonContent(envelope(tokenResponseSchema), 'Signed in'), ...errorResponses(400, 401, 403, 429) },
});

export const refreshRoute = createRoute({
  ...authRoute('refresh', 'Rotate the refresh token and get a new access token'),
  description: 'Takes `refresh_token` from the body or the cookie. Using a token that was already rotated revokes its whole family.',
  request: { body: { required: false, content: { 'application/json': { schema: refreshBodySchema } } } },
  responses: { 200: jsonContent(envelope(tokenResponseSchema), 'New tokens'), ...errorResponses(400, 401, 429) },
});

export const logoutRoute = createRoute({
  ...authRoute('logout', 'End every session of the caller'),
  middleware: [requireAuth()] as const,
  security: bearer,
  responses: { 200: jsonContent(envelope(messageSchema), 'Signed out everywhere'), ...errorResponses(401, 429) },
});

export const verifyEmailRoute = createRoute({
  ...authRoute('verify-email', 'Confirm the email with the 6-digit code'),
  description: 'The code proves the address, as a password-reset code does, so the answer also signs the account in (tokens and the refresh cookie, as a login).',
  request: jsonBody(verifyEmailBodySchema),
  responses: { 200: jsonContent(envelope(verifiedSchema), 'Verified and signed in'), ...errorResponses(400, 429) },
});

export const resendVerificationRoute = createRoute({
  ...authRoute('resend-verification', 'Send a new verification code'),
  description: 'Same answer for every address; one request per address per minute.',
  request: jsonBody(emailOnlyBodySchema),
  responses: { 200: jsonContent(envelope(messageSchema), 'Generic acknowledgement'), ...errorResponses(400, 429) },
});

export const forgotPasswordRoute = createRoute({
  ...authRoute('forgot-password', 'Email a password reset link'),
  description: 'Same answer for every address; one request per address per minute.',
  request: jsonBody(emailOnlyBodySchema),
  responses: { 200: jsonContent(envelope(messageSchema), 'Generic acknowledgement'), ...errorResponses(400, 429) },
});

export const resetPasswordRoute = createRoute({
  ...authRoute('reset-password', 'Set a new password with the emailed token'),
  request: jsonBody(resetPasswordBodySchema),
  responses: { 200: jsonContent(envelope(messageSchema), 'Password changed; every session ended'), ...errorResponses(400, 429) },
});

export const jwksRoute = createRoute({
  method: 'get',
  path: '/.well-known/jwks.json',
  tags: ['Auth'],
  summary: 'Public keys that verify access tokens',
  responses: { 200: jsonContent(jwksSchema, 'JSON Web Key Set (public keys only)') },
});

const usersTag = { tags: ['Users'], security: bearer };

export const countriesRoute = createRoute({
  method: 'get',
  path: '/api/v1/countries',
  tags: ['Users'],
  summary: 'Countries an address may name (ISO 3166-1 alpha-2 code and English name), and whether the shop checks their postal codes',
  responses: { 200: jsonContent(envelope(z.array(countryEntrySchema)), 'Countries by name') },
});

export const getProfileRoute = createRoute({
  method: 'get',
  path: '/api/v1/users/profile',
  ...usersTag,
  summary: 'The caller’s profile with addresses',
  middleware: [requireAuth()] as const,
  responses: { 200: jsonContent(envelope(profileSchema), 'Profile'), ...errorResponses(401) },
});

export const updateProfileRoute = createRoute({
  method: 'put',
  path: '/api/v1/users/profile',
  ...usersTag,
  summary: 'Replace the caller’s name, phone and avatar',
  middleware: [requireAuth()] as const,
  request: jsonBody(updateProfileBodySchema),
  responses: { 200: jsonContent(envelope(profileSchema), 'Updated profile'), ...errorResponses(400, 401) },
});

export const createAddressRoute = createRoute({
  method: 'post',
  path: '/api/v1/users/addresses',
  ...usersTag,
  summary: 'Add an address (the first one becomes the default)',
  middleware: [requireAuth()] as const,
  request: jsonBody(addressBodySchema),
  responses: { 201: jsonContent(envelope(addressSchema), 'Created'), ...errorResponses(400, 401, 409) },
});

export const updateAddressRoute = createRoute({
  method: 'put',
  path: '/api/v1/users/addresses/{id}',
  ...usersTag,
  summary: 'Replace one of the caller’s addresses',
  middleware: [requireAuth()] as const,
  request: { params: idParamsSchema, ...jsonBody(addressBodySchema) },
  responses: { 200: jsonContent(envelope(addressSchema), 'Updated'), ...errorResponses(400, 401, 404) },
});

export const deleteAddressRoute = createRoute({
  method: 'delete',
  path: '/api/v1/users/addresses/{id}',
  ...usersTag,
  summary: 'Delete one of the caller’s addresses (the newest remaining becomes default)',
  middleware: [requireAuth()] as const,
  request: { params: idParamsSchema },
  responses: { 204: { description: 'Deleted' }, ...errorResponses(400, 401, 404) },
});

export const setDefaultAddressRoute = createRoute({
  method: 'put',
  path: '/api/v1/users/addresses/{id}/default',
  ...usersTag,
  summary: 'Make one of the caller’s addresses the only default',
  middleware: [requireAuth()] as const,
  request: { params: idParamsSchema },
  responses: { 200: jsonContent(envelope(addressSchema), 'Now the default'), ...errorResponses(400, 401, 404) },
});

export const sellerCardRoute = createRoute({
  method: 'get',
  path: '/api/v1/users/sellers/{id}',
  tags: ['Users'],
  summary: 'Public seller card (no email)',
  request: { params: idParamsSchema },
  responses: { 200: jsonContent(envelope(sellerCardSchema), 'Seller card'), ...errorResponses(400, 404) },
});

export const getUserRoute = createRoute({
  method: 'get',
  path: '/api/v1/users/{id}',
  ...usersTag,
  summary: 'Basic record of any user (admin)',
  middleware: [requireAuth('admin')] as const,
  request: { params: idParamsSchema },
  responses: { 200: jsonContent(envelope(userSummarySchema), 'User'), ...errorResponses(400, 401, 403, 404) },
});

export const changeRoleRoute = createRoute({
  method: 'put',
  path: '/api/v1/admin/users/{id}/role',
  tags: ['Admin'],
  security: bearer,
  summary: 'Change a user’s role (ends the user’s session: access tokens and refresh tokens)',
  description: 'Refused with 409 `LAST_ADMIN` when it would leave no admin. Recorded in the admin audit log.',
  middleware: [requireAuth('admin')] as const,
  request: { params: idParamsSchema, ...jsonBody(roleBodySchema) },
  responses: { 200: jsonContent(envelope(userSummarySchema), 'Role changed'), ...errorResponses(400, 401, 403, 404, 409) },
});

/** Validation hook that reports a malformed path id with the route's own code. */
function invalidIdHook(code: ErrorCode, message: string) {
  return (result: { target: string; success: boolean; error?: { issues: Parameters<typeof zodIssuesToDetails>[0] } }): undefined => {
    if (result.success) return undefined;
    const details = zodIssuesToDetails(result.error?.issues ?? []);
    if (result.target === 'param') throw new AppError(400, code, message, details);
    throw new AppError(400, 'VALIDATION_ERROR', 'Request validation failed', details);
  };
}
const addressIdHook = invalidIdHook('INVALID_ADDRESS_ID', 'The address id is not a valid UUID');

/**
 * Turns a password route's request away with the 503 of `withPasswordSlot` while every slot is taken, before
 * anything else is spent on it: mounted ahead of the rate limiters (each a call to the limiter) and the body. Under
 * a login flood most requests are this answer, so its cost decides how much of the CPU is left for the logins that
 * are admitted. The handler still takes its slot, so a request that passes here in a race is refused there.
 */
export function shedPasswordWorkWhenFull(): MiddlewareHandler<AppBindings> {
  const paths = new Set<string>([loginRoute.path, registerRoute.path, resetPasswordRoute.path]);
  return async (c, next) => {
    if (c.req.method === 'POST' && paths.has(c.req.path)) refuseWhenPasswordWorkFull();
    await next();
  };
}

/**
 * Auth, users and the JWKS. Every `/api/v1/auth/*` request passes the per-IP
 * limiter first, so a password spray is turned away before any hashing or database work.
 */
export function createIdentityRouter(makeDeps: MakeIdentityDeps, makeUsersDeps: MakeUsersDeps) {
  const router = createRouter();
  router.use('/api/v1/auth/*', rateLimit((env) => env.AUTH_RATE_LIMITER, AUTH_RATE_LIMIT_PERIOD_SECONDS, 'auth'));
  return router
    .openapi(registerRoute, handlers.register(makeDeps))
    .openapi(loginRoute, handlers.login(makeDeps))
    .openapi(refreshRoute, handlers.refresh(makeDeps))
    .openapi(logoutRoute, handlers.logout(makeDeps))
    .openapi(verifyEmailRoute, handlers.verifyEmail(makeDeps))
    .openapi(resendVerificationRoute, handlers.resendVerification(makeDeps))
    .openapi(forgotPasswordRoute, handlers.forgotPassword(makeDeps))
    .openapi(resetPasswordRoute, handlers.resetPassword(makeDeps))
    .openapi(jwksRoute, handlers.jwks)
    // Static `/users/profile` before `/users/{id}`: the first registered match answers.
    .openapi(countriesRoute, handlers.countries)
    .openapi(getProfileRoute, handlers.getProfile(makeUsersDeps))
    .openapi(updateProfileRoute, handlers.updateProfile(makeUsersDeps))
    .openapi(createAddressRoute, handlers.createAddress(makeUsersDeps))
    .openapi(updateAddressRoute, handlers.updateAddress(makeUsersDeps), addressIdHook)
    .openapi(deleteAddressRoute, handlers.deleteAddress(makeUsersDeps), addressIdHook)
    .openapi(setDefaultAddressRoute, handlers.setDefaultAddress(makeUsersDeps), addressIdHook)
    .openapi(sellerCardRoute, handlers.sellerCard(makeUsersDeps), invalidIdHook('INVALID_SELLER_ID', 'The seller id is not a valid UUID'))
    .openapi(getUserRoute, handlers.getUser(makeUsersDeps), invalidIdHook('INVALID_USER_ID', 'The user id is not a valid UUID'))
    .openapi(changeRoleRoute, handlers.changeRole(makeUsersDeps), invalidIdHook('INVALID_USER_ID', 'The user id is not a valid UUID'));
}
