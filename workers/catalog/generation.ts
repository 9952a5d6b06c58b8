import { edgeCache } from '@/platform/edge-cache';

/**
 * The catalog's generation in this colo's edge cache: every product or category write stores a new one, so a cache
 * of answers derived from the catalog (search suggestions, public product lists and details) keys its entries on it, misses at once in that colo and
 * never reads older entries again (they expire by their TTL).
 */
const GENERATION_URL = 'https://suggest.cache.internal/generation';

export async function catalogGeneration(cache: Cache): Promise<string> {
  const hit = await cache.match(GENERATION_URL);
  return hit ? await hit.text() : '0';
}

/** Called after product and category writes. */
export async function bumpCatalogGeneration(cache: Cache | undefined = edgeCache()): Promise<void> {
  if (!cache) return;
  await cache.put(GENERATION_URL, new Response(crypto.randomUUID(), { headers: { 'cache-control': 'max-age=86400' } }));
}
