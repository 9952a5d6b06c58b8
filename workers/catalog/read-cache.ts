import type { AuthUser } from '@/env';
import { catalogGeneration } from '@/catalog/generation';
import { cachedJson, edgeCache, type CacheOutcome } from '@/platform/edge-cache';

/**
 * How long a colo may serve a cached public product list or detail. A product write in that colo invalidates
 * at once in its isolate and within a second in the others (new catalog generation); stock and sold counts, which orders change without a product write, and
 * other colos lag by at most this. docs/decisions/catalog.md.
 */
const CATALOG_READ_TTL_SECONDS = 10;

/** Anonymous callers and customers see exactly the public catalog; sellers and admins may also see hidden rows. */
const seesPublicCatalog = (user: AuthUser | undefined) => user === undefined || user.role === 'customer';

/** A stable key for a validated query object: its defined entries, sorted by name. */
export const queryKey = (query: object) =>
  new URLSearchParams(
    Object.entries(query)
      .filter(([, value]) => value !== undefined)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, value]) => [name, typeof value === 'object' ? JSON.stringify(value) : String(value)]),
  ).toString();

/**
 * A public catalog read (`GET /products`, `GET /products/{id}`) through the edge cache, keyed on the catalog's
 * generation, `path` and the normalised query; `bypass` for callers who may see more than the public catalog.
 */
export async function cachedCatalogRead<T>(
  user: AuthUser | undefined,
  path: string,
  produce: () => Promise<T>,
  cache: Cache | undefined = edgeCache(),
): Promise<{ value: T; cache: CacheOutcome | 'bypass' }> {
  if (!seesPublicCatalog(user)) return { value: await produce(), cache: 'bypass' };
  const key = cache ? `https://catalog.cache.internal/${await catalogGeneration(cache)}${path}` : '';
  return cachedJson(cache, key, CATALOG_READ_TTL_SECONDS, produce);
}
