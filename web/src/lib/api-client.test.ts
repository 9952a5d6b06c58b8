import { beforeEach, describe, expect, it, vi } from 'vitest';

import { ApiError, client, dataOf, onSessionExpired, pageOf } from '@/lib/api-client';
import { AUTH_STORAGE_KEY, type AuthSession, type AuthUser, useAuthStore } from '@/stores/auth-store';
import {
  deferred,
  errorResponse,
  type FetchRoute,
  jsonResponse,
  mockFetch,
  type RecordedRequest,
  successResponse,
} from '@/testing/mock-fetch';

const user: AuthUser = {
  id: '7f0c2a52-2b1e-4c55-9a7e-0d6f4f0b6a11',
  email: 'customer@example.com',
  role: 'customer',
  first_name: 'Casey',
  last_name: 'Nguyen',
};

function logIn(accessToken: string | null, refreshToken = 'refresh-1') {
  useAuthStore.getState().setSession({ access_token: accessToken ?? '', refresh_token: refreshToken, user });
  if (accessToken === null) useAuthStore.setState({ accessToken: null });
}

const address = { recipient_name: 'Casey Nguyen', address_line1: '1 Trang Tien', city: 'Hanoi', postal_code: '100000', country: 'VN' };

const persistedAuth = () => JSON.parse(localStorage.getItem(AUTH_STORAGE_KEY) ?? 'null') as unknown;

/** A protected endpoint that only accepts `validToken`. */
const protectedRoute =
  (validToken: string, data: unknown): FetchRoute =>
  (request) =>
    request.headers.get('Authorization') === `Bearer ${validToken}`
      ? successResponse(data)
      : errorResponse(401, 'INVALID_TOKEN', 'Token expired');

const authHeaders = (requests: RecordedRequest[]) => requests.map((r) => r.headers.get('Authorization'));

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

beforeEach(() => {
  useAuthStore.getState().clearAuth();
});

describe('success envelope', () => {
  it('returns `data` and sends a same-origin JSON request to /api/v1 with the query string', async () => {
    const { requests } = mockFetch({
      'GET /api/v1/products': () => successResponse([{ id: 1 }], { page: 1, size: 20, totalElements: 1, totalPages: 1 }),
    });

    const data = await dataOf(
      client.GET('/products', { params: { query: { page: 2, q: 'desk lamp', sellerId: undefined, ratedOnly: true } } }),
    );

    expect(data).toEqual([{ id: 1 }]);
    expect(requests).toHaveLength(1);
    expect(requests[0]?.url).toBe('/api/v1/products?page=2&q=desk+lamp&ratedOnly=true');
    expect(requests[0]?.credentials).toBe('same-origin');
    expect(requests[0]?.headers.get('Accept')).toBe('application/json');
    expect(requests[0]?.headers.get('Authorization')).toBeNull();
  });

  it('getPage returns data and pagination meta together', async () => {
    const meta = { page: 3, size: 2, totalElements: 9, totalPages: 5 };
    mockFetch({ 'GET /api/v1/products': () => successResponse([{ id: 5 }, { id: 6 }], meta) });

    await expect(pageOf(client.GET('/products', { params: { query: { page: 3, size: 2 } } }))).resolves.toEqual({
      data: [{ id: 5 }, { id: 6 }],
      meta,
    });
  });

  it('serialises the body as JSON and unwraps a 201', async () => {
    const { requests } = mockFetch({
      'POST /api/v1/users/addresses': (request) => successResponse({ id: 'a1', ...(request.body as object) }, undefined, 201),
    });

    const created = await dataOf(client.POST('/users/addresses', { body: address }));

    expect(created).toEqual({ id: 'a1', ...address });
    expect(requests[0]?.headers.get('Content-Type')).toBe('application/json');
    expect(requests[0]?.body).toEqual(address);
  });

  it('resolves a 204 with undefined', async () => {
    mockFetch({ 'DELETE /api/v1/users/addresses/a1': () => new Response(null, { status: 204 }) });

    await expect(dataOf(client.DELETE('/users/addresses/{id}', { params: { path: { id: 'a1' } } }))).resolves.toBeUndefined();
  });

  it('attaches the access token as a bearer token', async () => {
    logIn('access-1');
    const { requests } = mockFetch({ 'GET /api/v1/users/profile': protectedRoute('access-1', { id: user.id }) });

    await expect(dataOf(client.GET('/users/profile'))).resolves.toEqual({ id: user.id });
    expect(authHeaders(requests)).toEqual(['Bearer access-1']);
  });
});

