/**
 * The search stack with the real model, in one process, for the real-model test and `bench:relevance`:
 * an in-memory database + Neon proxy, the MiniLM embeddings server, migrations and the seed embedded
 * through that server. `env` is what `npm start` gives the Worker, so `workers/search` runs unchanged.
 */
import type { AppEnv } from '../../workers/env.ts';
import { migrateDatabase } from '../db/migrate.ts';
import { seedDatabase } from '../db/seed.ts';
import { startNeonProxy } from '../local-db/neon-proxy.ts';
import { startLocalDatabase } from '../local-db/pglite.ts';
import { loadMiniLm, MINILM_MIN_SIMILARITY, MINILM_MODEL, MINILM_MODEL_ALIASES } from './model.ts';
import { startEmbeddingServer } from './server.ts';
import { miniLmHttpEmbedder } from './start.ts';

export interface SemanticStack {
  env: AppEnv;
  connectionString: string;
  /** Seed products embedded by the model. */
  embedded: number;
  modelLoadMs: number;
  close(): Promise<void>;
}

export async function startSemanticStack(): Promise<SemanticStack> {
  const started = performance.now();
  const [database, encoder] = await Promise.all([startLocalDatabase({ maxConnections: 20 }), loadMiniLm().then((loaded) => ({ loaded, ms: performance.now() - started }))]);
  const proxy = await startNeonProxy({ poolSize: 4, maxTunnels: 8 });
  const server = await startEmbeddingServer({ encoder: encoder.loaded, acceptedModels: MINILM_MODEL_ALIASES });
  const close = async () => {
    await server.close();
    await proxy.close();
    await database.close();
  };
  try {
    await migrateDatabase(database.connectionString);
    const { embedded } = await seedDatabase(database.connectionString, { embedder: miniLmHttpEmbedder(server.url) });
    const env = {
      DATABASE_URL: database.connectionString,
      NEON_LOCAL_PROXY: `127.0.0.1:${proxy.port}`,
      EMBEDDER: 'http',
      EMBEDDINGS_URL: `${server.url}/v1/embeddings`,
      EMBEDDINGS_MODEL: MINILM_MODEL,
      AI_MIN_SIMILARITY: String(MINILM_MIN_SIMILARITY),
    } as unknown as AppEnv;
    return { env, connectionString: database.connectionString, embedded, modelLoadMs: encoder.ms, close };
  } catch (err) {
    await close();
    throw err;
  }
}
