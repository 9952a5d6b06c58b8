import { OpenAPIHono } from '@hono/zod-openapi';

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
