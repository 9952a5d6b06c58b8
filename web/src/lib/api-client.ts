import { env } from '@/config/env';
import { type AuthSession, useAuthStore } from '@/stores/auth-store';
import type { PageMeta } from '@/types/api';

type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export type QueryValue = string | number | boolean | null | undefined;

export interface RequestOptions {
  /** Serialised as JSON. */
  body?: unknown;
  /** `undefined`/`null` values are dropped; arrays become repeated keys (`?id=1&id=2`). */
  query?: Record<string, QueryValue | readonly QueryValue[]>;
  headers?: HeadersInit;
  signal?: AbortSignal;
}

export type { PageMeta };

export interface Page<T> {
  data: T[];
  meta: PageMeta;
}

interface ApiErrorInit {
  status: number;
  code: string;
  message: string;
  details?: Record<string, string> | undefined;
  requestId?: string | undefined;
  cause?: unknown;
}

/**
 * The one error type the API client throws. `status` is the HTTP status, or 0 when the server was never reached;
 * `code` is the envelope's code or a client-side one: `NETWORK_ERROR`, `INVALID_RESPONSE`.
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly status: number;
  readonly code: string;
  readonly details: Record<string, string> | undefined;
  readonly requestId: string | undefined;

  constructor(init: ApiErrorInit) {
    super(init.message, { cause: init.cause });
    this.status = init.status;
    this.code = init.code;
    this.details = init.details;
    this.requestId = init.requestId;
  }
}

export const isApiError = (error: unknown): error is ApiError => error instanceof ApiError;

interface Envelope {
  data: unknown;
  meta: unknown;
}

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

function buildUrl(path: string, query: RequestOptions['query']): string {
  const url = `${env.API_URL}${path.startsWith('/') ? path : `/${path}`}`;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    const values: readonly QueryValue[] = Array.isArray(value) ? value : [value];
    for (const item of values) {
      if (item !== undefined && item !== null) params.append(key, String(item));
    }
  }
  const search = params.toString();
  return search ? `${url}${url.includes('?') ? '&' : '?'}${search}` : url;
}

async function send(
  method: HttpMethod,
  path: string,
  options: RequestOptions,
  accessToken: string | null,
): Promise<Response> {
  const headers = new Headers(options.headers);
  headers.set('Accept', 'application/json');
  // FormData (an upload) goes as it is: the browser writes the multipart Content-Type with its boundary.
  const form = options.body instanceof FormData;
  if (options.body !== undefined && !form) headers.set('Content-Type', 'application/json');
  if (accessToken && !headers.has('Authorization')) headers.set('Authorization', `Bearer ${accessToken}`);
  try {
    return await fetch(buildUrl(path, options.query), {
      method,
      headers,
      body: options.body === undefined ? undefined : form ? (options.body as FormData) : JSON.stringify(options.body),
      credentials: 'same-origin',
      signal: options.signal,
    });
  } catch (cause) {
    // Cancellation is the caller's own doing (TanStack Query relies on seeing it unchanged), not a failure.
    if (options.signal?.aborted) throw cause;
    throw new ApiError({
      status: 0,
      code: 'NETWORK_ERROR',
      message: 'Could not reach the server. Check your connection and try again.',
      cause,
    });
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function toDetails(value: unknown): Record<string, string> | undefined {
  if (!isRecord(value)) return undefined;
  return Object.fromEntries(
    Object.entries(value).map(([field, reason]) => [
      field,
      typeof reason === 'string' ? reason : Array.isArray(reason) ? reason.join(', ') : JSON.stringify(reason),
    ]),
  );
}

/** Unwraps the success envelope or throws the error envelope (or a non-envelope body) as an `ApiError`. */
async function readEnvelope(response: Response): Promise<Envelope> {
  const headerRequestId =
    response.headers.get('X-Request-Id') ?? response.headers.get('X-Correlation-ID') ?? undefined;
  if (response.ok && (response.status === 204 || response.status === 205)) return { data: undefined, meta: undefined };

  let body: unknown;
  try {
    const text = await response.text();
    body = text ? JSON.parse(text) : undefined;
  } catch (cause) {
    body = cause;
  }

  if (isRecord(body) && body.success === false && isRecord(body.error)) {
    const { code, message, details, requestId } = body.error;
    throw new ApiError({
      status: response.status,
      code: typeof code === 'string' ? code : 'UNKNOWN_ERROR',
      message: typeof message === 'string' ? message : `Request failed (HTTP ${response.status}).`,
      details: toDetails(details),
      requestId: typeof requestId === 'string' ? requestId : headerRequestId,
    });
  }
  if (response.ok && isRecord(body) && body.success === true && 'data' in body) {
    return { data: body.data, meta: body.meta };
  }
  throw new ApiError({
    status: response.status,
    code: 'INVALID_RESPONSE',
    message: response.ok
      ? 'The server sent a response this page could not read.'
      : `The server could not complete the request (HTTP ${response.status}).`,
    requestId: headerRequestId,
    cause: body instanceof Error ? body : undefined,
  });
}

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
    const response = await send('POST', '/auth/refresh', { body: refreshToken ? { refresh_token: refreshToken } : {} }, null);
    const { data } = await readEnvelope(response);
    if (!isSession(data)) {
      throw new ApiError({
        status: response.status,
        code: 'INVALID_RESPONSE',
        message: 'The server sent a response this page could not read.',
      });
    }
    useAuthStore.getState().setSession(data);
    return data.access_token;
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
const needsSessionRestore = (path: string) => {
  const { accessToken, user } = useAuthStore.getState();
  return !accessToken && user !== null && !NO_REFRESH_PATHS.has(path);
};

