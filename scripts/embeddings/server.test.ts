import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createHttpEmbedder } from '../../workers/search/remote-embedders.ts';
import { chunkedEncoder, ENGINE_BATCH, MINILM_MODEL, MINILM_MODEL_ALIASES, type EmbedEngine } from './model.ts';
import { MAX_TEXTS_PER_REQUEST, startEmbeddingServer, type EmbeddingServer } from './server.ts';

/** A fake engine: a 384-d vector whose first component encodes the text length; records each call's size. */
function fakeEngine(): EmbedEngine & { calls: number[] } {
  const calls: number[] = [];
  return {
    calls,
    dimensions: 384,
    async embed(texts) {
      calls.push(texts.length);
      return texts.map((text) => Array.from({ length: 384 }, (_, i) => (i === 0 ? text.length : i === 1 ? 1 : 0)));
    },
  };
}

let engine: ReturnType<typeof fakeEngine>;
let server: EmbeddingServer;

beforeAll(async () => {
  engine = fakeEngine();
  server = await startEmbeddingServer({ encoder: chunkedEncoder(engine, MINILM_MODEL), acceptedModels: MINILM_MODEL_ALIASES });
});
afterAll(() => server.close());

const post = (body: unknown) =>
  fetch(`${server.url}/v1/embeddings`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });

describe('embeddings server', () => {
  it('answers an OpenAI-style list, one vector per input in order', async () => {
    const response = await post({ model: MINILM_MODEL, input: ['a', 'bbb', 'cc'] });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { object: string; model: string; data: { index: number; embedding: number[]; object: string }[] };
    expect(body.object).toBe('list');
    expect(body.model).toBe(MINILM_MODEL);
    expect(body.data.map((item) => [item.object, item.index, item.embedding[0], item.embedding.length])).toEqual([
      ['embedding', 0, 1, 384],
      ['embedding', 1, 3, 384],
      ['embedding', 2, 2, 384],
    ]);
  });

  it('accepts a single string and the model name with its organisation prefix', async () => {
    const response = await post({ model: `sentence-transformers/${MINILM_MODEL}`, input: 'hello' });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { data: unknown[] }).data).toHaveLength(1);
  });

  it('never hands the engine 24 texts or more at once (it would start a thread per CPU)', async () => {
    engine.calls.length = 0;
    const response = await post({ input: Array.from({ length: 40 }, (_, i) => `text ${i}`) });
    expect(response.status).toBe(200);
    expect(engine.calls).toEqual([ENGINE_BATCH, ENGINE_BATCH, 40 - 2 * ENGINE_BATCH]);
    expect(Math.max(...engine.calls)).toBeLessThan(24);
  });

  it('refuses another model instead of answering with vectors it would be stored under', async () => {
    const response = await post({ model: 'text-embedding-3-small', input: ['x'] });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { type: 'model_not_found' } });
  });

  it.each([
    ['not JSON', '{"input": ['],
    ['no input', { model: MINILM_MODEL }],
    ['an empty list', { input: [] }],
    ['a number', { input: [1, 2] }],
    ['too many texts', { input: Array.from({ length: MAX_TEXTS_PER_REQUEST + 1 }, () => 'x') }],
  ])('answers 400 with an error body for %s', async (_name, body) => {
    const response = await post(body);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { type: 'invalid_request_error', message: expect.any(String) } });
  });

  it('keeps idle connections open for workerd (no keep-alive timeout)', async () => {
    const res = await post({ model: MINILM_MODEL, input: 'wool socks' });
    expect(res.status).toBe(200);
    expect(res.headers.get('keep-alive')).toBeNull();
  });

  it('has a health route and 404/405 for anything else', async () => {
    expect(await (await fetch(`${server.url}/health`)).json()).toEqual({ status: 'ok', model: MINILM_MODEL, dimensions: 384 });
    expect((await fetch(`${server.url}/embed`, { method: 'POST' })).status).toBe(404);
    expect((await fetch(`${server.url}/v1/embeddings`)).status).toBe(405);
  });

  it('speaks the contract of the Worker\u2019s http embedder (normalised vectors, stored model name)', async () => {
    const embedder = createHttpEmbedder({ url: `${server.url}/v1/embeddings`, model: MINILM_MODEL, timeoutMs: 5_000 });
    const vectors = await embedder.embed(['abc', 'de']);
    expect(embedder.model).toBe(`http:${MINILM_MODEL}`);
    expect(vectors).toHaveLength(2);
    for (const vector of vectors) expect(Math.hypot(...vector)).toBeCloseTo(1, 6);
  });
});
