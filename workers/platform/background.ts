/**
 * Runs `task` after the response via `waitUntil`. Without an execution context (route tests call
 * `app.request` directly) it is awaited instead, so tests observe its effect deterministically.
 * The task must handle its own errors.
 */
export async function runAfterResponse(c: { readonly executionCtx: { waitUntil(promise: Promise<unknown>): void } }, task: Promise<unknown>): Promise<void> {
  let ctx: { waitUntil(promise: Promise<unknown>): void } | undefined;
  try {
    ctx = c.executionCtx;
  } catch {
    ctx = undefined;
  }
  if (ctx) ctx.waitUntil(task);
  else await task;
}