async function request(method: HttpMethod, path: string, options: RequestOptions = {}): Promise<Envelope> {
  const sentToken = needsSessionRestore(path) ? await refreshAccessToken().catch(() => null) : useAuthStore.getState().accessToken;
  const response = await send(method, path, options, sentToken);
  if (response.status === 401 && !NO_REFRESH_PATHS.has(path)) {
    const token = await tokenAfterUnauthorized(sentToken);
    // A replay that is refused again is reported as is; refreshing a second time could loop.
    if (token) return readEnvelope(await send(method, path, options, token));
  }
  return readEnvelope(response);
}

async function requestPage<T>(path: string, options?: RequestOptions): Promise<Page<T>> {
  const { data, meta } = await request('GET', path, options);
  if (!Array.isArray(data) || !isRecord(meta)) {
    throw new ApiError({
      status: 200,
      code: 'INVALID_RESPONSE',
      message: 'The server sent a list this page could not read.',
    });
  }
  return { data: data as T[], meta: meta as unknown as PageMeta };
}

/**
 * The SPA's only HTTP client: same-origin JSON calls to `/api/v1`, envelope unwrapped, bearer token attached,
 * one shared token refresh on 401. Errors are always `ApiError` (except caller-initiated aborts).
 *
 * @example
 * const product = await api.get<Product>(`/products/${id}`, { signal });
 * const { data, meta } = await api.getPage<Product>('/products', { query: { page: 2, size: 20 } });
 */
export const api = {
  get: <T>(path: string, options?: RequestOptions) => request('GET', path, options).then((r) => r.data as T),
  post: <T>(path: string, options?: RequestOptions) => request('POST', path, options).then((r) => r.data as T),
  put: <T>(path: string, options?: RequestOptions) => request('PUT', path, options).then((r) => r.data as T),
  patch: <T>(path: string, options?: RequestOptions) => request('PATCH', path, options).then((r) => r.data as T),
  delete: <T = void>(path: string, options?: RequestOptions) =>
    request('DELETE', path, options).then((r) => r.data as T),
  /** For paginated lists: `data` is the page's items, `meta` the pagination block. */
  getPage: requestPage,
  /** For a page whose `data` is an object (items plus counts) rather than the items themselves. */
  getWithMeta: <T>(path: string, options?: RequestOptions) =>
    request('GET', path, options).then((r) => ({ data: r.data as T, meta: r.meta as PageMeta })),
};
