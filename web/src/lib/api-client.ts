import createClient, { type Middleware } from 'openapi-fetch';

import { env } from '@/config/env';
import { ApiError, envelopeMiddleware, invalidResponse, isApiError, isRecord, networkError } from '@/lib/api-error';
import { type AuthSession, useAuthStore } from '@/stores/auth-store';
import type { PageMeta } from '@/types/api';
import type { paths } from '@/types/openapi.gen';

export { ApiError, isApiError };
export type { PageMeta };

export interface Page<T> {
  data: T[];
  meta: PageMeta;
}

/**
 * The generated `paths` with their `/api/v1` prefix dropped, the prefix being the client's `baseUrl`
 * (`env.API_URL`): fetchers name a route as the README does, `/products/{id}`.
 */
export type ApiPaths = { [P in keyof paths as P extends `/api/v1${infer Rest}` ? Rest : never]: paths[P] };

// A 401 from these means bad credentials or a dead refresh token; refreshing would be pointless or recursive.
const NO_REFRESH_PATHS = new Set(['/auth/login', '/auth/refresh']);
const REFRESH_LOCK_NAME = 'edge-shop.auth-refresh';

let refreshInFlight: Promise<string> | null = null;
const sessionExpiredListeners = new Set<() => void>();

/**
 * Called after a refresh token is rejected and the session has been cleared (not on a deliberate logout).
 * @returns an unsubscribe function
 */
export function onSessionExpired(listener: () => void): () => void {
  sessionExpiredListeners.add(listener);
  return () => sessionExpiredListeners.delete(listener);
}

type QueryValue = string | number | boolean | null | undefined;

/** `undefined`/`null` values are dropped; arrays become repeated keys (`?id=1&id=2`); spaces are `+`. */
function serializeQuery(query: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    const values = (Array.isArray(value) ? value : [value]) as QueryValue[];
    for (const item of values) {
      if (item !== undefined && item !== null) params.append(key, String(item));
    }
  }
  return params.toString();
}

/**
 * The SPA's only HTTP client: same-origin JSON calls to `/api/v1`, typed by the server's OpenAPI document (a path,
 * its parameters and its answer are checked together), bearer token attached, one shared token refresh on 401,
 * errors always `ApiError` (except caller-initiated aborts). Read answers through `dataOf`/`pageOf`.
 *
 * @example
 * const product = await dataOf(client.GET('/products/{id}', { params: { path: { id } }, signal }));
 */
export const client = createClient<ApiPaths>({
  // An absolute base: the Request openapi-fetch builds needs one outside a browser too.
  baseUrl: new URL(env.API_URL, globalThis.location.origin).href,
  // Looked up per call, not captured once, so a test's stubbed fetch is the one used.
  fetch: (request) => globalThis.fetch(request),
  headers: { Accept: 'application/json' },
  credentials: 'same-origin',
  querySerializer: serializeQuery,
});

function isSession(value: unknown): value is AuthSession {
  return (
    isRecord(value) &&
    typeof value.access_token === 'string' &&
    isRecord(value.user) &&
    typeof value.user.id === 'string'
  );
}

// 400/401/403 mean the server looked at the refresh token and refused it; anything else (offline, 429, 5xx) is
// transient, and dropping a still-valid session over a flaky connection would log people out for nothing.
const isSessionRejected = (error: unknown) =>
  isApiError(error) && (error.status === 400 || error.status === 401 || error.status === 403);

async function runRefresh(): Promise<string> {
  // Another tab may have rotated the token while this one waited for the lock; spending the old one would count
  // as reuse and revoke the whole family.
  await useAuthStore.persist.rehydrate();
  const { refreshToken, user } = useAuthStore.getState();
  try {
    if (!user) {
      throw new ApiError({ status: 401, code: 'UNAUTHORIZED', message: 'Your session has ended. Please log in again.' });
    }
    // The refresh token travels in its HttpOnly cookie (same origin, path /api/v1/auth); a token held in memory
    // (this tab's own login) is sent in the body instead, as the API accepts both.
    const { data, response } = await client.POST('/auth/refresh', { body: refreshToken ? { refresh_token: refreshToken } : {} });
    if (!isSession(data?.data)) throw invalidResponse(response.status);
    useAuthStore.getState().setSession(data.data);
    return data.data.access_token;
  } catch (error) {
    if (isSessionRejected(error)) {
      useAuthStore.getState().clearAuth();
      for (const listener of sessionExpiredListeners) listener();
    }
    throw error;
  }
}

