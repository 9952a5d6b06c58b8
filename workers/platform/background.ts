import type { Context } from 'hono';

import { getConfig, type AppBindings, type AppEnv } from '@/env';
import { createLogger, describeError } from '@/platform/logger';

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

// Loaded lazily: the app module graph is also imported in Node (OpenAPI generation), where this module does not exist.
let runtime: Promise<{ waitUntil(promise: Promise<unknown>): void }> | undefined;

/**
 * Starts `task` now and keeps the invocation alive until it settles (`waitUntil` of the current request, queue
 * batch or alarm), without a Hono context: for work started deep in a domain (after a commit) that must neither
 * delay nor fail its caller. A failure is logged as a warning.
 */
export function runInBackground(env: AppEnv, what: string, task: () => Promise<unknown>): void {
  const promise = Promise.resolve()
    .then(task)
    .catch((err: unknown) => createLogger(getConfig(env).LOG_LEVEL, { domain: 'background' }).warn(`${what} failed`, describeError(err)));
  runtime ??= import('cloudflare:workers');
  runtime.then(
    (workers) => {
      try {
        workers.waitUntil(promise);
      } catch {
        // No request or message context: the promise simply runs on.
      }
    },
    // Outside the Workers runtime the promise simply runs on.
    () => undefined,
  );
}
