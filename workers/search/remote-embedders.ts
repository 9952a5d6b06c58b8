import { z } from 'zod';

import { EMBEDDING_DIMENSIONS, normalize, type Embedder } from './embedder.ts';

export const WORKERS_AI_EMBEDDING_MODEL = '@cf/baai/bge-small-en-v1.5';

/** The slice of the Workers AI binding the embedder uses, so tests can pass a fake. */
export interface TextEmbeddingAi {
  run(model: typeof WORKERS_AI_EMBEDDING_MODEL, inputs: { text: string[]; pooling?: 'mean' | 'cls' }): Promise<unknown>;
}

const workersAiOutputSchema = z.object({ data: z.array(z.array(z.number())) });

function checkVectors(vectors: number[][], expected: number, source: string): number[][] {
  if (vectors.length !== expected) throw new Error(`${source} returned ${vectors.length} vectors for ${expected} texts`);
  for (const vector of vectors) {
    if (vector.length !== EMBEDDING_DIMENSIONS) throw new Error(`${source} returned ${vector.length}-d vectors, expected ${EMBEDDING_DIMENSIONS}`);
  }
  return vectors.map(normalize);
}

/**
 * Workers AI `bge-small-en-v1.5` (384-d) — the production embedder. `cls` pooling is Cloudflare's
 * recommended mode; it is part of the stored model name because mean- and cls-pooled vectors do not mix.
 */
export function createWorkersAiEmbedder(ai: TextEmbeddingAi | undefined): Embedder {
  return {
    model: `${WORKERS_AI_EMBEDDING_MODEL}#cls`,
    dimensions: EMBEDDING_DIMENSIONS,
    async embed(texts) {
      if (texts.length === 0) return [];
      if (!ai) throw new Error('EMBEDDER=workers-ai but the AI binding is not configured');
      const output = workersAiOutputSchema.safeParse(await ai.run(WORKERS_AI_EMBEDDING_MODEL, { text: texts, pooling: 'cls' }));
      if (!output.success) throw new Error('Workers AI returned no embeddings');
      return checkVectors(output.data.data, texts.length, 'Workers AI');
    },
  };
}

const openAiResponseSchema = z.object({
  data: z.array(z.object({ embedding: z.array(z.number()), index: z.number().int().nonnegative() })),
});

export interface HttpEmbedderOptions {
  /** Full URL of an OpenAI-compatible embeddings endpoint, e.g. `http://127.0.0.1:8080/v1/embeddings`. */
  url: string;
  /** `model` field of the request (and, prefixed, the stored model name). */
  model: string;
  apiKey?: string | undefined;
  timeoutMs: number;
  fetch?: typeof fetch;
}

/** Any OpenAI-compatible `/v1/embeddings` server (e.g. a local all-MiniLM-L6-v2), with a per-call timeout. */
export function createHttpEmbedder(options: HttpEmbedderOptions): Embedder {
  const doFetch = options.fetch ?? fetch;
  return {
    model: `http:${options.model}`,
    dimensions: EMBEDDING_DIMENSIONS,
    async embed(texts) {
      if (texts.length === 0) return [];
      if (!options.url) throw new Error('EMBEDDER=http but EMBEDDINGS_URL is empty');
      const response = await doFetch(options.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}) },
        body: JSON.stringify({ model: options.model, input: texts }),
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      if (!response.ok) throw new Error(`embeddings server answered ${response.status}`);
      const parsed = openAiResponseSchema.safeParse(await response.json());
      if (!parsed.success) throw new Error('embeddings server returned an unexpected body');
      const ordered = [...parsed.data.data].sort((a, b) => a.index - b.index).map((item) => item.embedding);
      return checkVectors(ordered, texts.length, 'the embeddings server');
    },
  };
}