/** Every caller that hits a 401 while a refresh is running shares that one refresh and its outcome. */
function refreshAccessToken(): Promise<string> {
  refreshInFlight ??= withCrossTabLock(runRefresh).finally(() => {
    refreshInFlight = null;
  });
  return refreshInFlight;
}

function withCrossTabLock<T>(task: () => Promise<T>): Promise<T> {
  const locks = typeof navigator === 'undefined' ? undefined : (navigator.locks as LockManager | undefined);
  return locks ? locks.request(REFRESH_LOCK_NAME, task) : task();
}

/** The token to replay a 401'd call with, or null when there is no session to refresh. */
async function tokenAfterUnauthorized(sentToken: string | null): Promise<string | null> {
  const { accessToken, user } = useAuthStore.getState();
  // The call went out before a refresh finished; the new token is already here.
  if (accessToken && accessToken !== sentToken) return accessToken;
  if (!user) return null;
  return refreshAccessToken();
}

/**
 * After a reload the user is known but the access token is not (it lives in memory): the session is restored first,
 * so no request leaves without the Authorization header it should carry — endpoints that also answer anonymous
 * callers (a seller's hidden products) would otherwise answer as if logged out. A refused refresh has already ended
 * the session; a transient failure leaves the 401 path to try again.
 */
const needsSessionRestore = () => {
  const { accessToken, user } = useAuthStore.getState();
  return !accessToken && user !== null;
};

function withToken(request: Request, token: string | null): Request {
  if (token && !request.headers.has('Authorization')) request.headers.set('Authorization', `Bearer ${token}`);
  return request;
}

/** Per request: the token it was sent with and an untouched copy to replay after a refresh. */
const sent = new WeakMap<Request, { token: string | null; replay: Request }>();

/**
 * Bearer token on every call (restoring the session first after a reload); on a 401, one shared refresh and one
 * replay with the new token. A replay that is refused again is reported as is; refreshing a second time could loop.
 * `POST /auth/refresh` itself goes out bare, and a 401 from it or from `/auth/login` is final.
 */
export const sessionMiddleware: Middleware = {
  async onRequest({ request, schemaPath }) {
    if (schemaPath === '/auth/refresh') return undefined;
    const token = needsSessionRestore() && !NO_REFRESH_PATHS.has(schemaPath)
      ? await refreshAccessToken().catch(() => null)
      : useAuthStore.getState().accessToken;
    const replay = request.clone();
    withToken(request, token);
    sent.set(request, { token, replay });
    return request;
  },
  async onResponse({ request, response, schemaPath, options }) {
    const call = sent.get(request);
    if (response.status !== 401 || !call || NO_REFRESH_PATHS.has(schemaPath)) return undefined;
    const token = await tokenAfterUnauthorized(call.token);
    if (!token) return undefined;
    try {
      return await options.fetch(withToken(call.replay, token));
    } catch (cause) {
      throw networkError(cause, request.signal);
    }
  },
};

client.use(envelopeMiddleware, sessionMiddleware);

/** What an openapi-fetch call resolves to, as far as reading its envelope goes (errors were thrown already). */
type Answer<D> = Promise<{ data?: D; response: Response }>;

/** The envelope's `data`: undefined for a 204, and for an envelope typed as carrying none (`data: null`). */
export const dataOf = async <D>(call: Answer<D>): Promise<D extends { data: infer T } ? T : undefined> =>
  ((await call).data as { data?: unknown } | undefined)?.data as D extends { data: infer T } ? T : undefined;

/** For answers with a pagination block (`meta`) beside `data`; `data` is the items or, for some lists, an object. */
export async function withMetaOf<T>(call: Answer<{ data: T; meta?: PageMeta }>): Promise<{ data: T; meta: PageMeta }> {
  const { data: body, response } = await call;
  if (!body || !isRecord(body.meta)) throw invalidResponse(response.status, 'The server sent a list this page could not read.');
  return { data: body.data, meta: body.meta };
}

/** For paginated lists: `data` is the page's items, `meta` the pagination block. */
export async function pageOf<T>(call: Answer<{ data: T[]; meta?: PageMeta }>): Promise<Page<T>> {
  const page = await withMetaOf(call);
  if (!Array.isArray(page.data)) throw invalidResponse(200, 'The server sent a list this page could not read.');
  return page;
}
