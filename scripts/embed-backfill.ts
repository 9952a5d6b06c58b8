/**
 * `npm run embed:backfill [-- --force]`: gives every ACTIVE product without a vector from the current
 * embedder one (batches of 32); `--force` re-embeds all of them. Database: DATABASE_URL (environment or
 * .dev.vars), else the running shop's embedded database on PG_PORT, else the embedded database in
 * DATA_DIR (started just for the command, like `npm run db:seed`).
 *
 * Embedder: `EMBEDDER=minilm` (default, the all-MiniLM-L6-v2 model `npm start` serves: the running
 * shop's server on EMBEDDINGS_PORT if it answers, else the model loaded in this process), `local` (the
 * hashing embedder) or `http` with EMBEDDINGS_URL / EMBEDDINGS_MODEL / EMBEDDINGS_API_KEY. Vectors of
 * another model count as missing, so switching models and running this re-embeds everything. Workers AI
 * is only reachable from inside a Worker; in production new and edited products are embedded by the
 * `embedding-jobs` queue.
 */
import { join } from 'node:path';

import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';

import type { Embedder } from '../workers/search/embedder.ts';
import { EMBED_BATCH_SIZE, embedProducts } from '../workers/search/embedding-store.ts';
import { createLocalEmbedder } from '../workers/search/local-embedder.ts';
import { createHttpEmbedder } from '../workers/search/remote-embedders.ts';
import { loadMiniLm, MINILM_MODEL_ALIASES } from './embeddings/model.ts';
import { startEmbeddingServer } from './embeddings/server.ts';
import { miniLmHttpEmbedder } from './embeddings/start.ts';
import { assertPortFree, readDevVars, ROOT, startDatabase, UserFacingError } from './lib/platform.ts';

const DATA_DIR = process.env.DATA_DIR ?? join(ROOT, '.data');
const PG_PORT = Number(process.env.PG_PORT ?? 5433);
const EMBEDDINGS_PORT = Number(process.env.EMBEDDINGS_PORT ?? Number(process.env.PORT ?? 8787) + 3);
const force = process.argv.includes('--force');

async function chooseEmbedder(): Promise<{ embedder: Embedder; stop: () => Promise<void> }> {
  // Typed from wrangler.toml's vars, but here it is whatever the shell says.
  const kind: string = process.env.EMBEDDER ?? 'minilm';
  const none = async () => undefined;
  if (kind === 'local') return { embedder: createLocalEmbedder(), stop: none };
  if (kind === 'minilm') {
    const running = `http://127.0.0.1:${EMBEDDINGS_PORT}`;
    const up = await fetch(`${running}/health`, { signal: AbortSignal.timeout(1_000) }).then(
      (response) => response.ok,
      () => false,
    );
    if (up) return { embedder: miniLmHttpEmbedder(running), stop: none };
    const server = await startEmbeddingServer({ encoder: await loadMiniLm(), acceptedModels: MINILM_MODEL_ALIASES });
    return { embedder: miniLmHttpEmbedder(server.url), stop: () => server.close() };
  }
  if (kind === 'http') {
    const url = process.env.EMBEDDINGS_URL;
    if (!url) throw new UserFacingError('EMBEDDER=http needs EMBEDDINGS_URL (an OpenAI-compatible /v1/embeddings endpoint)');
    const embedder = createHttpEmbedder({ url, model: process.env.EMBEDDINGS_MODEL ?? 'all-MiniLM-L6-v2', apiKey: process.env.EMBEDDINGS_API_KEY, timeoutMs: 30_000 });
    return { embedder, stop: none };
  }
  throw new UserFacingError(`EMBEDDER=${kind} cannot run outside a Worker; use minilm, local or http`);
}

/** The running shop's database if `npm start` is up, so a backfill never opens the same files twice. */
async function connectionString(): Promise<{ url: string; stop: () => Promise<void> }> {
  const external = process.env.DATABASE_URL || readDevVars().DATABASE_URL;
  if (external) return { url: external, stop: async () => undefined };
  const running = await assertPortFree(PG_PORT, 'PG_PORT').then(
    () => false,
    () => true,
  );
  if (running) return { url: `postgres://postgres:postgres@127.0.0.1:${PG_PORT}/postgres`, stop: async () => undefined };
  const database = await startDatabase({ dataDir: join(DATA_DIR, 'pg'), pgPort: 0, proxyPort: 0, log: () => undefined });
  return { url: database.url, stop: () => database.stop() };
}

async function main(): Promise<void> {
  const { embedder, stop: stopEmbedder } = await chooseEmbedder();
  const database = await connectionString();
  const client = new pg.Client({ connectionString: database.url });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const db = drizzle({ client, casing: 'snake_case' });
    const started = performance.now();
    const result = await embedProducts(db, embedder, { force, batchSize: EMBED_BATCH_SIZE });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(`embed:backfill (${embedder.model}${force ? ', --force' : ''}): embedded ${result.embedded.length}, unchanged ${result.unchanged.length}, ${seconds} s`);
  } finally {
    await client.end().catch(() => undefined);
    await database.stop();
    await stopEmbedder();
  }
}

main().catch((err: unknown) => {
  console.error(`embed:backfill failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
