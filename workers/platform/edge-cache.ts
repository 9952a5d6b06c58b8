/** The colo's default cache (Cache API); undefined outside workerd (Node scripts), where nothing is cached. */
export const edgeCache = (): Cache | undefined => (typeof caches === 'undefined' ? undefined : caches.default);

export type CacheOutcome = 'hit' | 'miss';

const EXPIRES_HEADER = 'x-expires-at';
const MEMO_LIMIT = 1_000;

/**
 * Answers this isolate stored or found lately, in front of the Cache API, so a repeat costs no lookup. An entry
 * lives until the cached response would expire (never longer), and the keys name what makes an answer stale (the
 * catalog's generation), so a write is seen as soon as through the Cache API alone. Oldest first out.
 */
const memo = new Map<string, { value: unknown; expiresAt: number }>();

function remember(key: string, value: unknown, expiresAt: number): void {
  if (memo.size >= MEMO_LIMIT) memo.delete(memo.keys().next().value!);
  memo.set(key, { value, expiresAt });
}

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
  const known = memo.get(key);
  if (known && known.expiresAt > Date.now()) return { value: known.value as T, cache: 'hit' };
  const hit = await cache.match(key);
  if (hit) {
    const value = (await hit.json()) as T;
    remember(key, value, Number(hit.headers.get(EXPIRES_HEADER)) || 0);
    return { value, cache: 'hit' };
  }
  const value = await produce();
  const expiresAt = Date.now() + ttlSeconds * 1000;
  const headers = { 'content-type': 'application/json', 'cache-control': `max-age=${ttlSeconds}`, [EXPIRES_HEADER]: String(expiresAt) };
  await cache.put(key, new Response(JSON.stringify(value), { headers }));
  remember(key, value, expiresAt);
  return { value, cache: 'miss' };
}
