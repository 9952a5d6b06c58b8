/**
 * Which embedder `npm start` gives the Worker and the seed, from the shell's `EMBEDDER`:
 * - unset / `minilm` (default): the local all-MiniLM-L6-v2 server on EMBEDDINGS_PORT (default PORT + 3),
 *   restarted if it dies; if the model cannot load, the hashing embedder with a warning.
 * - `local`: the hashing embedder (no model process; what the Workers tests use).
 * - `http`: your own OpenAI-compatible server at EMBEDDINGS_URL (EMBEDDINGS_MODEL, EMBEDDINGS_API_KEY).
 * The seed and the Worker always use the same model, so their vectors are comparable.
 */
import type { Embedder } from '../../workers/search/embedder.ts';
import { createLocalEmbedder } from '../../workers/search/local-embedder.ts';
import { createHttpEmbedder } from '../../workers/search/remote-embedders.ts';
import { assertPortFree, UserFacingError } from '../lib/platform.ts';
import { MINILM_MIN_SIMILARITY, MINILM_MODEL } from './model.ts';
import { startEmbeddingService, type EmbeddingService } from './process.ts';

const MAX_RESTARTS = 5;
/** Per call from Node (seed, backfill): a 32-text batch of long product texts on a busy core takes seconds. */
const NODE_TIMEOUT_MS = 120_000;

export interface LocalEmbeddings {
  embedder: Embedder;
  /** Worker variables that point the local Worker at this embedder. */
  wranglerVars: Record<string, string>;
  description: string;
  stop(): Promise<void>;
}

/** The Worker's `http` embedder pointed at a MiniLM server: the same stored model name from Node and from the Worker. */
export function miniLmHttpEmbedder(baseUrl: string, timeoutMs = NODE_TIMEOUT_MS): Embedder {
  return createHttpEmbedder({ url: `${baseUrl}/v1/embeddings`, model: MINILM_MODEL, timeoutMs });
}

const hashing = (description: string): LocalEmbeddings => ({
  embedder: createLocalEmbedder(),
  wranglerVars: { EMBEDDER: 'local' },
  description,
  stop: async () => undefined,
});

export async function startEmbeddings(options: { port: number; log: (line: string) => void; isStopping: () => boolean }): Promise<LocalEmbeddings> {
  // Typed from wrangler.toml's vars, but here it is whatever the shell says.
  const kind: string = process.env.EMBEDDER ?? 'minilm';
  if (kind === 'local') return hashing('hashing embedder (EMBEDDER=local)');
  if (kind === 'http') {
    const url = process.env.EMBEDDINGS_URL;
    if (!url) throw new UserFacingError('EMBEDDER=http needs EMBEDDINGS_URL (an OpenAI-compatible /v1/embeddings endpoint)');
    const model = process.env.EMBEDDINGS_MODEL ?? MINILM_MODEL;
    const apiKey = process.env.EMBEDDINGS_API_KEY;
    return {
      embedder: createHttpEmbedder({ url, model, apiKey, timeoutMs: NODE_TIMEOUT_MS }),
      // The API key reaches the Worker through .dev.vars (EMBEDDINGS_API_KEY), never the command line.
      wranglerVars: { EMBEDDER: 'http', EMBEDDINGS_URL: url, EMBEDDINGS_MODEL: model },
      description: `embeddings from ${url} (${model})`,
      stop: async () => undefined,
    };
  }
  if (kind !== 'minilm') throw new UserFacingError(`EMBEDDER=${kind} is not available locally; use minilm (default), local or http`);

  await assertPortFree(options.port, 'EMBEDDINGS_PORT');
  let service: EmbeddingService;
  try {
    service = await startEmbeddingService({ port: options.port, log: options.log });
  } catch (err) {
    options.log(`warning: the MiniLM embeddings server did not start (${err instanceof Error ? err.message : String(err)}); using the hashing embedder`);
    return hashing('hashing embedder (the MiniLM server did not start)');
  }
  let restarts = 0;
  const watch = (current: EmbeddingService) => {
    current.child.once('exit', (code) => {
      if (options.isStopping() || restarts >= MAX_RESTARTS) return;
      restarts++;
      options.log(`the embeddings server exited (code ${code}); restarting (${restarts}/${MAX_RESTARTS}); meanwhile search answers with keyword results`);
      startEmbeddingService({ port: options.port, log: options.log }).then(
        (next) => {
          service = next;
          watch(next);
        },
        (err: unknown) => options.log(`the embeddings server did not restart: ${err instanceof Error ? err.message : String(err)}`),
      );
    });
  };
  watch(service);
  return {
    embedder: miniLmHttpEmbedder(service.url),
    // A queue batch of 32 long product texts can take longer than the default 10 s on a busy 2-core machine.
    wranglerVars: { EMBEDDER: 'http', EMBEDDINGS_URL: `${service.url}/v1/embeddings`, EMBEDDINGS_MODEL: MINILM_MODEL, EMBEDDINGS_TIMEOUT_MS: '60000', AI_MIN_SIMILARITY: String(MINILM_MIN_SIMILARITY) },
    description: `all-MiniLM-L6-v2 embeddings server on ${service.url} (model loaded in ${(service.loadMs / 1000).toFixed(1)} s)`,
    stop: () => service.stop(),
  };
}
