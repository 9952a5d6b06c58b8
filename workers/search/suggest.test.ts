import { env } from 'cloudflare:test';
import { inArray } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';

import { createTestApp } from '@/app';
import { products } from '@/catalog/tables';
import { createDb } from '@/platform/db';
import { searchDepsFromEnv } from '@/composition';
import { createSearchRouter } from '@/search/routes';
import { bumpCatalogGeneration as invalidateSuggestions } from '@/catalog/generation';

const app = createTestApp(createSearchRouter(searchDepsFromEnv));

type Suggestion = { type: 'product' | 'category'; id: number; name: string; slug?: string };
interface Body {
  success: boolean;
  data: { query: string; suggestions: Suggestion[] };
  error?: { code: string };
}

async function suggest(q: string | undefined): Promise<{ status: number; cache: string | null; body: Body }> {
  const res = await app.request(`/api/v1/products/suggest${q === undefined ? '' : `?q=${encodeURIComponent(q)}`}`, {}, env);
  return { status: res.status, cache: res.headers.get('x-cache'), body: (await res.json()) as Body };
}
const names = (body: Body) => body.data.suggestions.map((item) => item.name);

const created: number[] = [];
afterAll(async () => {
  if (created.length > 0) await createDb(env).delete(products).where(inArray(products.id, created));
  await invalidateSuggestions();
});

describe('GET /api/v1/products/suggest', () => {
  it('suggests products whose name or one of its words starts with the text', async () => {
    const { status, body } = await suggest('Skil');
    expect(status).toBe(200);
    expect(body.data.query).toBe('Skil');
    expect(names(body)).toContain('Forge 26 cm Cast-Iron Skillet');
  });

  it('tolerates typos from the third character on', async () => {
    expect(names((await suggest('skilet')).body)).toContain('Forge 26 cm Cast-Iron Skillet');
    expect(names((await suggest('hedphones')).body)).toContain('Aurora ANC Wireless Headphones');
    // Two characters: prefixes only, no fuzzy matching ("xq" starts no word).
    expect((await suggest('xq')).body.data.suggestions).toEqual([]);
  });

  it('puts a matching category first, with its slug', async () => {
    const { body } = await suggest('footw');
    expect(body.data.suggestions[0]).toEqual({ type: 'category', id: 5, name: 'Footwear', slug: 'footwear' });
  });

  it('returns at most 8 suggestions and nothing for nonsense', async () => {
    expect((await suggest('s')).body.data.suggestions.length).toBeLessThanOrEqual(8);
    expect((await suggest('s')).body.data.suggestions.length).toBeGreaterThan(0);
    expect((await suggest('xqzt blorf')).body.data.suggestions).toEqual([]);
  });

  it.each([
    ['no q', undefined],
    ['an empty q', ''],
    ['blanks only', '   '],
    ['101 characters', 'a'.repeat(101)],
  ])('answers 400 VALIDATION_ERROR for %s', async (_name, q) => {
    const { status, body } = await suggest(q);
    expect(status).toBe(400);
    expect(body).toMatchObject({ success: false, error: { code: 'VALIDATION_ERROR' } });
  });

  it('serves repeats from the edge cache, and a product write invalidates it', async () => {
    const word = `zephyrq${Math.floor(Math.random() * 1e6)}`;
    const first = await suggest(word);
    expect(first.cache).toBe('MISS');
    expect(first.body.data.suggestions).toEqual([]);
    expect((await suggest(word)).cache).toBe('HIT');

    const [row] = await createDb(env)
      .insert(products)
      .values({ name: `${word} Lantern`, sellerId: crypto.randomUUID(), priceCents: 100, stockQuantity: 1, status: 'ACTIVE' })
      .returning({ id: products.id });
    created.push(row!.id);
    // Still the cached (stale) answer until a write path invalidates, as the catalog's writes do.
    expect((await suggest(word)).body.data.suggestions).toEqual([]);
    await invalidateSuggestions();
    const after = await suggest(word);
    expect(after.cache).toBe('MISS');
    expect(after.body.data.suggestions).toEqual([{ type: 'product', id: row!.id, name: `${word} Lantern` }]);
  });
});
