import { describe, expect, it } from 'vitest';

import { CATEGORIES, PRODUCTS } from '../../scripts/db/seed-data.ts';
import { cosineSimilarity, EMBEDDING_DIMENSIONS } from '@/search/embedder';
import { productEmbeddingText } from '@/search/embedding-text';
import { createLocalEmbedder, embedText, LOCAL_EMBEDDER_MODEL, stem, tokenize } from '@/search/local-embedder';

const norm = (vector: number[]) => Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0));
const sim = (a: string, b: string) => cosineSimilarity(embedText(a), embedText(b));

const seedTexts = PRODUCTS.map((product) => ({
  id: product.id,
  text: productEmbeddingText({ ...product, categoryName: CATEGORIES.find((category) => category.id === product.categoryId)!.name }),
}));
const ranked = (query: string) =>
  seedTexts.map(({ id, text }) => ({ id, similarity: sim(query, text) })).sort((a, b) => b.similarity - a.similarity);

describe('local embedder', () => {
  it('produces 384-d unit vectors, one per text, in order', async () => {
    const embedder = createLocalEmbedder();
    expect(embedder).toMatchObject({ model: LOCAL_EMBEDDER_MODEL, dimensions: EMBEDDING_DIMENSIONS });
    const vectors = await embedder.embed(['wireless headphones', 'cast iron skillet']);
    expect(vectors).toHaveLength(2);
    for (const vector of vectors) {
      expect(vector).toHaveLength(384);
      expect(norm(vector)).toBeCloseTo(1, 10);
    }
    expect(vectors[0]).not.toEqual(vectors[1]);
  });

  it('is deterministic across calls and embedder instances', async () => {
    const first = await createLocalEmbedder().embed(['Aurora ANC Wireless Headphones']);
    const second = await createLocalEmbedder().embed(['Aurora ANC Wireless Headphones']);
    expect(second).toEqual(first);
  });

  it('gives text without words a zero vector instead of NaN', () => {
    expect(embedText('the and of !!').every((value) => value === 0)).toBe(true);
  });

  it('stems inflections onto one feature', () => {
    expect(stem('headphones')).toBe(stem('headphone'));
    expect(stem('running')).toBe('run');
    expect(stem('batteries')).toBe('battery');
    expect(tokenize('The Running Shoes, for runs!')).toEqual(['run', 'shoe', 'run']);
    expect(sim('headphones', 'headphone')).toBeCloseTo(1, 10);
  });

  it('rates related texts above unrelated ones', () => {
    expect(sim('running shoes', 'Stride Cushioned Road Running Shoe')).toBeGreaterThan(sim('running shoes', 'BrewWell Coffee Maker'));
    expect(sim('wireless headphones', 'Aurora ANC Wireless Headphones')).toBeGreaterThan(0.5);
    expect(sim('wireless headphones', 'Forge Cast-Iron Skillet')).toBeLessThan(0.2);
  });

  it('puts the obvious seed product first and clears the 0.30 floor for it', () => {
    for (const [query, id] of [['wireless headphones', 1], ['running shoes', 21], ['skillet', 13], ['coffee maker', 11], ['hiking boots', 22], ['bluetooth speaker', 5]] as const) {
      const [best] = ranked(query);
      expect(best, query).toMatchObject({ id });
      expect(best!.similarity, query).toBeGreaterThanOrEqual(0.3);
    }
  });

  it('keeps nonsense below the 0.30 floor for every seed product', () => {
    for (const query of ['xqzt blorf', 'asdf qwer', 'zzz', 'lorem ipsum dolor']) {
      expect(ranked(query)[0]!.similarity, query).toBeLessThan(0.3);
    }
  });
});
