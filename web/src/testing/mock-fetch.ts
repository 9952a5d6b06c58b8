import { vi } from 'vitest';

export interface RecordedRequest {
  method: string;
  /** Path plus query, e.g. `/api/v1/products?page=2`. */
  url: string;
  headers: Headers;
  body: unknown;
  credentials: RequestCredentials | undefined;
}

export type FetchRoute = (request: RecordedRequest) => Response | Promise<Response>;

/**
 * Stubs the global `fetch` with a `vi.fn` that answers by `"METHOD /path"` (query string ignored for matching).
 * An unmatched call throws, which the API client reports as a network error, so a stray request fails the test.
 */
export function mockFetch(routes: Record<string, FetchRoute>) {
  const requests: RecordedRequest[] = [];
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const method = (init.method ?? 'GET').toUpperCase();
    const body = typeof init.body === 'string' ? (JSON.parse(init.body) as unknown) : init.body;
    const request: RecordedRequest = {
      method,
      url,
      headers: new Headers(init.headers),
      body,
      credentials: init.credentials,
    };
    requests.push(request);
    const route = routes[`${method} ${url.split('?')[0]}`];
    if (!route) throw new Error(`Unexpected fetch: ${method} ${url}`);
    return route(request);
  });
  vi.stubGlobal('fetch', fetchMock);

  return {
    fetchMock,
    requests,
    /** Requests sent to one `"METHOD /path"`. */
    requestsTo: (key: string) => requests.filter((r) => `${r.method} ${r.url.split('?')[0]}` === key),
  };
}

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  });
}

export const successResponse = (data: unknown, meta?: unknown, status = 200) =>
  jsonResponse(status, meta === undefined ? { success: true, data } : { success: true, data, meta });

export const errorResponse = (
  status: number,
  code: string,
  message: string,
  extra: { details?: Record<string, string>; requestId?: string } = {},
) => jsonResponse(status, { success: false, error: { code, message, requestId: 'req-test', ...extra } });

/** A promise plus its resolve, to hold a mocked response until the test releases it. */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((res) => {
    resolve = res;
  });
  return { promise, resolve };
}
