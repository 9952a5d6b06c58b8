/**
 * Child-process entry for `npm start` (and `npm run embed:serve` on its own): loads all-MiniLM-L6-v2 and
 * serves it on `--port` (EMBEDDINGS_PORT), then reports readiness as one JSON line on stdout
 * (`{"ready":true,"url":…,"loadMs":…}`); logs go to stderr.
 *
 *   node scripts/embeddings/serve.ts [--port 8790] [--host 127.0.0.1]
 */
import { parseArgs } from 'node:util';

import { loadMiniLm, MINILM_MODEL_ALIASES } from './model.ts';
import { startEmbeddingServer, type EmbeddingServer } from './server.ts';

const emit = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);
let server: EmbeddingServer | undefined;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { port: { type: 'string' }, host: { type: 'string' } } });
  const port = Number(values.port ?? process.env.EMBEDDINGS_PORT ?? 8790);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`EMBEDDINGS_PORT / --port must be a port number, got "${values.port}"`);
  const stop = () => void (server?.close() ?? Promise.resolve()).then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const started = performance.now();
  const encoder = await loadMiniLm();
  const loadMs = Math.round(performance.now() - started);
  server = await startEmbeddingServer({ encoder, acceptedModels: MINILM_MODEL_ALIASES, port, host: values.host ?? '127.0.0.1' });
  process.stderr.write(`embeddings: ${encoder.model} loaded in ${loadMs} ms, serving ${server.url}/v1/embeddings\n`);
  emit({ ready: true, url: server.url, model: encoder.model, loadMs });
}

main().catch((err: unknown) => {
  const error = err as NodeJS.ErrnoException;
  emit({ ready: false, error: error.code === 'EADDRINUSE' ? 'EMBEDDINGS_PORT is already in use — stop the other process or set EMBEDDINGS_PORT' : (error.message ?? String(err)) });
  process.exit(1);
});
