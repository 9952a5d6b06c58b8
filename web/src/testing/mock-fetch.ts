import { vi } from 'vitest';

export interface RecordedRequest {
  method: string;
  /** Path plus query, e.g. `/api/v1/products?page=2`. */
  url: string;
  headers: Headers;
  body: unknown;
  credentials: RequestCredentials | undefined;
  /** The request's signal: aborted once its caller (TanStack Query) gave up on it. */
  signal: AbortSignal;
}

/** A sent Request as tests read it: same-origin URLs without the origin, a JSON body parsed, a form body as FormData. */
async function record(sent: Request): Promise<RecordedRequest> {
  const url = new URL(sent.url);
  const path = url.origin === location.origin ? `${url.pathname}${url.search}` : sent.url;
  const type = sent.headers.get('Content-Type') ?? '';
  const body: unknown = type.startsWith('multipart/form-data')
    ? await sent.formData()
    : await sent.text().then((text) => (text ? (JSON.parse(text) as unknown) : undefined));
  return { method: sent.method, url: path, headers: sent.headers, body, credentials: sent.credentials, signal: sent.signal };
}

export type FetchRoute = (request: RecordedRequest) => Response | Promise<Response>;

/**
 * Stubs the global `fetch` with a `vi.fn` that answers by `"METHOD /path"` (query string ignored for matching).
 * An unmatched call throws, which the API client reports as a network error, so a stray request fails the test.
 */
export function mockFetch(routes: Record<string, FetchRoute>) {
  const requests: RecordedRequest[] = [];
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const request = await record(input instanceof Request ? input : new Request(new URL(String(input), location.href), init));
    requests.push(request);
    const route = routes[`${request.method} ${request.url.split('?')[0]}`];
    if (!route) throw new Error(`Unexpected fetch: ${request.method} ${request.url}`);
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
