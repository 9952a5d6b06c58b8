import type { z } from 'zod';

import { AppError, zodIssuesToDetails } from '@/platform/errors';

/**
 * Parses an optional JSON body: empty (whatever the Content-Type) → `undefined`; otherwise it must
 * be JSON matching `schema`. For PUT actions whose body is optional (`{reason?}` on cancel) — the
 * generic validator rejects an empty body sent with `Content-Type: application/json`.
 */
export async function readOptionalJson<S extends z.ZodType>(request: Request, schema: S): Promise<z.infer<S> | undefined> {
  const text = await request.text();
  if (text.trim() === '') return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AppError(400, 'INVALID_BODY', 'The request body is not valid JSON');
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new AppError(400, 'VALIDATION_ERROR', 'Request validation failed', zodIssuesToDetails(parsed.error.issues));
  return parsed.data;
}
