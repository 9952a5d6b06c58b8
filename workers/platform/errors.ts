import { z } from '@hono/zod-openapi';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** Error codes of the API contract (and the per-route tables). */
export type ErrorCode =
  | 'BAD_REQUEST'
  | 'INVALID_BODY'
  | 'VALIDATION_ERROR'
  | 'UNAUTHORIZED'
  | 'INVALID_TOKEN'
  | 'FORBIDDEN'
  | 'ACCESS_DENIED'
  | 'NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'CONFLICT'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'TOO_MANY_REQUESTS'
  | 'INTERNAL_ERROR'
  | 'SERVICE_UNAVAILABLE'
  | (string & {});

export type ErrorDetails = Record<string, string>;

/**
 * The one exception services throw for anything a client should see. `app.onError` renders it as
 * the error envelope; everything else becomes a logged 500 with no internals exposed.
 */
export class AppError extends Error {
  override readonly name = 'AppError';

  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: ErrorCode,
    message: string,
    readonly details?: ErrorDetails,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

export const notFound = (code: ErrorCode, message: string) => new AppError(404, code, message);
export const forbidden = (message = 'You do not have access to this resource', code: ErrorCode = 'ACCESS_DENIED') =>
  new AppError(403, code, message);
export const conflict = (code: ErrorCode, message: string, details?: ErrorDetails) => new AppError(409, code, message, details);
export const badRequest = (code: ErrorCode, message: string, details?: ErrorDetails) => new AppError(400, code, message, details);

const errorEnvelopeSchema = z
  .object({
    success: z.literal(false),
    error: z.object({
      code: z.string().openapi({ example: 'VALIDATION_ERROR' }),
      message: z.string(),
      details: z.record(z.string(), z.string()).optional().openapi({ example: { email: 'Invalid email address' } }),
      requestId: z.string(),
    }),
  })
  .openapi('Error');

export type ErrorEnvelope = z.infer<typeof errorEnvelopeSchema>;

/** Response entries for `createRoute`, so every documented status carries the shared envelope. */
export function errorResponses<const S extends readonly ContentfulStatusCode[]>(...statuses: S) {
  const descriptions: Partial<Record<ContentfulStatusCode, string>> = {
    400: 'Invalid request',
    401: 'Missing or invalid credentials',
    403: 'Not allowed',
    404: 'Not found',
    409: 'Conflict with the current state',
    413: 'Body too large',
    415: 'The body is not sent as the declared media type (application/json)',
    422: 'Unprocessable request',
    429: 'Too many requests',
    503: 'A dependency is unavailable',
  };
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      { description: descriptions[status] ?? 'Error', content: { 'application/json': { schema: errorEnvelopeSchema } } },
    ]),
  ) as { [K in S[number]]: { description: string; content: { 'application/json': { schema: typeof errorEnvelopeSchema } } } };
}

/** Turns zod issues into the envelope's field → reason map (first issue per field wins). */
export function zodIssuesToDetails(issues: readonly { path: readonly PropertyKey[]; message: string; code?: string; keys?: readonly string[] }[]): ErrorDetails {
  const details: ErrorDetails = {};
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys' && issue.keys) {
      for (const key of issue.keys) {
        const field = [...issue.path.map(String), key].join('.');
        details[field] ??= 'Unknown field';
      }
      continue;
    }
    const field = issue.path.map(String).join('.') || '_';
    details[field] ??= issue.message;
  }
  return details;
}
