import { z } from 'zod';

import type { AppEnv } from '@/env';
import type { Embedder } from '@/search/embedder';
import { createLocalEmbedder } from '@/search/local-embedder';
import { createHttpEmbedder, createWorkersAiEmbedder } from '@/search/remote-embedders';

const searchConfigSchema = z.object({
  EMBEDDER: z.enum(['local', 'workers-ai', 'http']).default('local'),
  EMBEDDINGS_URL: z.string().default(''),
  EMBEDDINGS_MODEL: z.string().min(1).default('all-MiniLM-L6-v2'),
  EMBEDDINGS_API_KEY: z.string().optional(),
  // Per embedder call (a batch of up to 32 texts in the consumer); the query path is capped at 2 s regardless.
  EMBEDDINGS_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  AI_MIN_SIMILARITY: z.coerce.number().min(-1).max(1).default(0.3),
});

export type SearchConfig = z.infer<typeof searchConfigSchema>;

const cache = new WeakMap<object, SearchConfig>();

/** The search vars (wrangler.toml `[vars]`), parsed once per env object; a bad value fails loudly. */
export function getSearchConfig(env: AppEnv): SearchConfig {
  let config = cache.get(env);
  if (!config) {
    config = searchConfigSchema.parse(env);
    cache.set(env, config);
  }
  return config;
}

/** The embedder `EMBEDDER` selects. `local` never touches the AI binding, so `wrangler dev` stays offline. */
export function createEmbedder(env: AppEnv): Embedder {
  const config = getSearchConfig(env);
  switch (config.EMBEDDER) {
    case 'workers-ai':
      return createWorkersAiEmbedder(env.AI);
    case 'http':
      return createHttpEmbedder({ url: config.EMBEDDINGS_URL, model: config.EMBEDDINGS_MODEL, apiKey: config.EMBEDDINGS_API_KEY, timeoutMs: config.EMBEDDINGS_TIMEOUT_MS });
    case 'local':
      return createLocalEmbedder();
  }
}
