import { edgeCache } from '@/platform/edge-cache';

/**
 * The catalog's generation in this colo's edge cache: every product or category write stores a new one, so a cache
 * of answers derived from the catalog (search suggestions, public product lists and details) keys its entries on it,
 * misses at once in the isolate that wrote and within {@link GENERATION_MEMO_MS} in the colo's other isolates, and
 * never reads older entries again (they expire by their TTL).
 */
const GENERATION_URL = 'https://suggest.cache.internal/generation';

/** How long an isolate trusts the generation it last read: one Cache API lookup per second instead of per request. */
const GENERATION_MEMO_MS = 1_000;

let known: { generation: string; until: number } | undefined;

const remember = (generation: string) => {
  known = { generation, until: Date.now() + GENERATION_MEMO_MS };
  return generation;
};

export async function catalogGeneration(cache: Cache): Promise<string> {
  if (known && known.until > Date.now()) return known.generation;
  const hit = await cache.match(GENERATION_URL);
  return remember(hit ? await hit.text() : '0');
}

/** Called after product and category writes. */
export async function bumpCatalogGeneration(cache: Cache | undefined = edgeCache()): Promise<void> {
  if (!cache) return;
  const generation = crypto.randomUUID();
  await cache.put(GENERATION_URL, new Response(generation, { headers: { 'cache-control': 'max-age=86400' } }));
  remember(generation);
}
