/**
 * Waits for the saga: calls `fn` every 100 ms until it returns something other than `undefined`, and fails after
 * `timeoutMs`. A condition, never a fixed sleep; the generous default absorbs a loaded two-core machine.
 */
export async function poll<T>(fn: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting for the saga');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
