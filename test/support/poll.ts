import { vi } from 'vitest';

/**
 * Waits for the saga: calls `fn` every `intervalMs` until it returns something other than `undefined`, and fails
 * after `timeoutMs` (vitest's `vi.waitFor`, which reports the last reason for waiting). A condition, never a fixed
 * sleep; the generous default absorbs a loaded two-core machine.
 */
export function poll<T>(fn: () => Promise<T | undefined>, timeoutMs = 20_000, intervalMs = 100): Promise<T> {
  return vi.waitFor(
    async () => {
      const value = await fn();
      if (value === undefined) throw new Error('still waiting for the condition');
      return value;
    },
    { timeout: timeoutMs, interval: intervalMs },
  );
}
