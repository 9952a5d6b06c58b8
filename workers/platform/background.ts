import type { Context } from 'hono';

import type { AppBindings } from '@/env';
import { describeError } from '@/platform/logger';

/**
 * Runs `task` after the response via `waitUntil`, so it neither delays nor fails the answer; a failure is logged
 * with the request's logger. Without an execution context (route tests call `app.request` directly) the returned
 * promise settles when the task does, so a test that awaits it observes the effect deterministically.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function runAfterResponse(c: Context<AppBindings, any, any>, task: Promise<unknown>): Promise<void> {
  const guarded = task.then(
    () => undefined,
    (err: unknown) => c.get('logger')?.error('background task failed', describeError(err)),
  );
  let ctx: { waitUntil(promise: Promise<unknown>): void } | undefined;
  try {
    ctx = c.executionCtx;
  } catch {
    return guarded;
  }
  ctx.waitUntil(guarded);
  return Promise.resolve();
}