describe('ApiError', () => {
  it('carries status, code, message, details and requestId from the error envelope', async () => {
    mockFetch({
      'POST /api/v1/auth/register': () =>
        errorResponse(400, 'VALIDATION_ERROR', 'Invalid request body', {
          details: { email: 'must be a valid email' },
          requestId: 'req-42',
        }),
    });

    const error = await rejectionOf(
      client.POST('/auth/register', { body: { email: 'nope', password: 'x', first_name: 'A', last_name: 'B' } }),
    );

    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      name: 'ApiError',
      status: 400,
      code: 'VALIDATION_ERROR',
      message: 'Invalid request body',
      details: { email: 'must be a valid email' },
      requestId: 'req-42',
    });
  });

  it('turns a network failure into status 0 / NETWORK_ERROR', async () => {
    vi.stubGlobal('fetch', vi.fn().mockRejectedValue(new TypeError('Failed to fetch')));

    const error = await rejectionOf(dataOf(client.GET('/categories')));

    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 0, code: 'NETWORK_ERROR', details: undefined, requestId: undefined });
    expect((error as ApiError).cause).toBeInstanceOf(TypeError);
  });

  it('turns a non-JSON error body into INVALID_RESPONSE with the HTTP status and the request id header', async () => {
    mockFetch({
      'GET /api/v1/categories': () =>
        new Response('<html>502 Bad Gateway</html>', {
          status: 502,
          headers: { 'Content-Type': 'text/html', 'X-Request-Id': 'edge-7' },
        }),
    });

    const error = await rejectionOf(dataOf(client.GET('/categories')));

    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 502, code: 'INVALID_RESPONSE', requestId: 'edge-7' });
  });

  it('rejects a 200 whose body is not a success envelope', async () => {
    mockFetch({ 'GET /api/v1/categories': () => jsonResponse(200, [{ id: 1 }]) });

    await expect(dataOf(client.GET('/categories'))).rejects.toMatchObject({ status: 200, code: 'INVALID_RESPONSE' });
  });

  it('passes a caller abort through unchanged instead of reporting it as a network error', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn((request: Request) => {
        // As fetch does: a signal aborted before the call (the middleware is async) rejects at once.
        return new Promise((_resolve, reject) => {
          const abort = () => reject(new DOMException('Aborted', 'AbortError'));
          if (request.signal.aborted) abort();
          request.signal.addEventListener('abort', abort);
        });
      }),
    );
    const controller = new AbortController();

    const pending = rejectionOf(client.GET('/products', { signal: controller.signal }));
    controller.abort();
    const error = await pending;

    expect(error).not.toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ name: 'AbortError' });
  });
});

