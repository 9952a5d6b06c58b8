/**
 * The real model end to end, the way `npm start` runs it: all-MiniLM-L6-v2 behind the embeddings server,
 * the seed embedded through it, and the Worker's search code (the `http` embedder `EMBEDDER=http`
 * selects, Neon HTTP through the local proxy, pgvector) answering meaning queries. The one slow test file
 * (model load + 40 product texts); everything else uses the hashing embedder.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { AppEnv } from '../../workers/env.ts';
import { createDb } from '../../workers/platform/db.ts';
import { createEmbedder, getSearchConfig } from '../../workers/search/config.ts';
import { createLocalEmbedder } from '../../workers/search/local-embedder.ts';
import { aiSearchQuerySchema } from '../../workers/search/schema.ts';
import { smartSearch, type SearchDeps } from '../../workers/search/service.ts';
import { MINILM_MIN_SIMILARITY, MINILM_MODEL } from './model.ts';
import { startSemanticStack, type SemanticStack } from './stack.ts';

let stack: SemanticStack;
let env: AppEnv;

beforeAll(async () => {
  stack = await startSemanticStack();
  env = stack.env;
}, 240_000);

afterAll(() => stack?.close());

function deps(overrides: Partial<SearchDeps> = {}): SearchDeps {
  return { db: createDb(env), embedder: createEmbedder(env), minSimilarity: getSearchConfig(env).AI_MIN_SIMILARITY, queryTimeoutMs: 10_000, caches: null, ...overrides };
}
const search = (q: string, mode: 'ai' | 'hybrid' | 'keyword', overrides: Partial<SearchDeps> = {}) =>
  smartSearch(deps(overrides), aiSearchQuerySchema.parse({ q, mode, limit: 10 }));

describe('semantic search with all-MiniLM-L6-v2', () => {
  it('embedded every seed product with the model, under its own model name', () => {
    expect(stack.embedded).toBe(40);
    expect(createEmbedder(env).model).toBe(`http:${MINILM_MODEL}`);
    expect(getSearchConfig(env).AI_MIN_SIMILARITY).toBe(MINILM_MIN_SIMILARITY);
  });

  it('finds the insulated bottle for a query that shares no word with it', async () => {
    const keyword = await search('keep my drinks hot on a hike', 'keyword');
    expect(keyword.results.map((item) => item.id)).not.toContain(35);
    for (const mode of ['ai', 'hybrid'] as const) {
      const result = await search('keep my drinks hot on a hike', mode);
      expect(result.mode).toBe(mode);
      expect(result.results[0]?.name).toBe('Insulated Steel Water Bottle 1 L');
    }
  });

  it.each([
    ['a pan for searing steak', [13]],
    ['stay cozy overnight in the mountains', [34, 33]],
    ['protect my face from the sun at the beach', [38]],
    ['a portable computer for travelling', [6]],
  ])('ranks the right product in the top 3 for "%s"', async (q, expected) => {
    const top = (await search(q, 'ai')).results.slice(0, 3).map((item) => item.id);
    expect(top.some((id) => expected.includes(id))).toBe(true);
  });

  it('returns nothing above the floor for nonsense', async () => {
    for (const q of ['xqzt blorf', 'asdf qwer', 'lorem ipsum dolor']) {
      expect((await search(q, 'ai')).results).toEqual([]);
      expect((await search(q, 'hybrid')).results).toEqual([]);
    }
  });

  it('never compares vectors of different models: the hashing embedder finds nothing semantic here', async () => {
    const result = await search('insulated steel water bottle', 'ai', { embedder: createLocalEmbedder() });
    expect(result.mode).toBe('ai');
    expect(result.results).toEqual([]);
  });
});
