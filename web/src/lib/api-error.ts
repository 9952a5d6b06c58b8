import type { Middleware } from 'openapi-fetch';

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

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export const invalidResponse = (status: number, message = 'The server sent a response this page could not read.') =>
  new ApiError({ status, code: 'INVALID_RESPONSE', message });

/** A fetch that never reached the server, unless the caller aborted it (TanStack Query relies on seeing that unchanged). */
export function networkError(cause: unknown, signal: AbortSignal | undefined): unknown {
  if (signal?.aborted) return cause;
  return new ApiError({
    status: 0,
    code: 'NETWORK_ERROR',
    message: 'Could not reach the server. Check your connection and try again.',
    cause,
  });
}

function toDetails(value: unknown): Record<string, string> | undefined {
  if (!isRecord(value)) return undefined;
  return Object.fromEntries(
    Object.entries(value).map(([field, reason]) => [
      field,
      typeof reason === 'string' ? reason : Array.isArray(reason) ? reason.join(', ') : JSON.stringify(reason),
    ]),
  );
}

function parse(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch (cause) {
    return cause;
  }
}

/** Throws the error envelope (or a body that is no envelope at all) as an `ApiError`; a success envelope passes. */
async function checkEnvelope(response: Response): Promise<Response> {
  if (response.ok && (response.status === 204 || response.status === 205)) return response;
  const text = await response.text();
  const body = parse(text);
  const headerRequestId = response.headers.get('X-Request-Id') ?? response.headers.get('X-Correlation-ID') ?? undefined;
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
    return new Response(text, { status: response.status, statusText: response.statusText, headers: response.headers });
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

/**
 * The one place the wire's envelope becomes `ApiError`: every answer that is not a success envelope is thrown, and
 * a fetch that fails before any answer is a `NETWORK_ERROR`. Registered first, so its `onResponse` runs last (after
 * the session middleware has replayed a 401).
 */
export const envelopeMiddleware: Middleware = {
  onResponse: ({ response }) => checkEnvelope(response),
  onError: ({ error, request }) => {
    const mapped = networkError(error, request.signal);
    return mapped instanceof Error ? mapped : undefined;
  },
};
