import type { MiddlewareHandler } from 'hono';

import type { AppBindings } from '@/env';

const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json$/i;

/**
 * For routes whose JSON body is optional (`{reason?}` on cancel): a body sent empty with a JSON content type
 * counts as `{}`, as it always has, instead of "malformed JSON". Everything else is left to the route's declared
 * body schema, which @hono/zod-openapi enforces whatever the content type: a declared JSON body sent as another
 * media type is 415, a body without a content type is 415, and a JSON body is validated by its schema.
 * Mount it in the route's `middleware` (it runs before the validators).
 */
export function emptyJsonBodyIsEmpty(): MiddlewareHandler<AppBindings> {
  return async (c, next) => {
    const mediaType = (c.req.header('content-type') ?? '').split(';')[0]!.trim();
    // Hono's JSON validator parses the cached text of the body, so an empty text is replaced by `{}` there.
    if (JSON_MEDIA_TYPE.test(mediaType) && (await c.req.text()).trim() === '') (c.req.bodyCache as { text?: Promise<string> }).text = Promise.resolve('{}');
    await next();
  };
}
