import type { RouteConfig, RouteHandler } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';

import type { AppBindings } from '@/env';
import { currentUser } from '@/identity/auth';
import type * as routes from '@/identity/routes';
import type { IdentityDeps, MakeIdentityDeps } from '@/identity/accounts';
import * as signIn from '@/identity/login';
import * as passwordReset from '@/identity/password-reset';
import * as registration from '@/identity/registration';
import { REFRESH_TOKEN_TTL_MS } from '@/identity/sessions';
import { publicJwks } from '@/identity/tokens';
import * as users from '@/identity/users-service';
import type { MakeUsersDeps } from '@/identity/users-service';
import { runAfterResponse } from '@/platform/background';
import { countryList } from '@/platform/postal-address';
import { clientIp } from '@/platform/middleware';

type Handler<R extends RouteConfig> = RouteHandler<R, AppBindings>;

export const REFRESH_COOKIE = 'refresh_token';
const REFRESH_COOKIE_OPTIONS = { path: '/api/v1/auth', httpOnly: true, secure: true, sameSite: 'Strict' } as const;

/** Per-request dependencies of the identity services, from the composition root's factory (or a test's). */
const deps = (makeDeps: MakeIdentityDeps, c: Context<AppBindings>): IdentityDeps =>
  makeDeps(c.env, { logger: c.get('logger'), defer: (task) => void runAfterResponse(c, task) });

const client = (c: Context<AppBindings>) => ({ ip: clientIp((name) => c.req.header(name)), userAgent: c.req.header('user-agent') });

const setRefreshCookie = (c: Context<AppBindings>, token: string) =>
  setCookie(c, REFRESH_COOKIE, token, { ...REFRESH_COOKIE_OPTIONS, maxAge: REFRESH_TOKEN_TTL_MS / 1000 });

const ok = <T>(data: T) => ({ success: true as const, data });

export const register = (makeDeps: MakeIdentityDeps): Handler<typeof routes.registerRoute> => async (c) =>
  c.json(ok(await registration.registerCustomer(deps(makeDeps, c), c.req.valid('json'))), 201);

export const login = (makeDeps: MakeIdentityDeps): Handler<typeof routes.loginRoute> => async (c) => {
  const tokens = await signIn.login(deps(makeDeps, c), c.req.valid('json'), client(c));
  setRefreshCookie(c, tokens.refresh_token);
  return c.json(ok(tokens), 200);
};

export const refresh = (makeDeps: MakeIdentityDeps): Handler<typeof routes.refreshRoute> => async (c) => {
  const raw = c.req.valid('json').refresh_token ?? getCookie(c, REFRESH_COOKIE);
  const tokens = await signIn.refreshSession(deps(makeDeps, c), raw, client(c));
  setRefreshCookie(c, tokens.refresh_token);
  return c.json(ok(tokens), 200);
};

export const logout = (makeDeps: MakeIdentityDeps): Handler<typeof routes.logoutRoute> => async (c) => {
  await signIn.logout(deps(makeDeps, c), currentUser(c).id);
  deleteCookie(c, REFRESH_COOKIE, REFRESH_COOKIE_OPTIONS);
  return c.json(ok({ message: 'Signed out from every session' }), 200);
};

export const verifyEmail = (makeDeps: MakeIdentityDeps): Handler<typeof routes.verifyEmailRoute> => async (c) => {
  const tokens = await registration.verifyEmail(deps(makeDeps, c), c.req.valid('json'), client(c));
  setRefreshCookie(c, tokens.refresh_token);
  return c.json(ok({ message: 'Email verified; you are signed in', ...tokens }), 200);
};

export const resendVerification = (makeDeps: MakeIdentityDeps): Handler<typeof routes.resendVerificationRoute> => async (c) => {
  await registration.resendVerification(deps(makeDeps, c), c.req.valid('json').email);
  return c.json(ok({ message: registration.GENERIC_RESEND_MESSAGE }), 200);
};

