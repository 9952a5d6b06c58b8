/** The colo's default cache (Cache API); undefined outside workerd (Node scripts), where nothing is cached. */
export const edgeCache = (): Cache | undefined => (typeof caches === 'undefined' ? undefined : caches.default);

export type CacheOutcome = 'hit' | 'miss';

/**
 * A JSON value from the edge cache under `key` (an absolute URL), or produced and stored for `ttlSeconds`.
 * Without a cache (Node) it is always produced. A producer that throws stores nothing.
 */
export async function cachedJson<T>(
  cache: Cache | undefined,
  key: string,
  ttlSeconds: number,
  produce: () => Promise<T>,
): Promise<{ value: T; cache: CacheOutcome }> {
  if (!cache) return { value: await produce(), cache: 'miss' };
  const hit = await cache.match(key);
  if (hit) return { value: (await hit.json()) as T, cache: 'hit' };
  const value = await produce();
  await cache.put(key, new Response(JSON.stringify(value), { headers: { 'content-type': 'application/json', 'cache-control': `max-age=${ttlSeconds}` } }));
  return { value, cache: 'miss' };
}
