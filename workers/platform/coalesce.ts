/**
 * Group commit for sends: every `add(item)` resolves once a `flush` that carried the item succeeded
 * (or rejects with that flush's error). The first add starts a flush on the next microtask; items
 * added while a flush is in flight go out together in the next one, at most `maxItems` (and, when
 * `sizeOf` is given, about `maxBytes`) per flush. Concurrent handlers of a batch thus share one
 * `sendBatch` (one round trip) instead of one `send` each, while each can still await its own item.
 */
export function createCoalescer<T>(
  flush: (items: T[]) => Promise<void>,
  limits: { maxItems?: number; maxBytes?: number; sizeOf?: (item: T) => number } = {},
): (item: T) => Promise<void> {
  const maxItems = limits.maxItems ?? 100;
  const maxBytes = limits.maxBytes ?? Number.POSITIVE_INFINITY;
  const pending: { item: T; resolve: () => void; reject: (error: unknown) => void }[] = [];
  let running = false;

  const takeChunk = () => {
    let bytes = 0;
    let count = 0;
    while (count < pending.length && count < maxItems) {
      const size = limits.sizeOf?.(pending[count]!.item) ?? 0;
      if (count > 0 && bytes + size > maxBytes) break;
      bytes += size;
      count++;
    }
    return pending.splice(0, count);
  };

  const drain = async () => {
    while (pending.length > 0) {
      const chunk = takeChunk();
      try {
        await flush(chunk.map((entry) => entry.item));
        for (const entry of chunk) entry.resolve();
      } catch (error) {
        for (const entry of chunk) entry.reject(error);
      }
    }
    running = false;
  };

  return (item) =>
    new Promise<void>((resolve, reject) => {
      pending.push({ item, resolve, reject });
      if (running) return;
      running = true;
      // A microtask later, so the adds of one tick leave together.
      void Promise.resolve().then(drain);
    });
}

/** Approximate JSON size of a queue body, for the 256 KB `sendBatch` limit. */
const jsonBytes = (body: unknown) => JSON.stringify(body).length;

/** Queue `sendBatch` allows 100 messages and 256 KB per call; this keeps a margin for metadata. */
const SEND_BATCH_LIMITS = { maxItems: 100, maxBytes: 200_000 } as const;

/** A coalescing `send` for one queue: concurrent sends share `sendBatch` calls (see {@link createCoalescer}). */
export function coalescedSender(queue: Queue): (body: unknown) => Promise<void> {
  const flush = async (bodies: unknown[]) => {
    await queue.sendBatch(bodies.map((body) => ({ body, contentType: 'json' as const })));
  };
  return createCoalescer<unknown>(flush, { ...SEND_BATCH_LIMITS, sizeOf: jsonBytes });
}
