import { env } from 'cloudflare:test';
import { describe, expect, it, vi } from 'vitest';

import { createEmbedder } from '@/search/config';
import { LOCAL_EMBEDDER_MODEL } from '@/search/local-embedder';
import { createHttpEmbedder, createWorkersAiEmbedder, WORKERS_AI_EMBEDDING_MODEL, type TextEmbeddingAi } from '@/search/remote-embedders';

const vector = (seed: number) => Array.from({ length: 384 }, (_, i) => ((i * seed) % 7) - 3);
const norm = (v: number[]) => Math.sqrt(v.reduce((sum, x) => sum + x * x, 0));

describe('Workers AI embedder', () => {
  it('sends all texts in one call with cls pooling and returns normalised vectors in order', async () => {
    const run = vi.fn(async (_model: string, inputs: { text: string[] }) => ({ shape: [inputs.text.length, 384], data: inputs.text.map((_, i) => vector(i + 2)) }));
    const embedder = createWorkersAiEmbedder({ run } as TextEmbeddingAi);
    const vectors = await embedder.embed(['a', 'b']);
    expect(run).toHaveBeenCalledExactlyOnceWith(WORKERS_AI_EMBEDDING_MODEL, { text: ['a', 'b'], pooling: 'cls' });
    expect(embedder.model).toBe('@cf/baai/bge-small-en-v1.5#cls');
    expect(vectors).toHaveLength(2);
    expect(norm(vectors[0]!)).toBeCloseTo(1, 10);
    expect(vectors[0]![1]! / vectors[0]![2]!).toBeCloseTo(vector(2)[1]! / vector(2)[2]!, 10);
  });

  it('rejects output of the wrong dimension or count, and a missing binding', async () => {
    await expect(createWorkersAiEmbedder({ run: async () => ({ data: [[0.1, 0.2]] }) }).embed(['a'])).rejects.toThrow(/2-d/);
    await expect(createWorkersAiEmbedder({ run: async () => ({ data: [] }) }).embed(['a'])).rejects.toThrow(/0 vectors/);
    await expect(createWorkersAiEmbedder({ run: async () => ({ request_id: 'x' }) }).embed(['a'])).rejects.toThrow(/no embeddings/);
    await expect(createWorkersAiEmbedder(undefined).embed(['a'])).rejects.toThrow(/AI binding/);
  });
});

describe('HTTP embedder', () => {
  it('posts an OpenAI-style request with the bearer key and orders vectors by index', async () => {
    const fetch = vi.fn(async (_url: RequestInfo | URL, _init?: RequestInit) =>
      Response.json({ data: [{ index: 1, embedding: vector(3) }, { index: 0, embedding: vector(2) }], model: 'm' }),
    );
    const embedder = createHttpEmbedder({ url: 'http://127.0.0.1:9/v1/embeddings', model: 'all-MiniLM-L6-v2', apiKey: 'k', timeoutMs: 500, fetch });
    const vectors = await embedder.embed(['first', 'second']);
    const [url, init] = fetch.mock.calls[0]!;
    expect(url).toBe('http://127.0.0.1:9/v1/embeddings');
    expect(init?.method).toBe('POST');
    expect(new Headers(init?.headers).get('authorization')).toBe('Bearer k');
    expect(JSON.parse(init?.body as string)).toEqual({ model: 'all-MiniLM-L6-v2', input: ['first', 'second'] });
    expect(vectors[0]![1]! / vectors[0]![2]!).toBeCloseTo(vector(2)[1]! / vector(2)[2]!, 10);
    expect(embedder.model).toBe('http:all-MiniLM-L6-v2');
  });

  it('sends no authorization header without a key', async () => {
    const fetch = vi.fn(async (_url: RequestInfo | URL, _init?: RequestInit) => Response.json({ data: [{ index: 0, embedding: vector(2) }] }));
    await createHttpEmbedder({ url: 'http://127.0.0.1:9/v1/embeddings', model: 'm', timeoutMs: 500, fetch }).embed(['x']);
    expect(new Headers(fetch.mock.calls[0]![1]?.headers).has('authorization')).toBe(false);
  });

  it('fails on an error status, a malformed body, and a server slower than the timeout', async () => {
    const base = { url: 'http://127.0.0.1:9/v1/embeddings', model: 'm', timeoutMs: 50 };
    await expect(createHttpEmbedder({ ...base, fetch: async () => new Response('nope', { status: 503 }) }).embed(['x'])).rejects.toThrow(/503/);
    await expect(createHttpEmbedder({ ...base, fetch: async () => Response.json({ embeddings: [] }) }).embed(['x'])).rejects.toThrow(/unexpected body/);
    const hanging = (_url: RequestInfo | URL, init?: RequestInit) =>
      new Promise<Response>((_, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)));
    await expect(createHttpEmbedder({ ...base, fetch: hanging }).embed(['x'])).rejects.toThrow();
    await expect(createHttpEmbedder({ ...base, url: '' }).embed(['x'])).rejects.toThrow(/EMBEDDINGS_URL/);
  });
});

describe('embedder selection', () => {
  it('uses the local embedder by default and the configured adapter otherwise', () => {
    expect(createEmbedder(env).model).toBe(LOCAL_EMBEDDER_MODEL);
    expect(createEmbedder({ ...env, EMBEDDER: 'workers-ai' }).model).toBe('@cf/baai/bge-small-en-v1.5#cls');
    expect(createEmbedder({ ...env, EMBEDDER: 'http' as 'local', EMBEDDINGS_MODEL: 'all-MiniLM-L6-v2' }).model).toBe('http:all-MiniLM-L6-v2');
  });

  it('refuses an unknown EMBEDDER value', () => {
    expect(() => createEmbedder({ ...env, EMBEDDER: 'failing' as 'local' })).toThrow();
  });
});
