import { OpenAPIHono } from '@hono/zod-openapi';
import type { Hono, Schema } from 'hono';

import type { AppBindings } from '@/env';
import { AppError, zodIssuesToDetails } from '@/platform/errors';

/** A router for one domain, sharing the validation hook that turns zod failures into 400 `VALIDATION_ERROR`. */
export function createRouter() {
  return new OpenAPIHono<AppBindings>({
    defaultHook: (result) => {
      if (!result.success) {
        throw new AppError(400, 'VALIDATION_ERROR', 'Request validation failed', zodIssuesToDetails(result.error.issues));
      }
    },
  });
}

export type AppRouter = ReturnType<typeof createRouter>;

/** How specific a path is, segment by segment: a literal (0) beats a parameter (1), which beats a wildcard (2). */
const specificity = (path: string) => path.split('/').filter(Boolean).map((segment) => (segment === '*' ? 2 : segment.startsWith(':') ? 1 : 0));

/** Lexicographic, so the order is total: a literal first at the first place two paths differ, a prefix first. */
function compareSpecificity(a: number[], b: number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/**
 * Mounts routers that share URL prefixes (catalog and search under `/products`, orders and notifications under
 * `/orders`) so that their order does not matter. Hono tries a request's matching handlers in registration order,
 * so `/products/search` must be registered before another router's `/products/{id}`. Here every router's
 * middleware (`use`, method ALL) comes first, then every handler, the one with a literal segment before the one
 * with a parameter at the same place; ties keep their order, so one route's validators stay before its handler.
 */
export function mountRouters(app: AppRouter, routers: Hono<AppBindings, Schema, string>[]): void {
  const staging = createRouter();
  for (const router of routers) staging.route('/', router);
  const middleware = staging.routes.filter((r) => r.method === 'ALL');
  const handlers = staging.routes.filter((r) => r.method !== 'ALL').sort((a, b) => compareSpecificity(specificity(a.path), specificity(b.path)));
  const combined = createRouter();
  for (const route of [...middleware, ...handlers]) combined.on(route.method, route.path, route.handler);
  combined.openAPIRegistry = staging.openAPIRegistry;
  app.route('/', combined);
}