describe('session middleware (401 handling)', () => {
  const refreshedSession: AuthSession = { access_token: 'access-2', refresh_token: 'refresh-2', user };

  it('refreshes once for three concurrent 401s and replays all three with the new token', async () => {
    logIn('access-1', 'refresh-1');
    const refreshGate = deferred<Response>();
    const { fetchMock, requestsTo } = mockFetch({
      'GET /api/v1/users/profile': protectedRoute('access-2', { id: user.id }),
      'GET /api/v1/cart': protectedRoute('access-2', { items: [] }),
      'GET /api/v1/orders': protectedRoute('access-2', []),
      'POST /api/v1/auth/refresh': () => refreshGate.promise,
    });

    const calls = Promise.all([dataOf(client.GET('/users/profile')), dataOf(client.GET('/cart')), dataOf(client.GET('/orders'))]);
    // All three have been refused and the refresh is in flight before it is allowed to answer.
    await vi.waitFor(() => expect(fetchMock).toHaveBeenCalledTimes(4));
    expect(requestsTo('POST /api/v1/auth/refresh')).toHaveLength(1);
    refreshGate.resolve(successResponse(refreshedSession));

    await expect(calls).resolves.toEqual([{ id: user.id }, { items: [] }, []]);
    expect(requestsTo('POST /api/v1/auth/refresh')).toHaveLength(1);
    // The refresh token rides in its HttpOnly cookie; the SPA never holds it.
    expect(requestsTo('POST /api/v1/auth/refresh')[0]?.body).toEqual({});
    for (const key of ['GET /api/v1/users/profile', 'GET /api/v1/cart', 'GET /api/v1/orders']) {
      expect(authHeaders(requestsTo(key))).toEqual(['Bearer access-1', 'Bearer access-2']);
    }
    expect(useAuthStore.getState()).toMatchObject({ accessToken: 'access-2', refreshToken: null, user });
    // Only the user is persisted: neither the access token nor any refresh token reaches localStorage.
    expect(persistedAuth()).toMatchObject({ state: { user } });
    expect(localStorage.getItem(AUTH_STORAGE_KEY)).not.toContain('access-2');
    expect(localStorage.getItem(AUTH_STORAGE_KEY)).not.toContain('refresh');
  });

  it('replays a refused write with the same body and headers (the request was cloned before it was sent)', async () => {
    logIn('access-1', 'refresh-1');
    const { requestsTo } = mockFetch({
      'POST /api/v1/cart/items': (request) =>
        request.headers.get('Authorization') === 'Bearer access-2'
          ? successResponse({ items: [request.body] })
          : errorResponse(401, 'INVALID_TOKEN', 'Token expired'),
      'POST /api/v1/auth/refresh': () => successResponse(refreshedSession),
    });

    const line = { product_id: 7, quantity: 2 };
    await expect(
      dataOf(client.POST('/cart/items', { body: line, headers: { 'Idempotency-Key': 'k-1' } })),
    ).resolves.toEqual({ items: [line] });
    const sent = requestsTo('POST /api/v1/cart/items');
    expect(sent.map((r) => r.body)).toEqual([line, line]);
    expect(sent.map((r) => r.headers.get('Idempotency-Key'))).toEqual(['k-1', 'k-1']);
    expect(authHeaders(sent)).toEqual(['Bearer access-1', 'Bearer access-2']);
  });

  it('after a reload (user known, no access token) restores the session before the first call leaves', async () => {
    logIn(null, 'refresh-1');
    const { requestsTo } = mockFetch({
      'GET /api/v1/cart': protectedRoute('access-2', { items: [] }),
      // Answers anonymous callers too: sent without a token, it would quietly list only public products.
      'GET /api/v1/products': (request) => successResponse({ mine: request.headers.get('Authorization') === 'Bearer access-2' }),
      'POST /api/v1/auth/refresh': () => successResponse(refreshedSession),
    });

    await expect(Promise.all([dataOf(client.GET('/cart')), dataOf(client.GET('/products'))])).resolves.toEqual([{ items: [] }, { mine: true }]);
    expect(requestsTo('POST /api/v1/auth/refresh')).toHaveLength(1);
    expect(authHeaders(requestsTo('GET /api/v1/cart'))).toEqual(['Bearer access-2']);
    expect(authHeaders(requestsTo('GET /api/v1/products'))).toEqual(['Bearer access-2']);
  });

  it('after a reload whose session was revoked, clears it and sends the call anonymously', async () => {
    logIn(null, 'refresh-1');
    const { requestsTo } = mockFetch({
      'GET /api/v1/products': () => successResponse([]),
      'POST /api/v1/auth/refresh': () => errorResponse(401, 'INVALID_TOKEN', 'Refresh token revoked'),
    });

    await expect(dataOf(client.GET('/products'))).resolves.toEqual([]);
    expect(authHeaders(requestsTo('GET /api/v1/products'))).toEqual([null]);
    expect(useAuthStore.getState()).toMatchObject({ accessToken: null, user: null });
  });

  it('when the refresh is refused, clears auth and rejects every queued call with its ApiError', async () => {
    logIn('access-1', 'refresh-1');
    const expired = vi.fn();
    const unsubscribe = onSessionExpired(expired);
    const { requestsTo } = mockFetch({
      'GET /api/v1/users/profile': protectedRoute('access-2', {}),
      'GET /api/v1/cart': protectedRoute('access-2', {}),
      'GET /api/v1/orders': protectedRoute('access-2', []),
      'POST /api/v1/auth/refresh': () => errorResponse(401, 'INVALID_TOKEN', 'Refresh token revoked', { requestId: 'req-r' }),
    });

    const results = await Promise.allSettled([dataOf(client.GET('/users/profile')), dataOf(client.GET('/cart')), dataOf(client.GET('/orders'))]);
    unsubscribe();

    for (const result of results) {
      expect(result.status).toBe('rejected');
      const reason = (result as PromiseRejectedResult).reason as unknown;
      expect(reason).toBeInstanceOf(ApiError);
      expect(reason).toMatchObject({ status: 401, code: 'INVALID_TOKEN', requestId: 'req-r' });
    }
    expect(requestsTo('POST /api/v1/auth/refresh')).toHaveLength(1);
    expect(requestsTo('GET /api/v1/cart')).toHaveLength(1);
    expect(useAuthStore.getState()).toMatchObject({ accessToken: null, refreshToken: null, user: null });
    expect(persistedAuth()).toMatchObject({ state: { user: null } });
    expect(expired).toHaveBeenCalledTimes(1);
  });

  it('keeps the session when the refresh fails only because the network dropped', async () => {
    logIn('access-1', 'refresh-1');
    mockFetch({
      'GET /api/v1/cart': protectedRoute('access-2', {}),
      'POST /api/v1/auth/refresh': () => Promise.reject(new TypeError('Failed to fetch')),
    });

    await expect(dataOf(client.GET('/cart'))).rejects.toMatchObject({ status: 0, code: 'NETWORK_ERROR' });
    expect(useAuthStore.getState()).toMatchObject({ accessToken: 'access-1', user });
  });

  it('does not try to refresh when logged out; the 401 is returned as an ApiError', async () => {
    const { requestsTo } = mockFetch({
      'GET /api/v1/orders': () => errorResponse(401, 'UNAUTHORIZED', 'Authentication required'),
      'POST /api/v1/auth/refresh': () => successResponse(refreshedSession),
    });

    await expect(dataOf(client.GET('/orders'))).rejects.toMatchObject({
      status: 401,
      code: 'UNAUTHORIZED',
      message: 'Authentication required',
    });
    expect(requestsTo('GET /api/v1/orders')).toHaveLength(1);
    expect(requestsTo('POST /api/v1/auth/refresh')).toHaveLength(0);
  });

  it('does not refresh a second time when the replayed call is refused again', async () => {
    logIn('access-1', 'refresh-1');
    const { requestsTo } = mockFetch({
      'GET /api/v1/orders': () => errorResponse(401, 'INVALID_TOKEN', 'Session version is stale'),
      'POST /api/v1/auth/refresh': () => successResponse(refreshedSession),
    });

    await expect(dataOf(client.GET('/orders'))).rejects.toMatchObject({ status: 401, code: 'INVALID_TOKEN' });
    expect(requestsTo('POST /api/v1/auth/refresh')).toHaveLength(1);
    expect(authHeaders(requestsTo('GET /api/v1/orders'))).toEqual(['Bearer access-1', 'Bearer access-2']);
  });

  it('treats a 401 from login as wrong credentials, not an expired session', async () => {
    logIn('access-1', 'refresh-1');
    const { requestsTo } = mockFetch({
      'POST /api/v1/auth/login': () => errorResponse(401, 'INVALID_CREDENTIALS', 'Invalid email or password'),
      'POST /api/v1/auth/refresh': () => successResponse(refreshedSession),
    });

    await expect(client.POST('/auth/login', { body: { email: user.email, password: 'x' } })).rejects.toMatchObject({
      status: 401,
      code: 'INVALID_CREDENTIALS',
    });
    expect(requestsTo('POST /api/v1/auth/refresh')).toHaveLength(0);
    expect(useAuthStore.getState().user).toEqual(user);
  });
});