export const forgotPassword = (makeDeps: MakeIdentityDeps): Handler<typeof routes.forgotPasswordRoute> => async (c) => {
  await passwordReset.requestPasswordReset(deps(makeDeps, c), c.req.valid('json').email, c.env.APP_URL);
  return c.json(ok({ message: passwordReset.GENERIC_FORGOT_MESSAGE }), 200);
};

export const resetPassword = (makeDeps: MakeIdentityDeps): Handler<typeof routes.resetPasswordRoute> => async (c) => {
  await passwordReset.resetPassword(deps(makeDeps, c), c.req.valid('json'), client(c));
  return c.json(ok({ message: 'Password changed; sign in again on every device' }), 200);
};

/** Reference data that changes only with a deploy: browsers and the edge may keep it for a day. */
export const countries: Handler<typeof routes.countriesRoute> = (c) => {
  c.header('Cache-Control', 'public, max-age=86400');
  return c.json({ success: true as const, data: countryList() }, 200);
};

export const jwks: Handler<typeof routes.jwksRoute> = async (c) => {
  c.header('Cache-Control', 'public, max-age=300');
  const { keys } = await publicJwks(c.env);
  return c.json({ keys: keys.map(({ kty, crv, x, y, kid, alg, use }) => ({ kty: kty!, crv: crv!, x: x!, y: y!, kid: kid!, alg: alg!, use: use! })) }, 200);
};

export const getProfile = (makeUsersDeps: MakeUsersDeps): Handler<typeof routes.getProfileRoute> => async (c) =>
  c.json(ok(await users.getProfile(makeUsersDeps(c.env), currentUser(c).id)), 200);

export const updateProfile = (makeUsersDeps: MakeUsersDeps): Handler<typeof routes.updateProfileRoute> => async (c) =>
  c.json(ok(await users.updateProfile(makeUsersDeps(c.env), currentUser(c).id, c.req.valid('json'))), 200);

export const createAddress = (makeUsersDeps: MakeUsersDeps): Handler<typeof routes.createAddressRoute> => async (c) =>
  c.json(ok(await users.createAddress(makeUsersDeps(c.env), currentUser(c).id, c.req.valid('json'))), 201);

export const updateAddress = (makeUsersDeps: MakeUsersDeps): Handler<typeof routes.updateAddressRoute> => async (c) =>
  c.json(ok(await users.updateAddress(makeUsersDeps(c.env), currentUser(c).id, c.req.valid('param').id, c.req.valid('json'))), 200);

export const deleteAddress = (makeUsersDeps: MakeUsersDeps): Handler<typeof routes.deleteAddressRoute> => async (c) => {
  await users.deleteAddress(makeUsersDeps(c.env), currentUser(c).id, c.req.valid('param').id);
  return c.body(null, 204);
};

export const setDefaultAddress = (makeUsersDeps: MakeUsersDeps): Handler<typeof routes.setDefaultAddressRoute> => async (c) =>
  c.json(ok(await users.setDefaultAddress(makeUsersDeps(c.env), currentUser(c).id, c.req.valid('param').id)), 200);

export const sellerCard = (makeUsersDeps: MakeUsersDeps): Handler<typeof routes.sellerCardRoute> => async (c) =>
  c.json(ok(await users.getSellerCard(makeUsersDeps(c.env), c.req.valid('param').id)), 200);

export const getUser = (makeUsersDeps: MakeUsersDeps): Handler<typeof routes.getUserRoute> => async (c) =>
  c.json(ok(await users.getUserRecord(makeUsersDeps(c.env), c.req.valid('param').id)), 200);

export const changeRole = (makeUsersDeps: MakeUsersDeps): Handler<typeof routes.changeRoleRoute> => async (c) =>
  c.json(ok(await users.changeUserRole(makeUsersDeps(c.env), currentUser(c), c.req.valid('param').id, c.req.valid('json').role)), 200);
