import { describe, expect, it } from 'vitest';

import { cachedJson } from '@/platform/edge-cache';

/** A Cache API stand-in that counts lookups; entries never expire on their own. */
function countingCache() {
  const entries = new Map<string, Response>();
  const calls = { match: 0, put: 0 };
  const cache = {
    match: async (key: string) => {
      calls.match++;
      return entries.get(key)?.clone();
    },
    put: async (key: string, response: Response) => {
      calls.put++;
      entries.set(key, response);
    },
  } as unknown as Cache;
  return { cache, calls, entries };
}

const uniqueKey = () => `https://test.cache.internal/${crypto.randomUUID()}`;

describe('cachedJson', () => {
  it('answers a repeat from the isolate, without a Cache API lookup', async () => {
    const { cache, calls } = countingCache();
    const key = uniqueKey();
    let produced = 0;
    const produce = async () => ({ n: ++produced });
    expect(await cachedJson(cache, key, 60, produce)).toEqual({ value: { n: 1 }, cache: 'miss' });
    expect(await cachedJson(cache, key, 60, produce)).toEqual({ value: { n: 1 }, cache: 'hit' });
    expect(calls).toEqual({ match: 1, put: 1 });
    expect(produced).toBe(1);
  });

  it('keeps what the Cache API answered no longer than the cached response lives', async () => {
    const { cache, calls, entries } = countingCache();
    const key = uniqueKey();
    const expired = String(Date.now() - 1);
    entries.set(key, new Response(JSON.stringify({ from: 'another isolate' }), { headers: { 'x-expires-at': expired } }));
    expect(await cachedJson(cache, key, 60, async () => ({ from: 'producer' }))).toEqual({ value: { from: 'another isolate' }, cache: 'hit' });
    // Its life is over: the next ask goes back to the Cache API instead of the isolate's copy.
    expect(await cachedJson(cache, key, 60, async () => ({ from: 'producer' }))).toEqual({ value: { from: 'another isolate' }, cache: 'hit' });
    expect(calls.match).toBe(2);
  });

  it('stores nothing when the producer throws', async () => {
    const { cache, calls } = countingCache();
    const key = uniqueKey();
    await expect(cachedJson(cache, key, 60, async () => Promise.reject(new Error('database down')))).rejects.toThrow('database down');
    expect(await cachedJson(cache, key, 60, async () => 'fresh')).toEqual({ value: 'fresh', cache: 'miss' });
    expect(calls.put).toBe(1);
  });
});
