/**
 * `npm start`: the whole shop on one machine with no cloud account — embedded Postgres + pgvector
 * (or DATABASE_URL), the local all-MiniLM-L6-v2 embeddings server, migrations, seed data (and its
 * vectors), the SPA build and `wrangler dev` — then the URL and sample logins. Ctrl-C stops every
 * process it started.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

import { migrateDatabase } from './db/migrate.ts';
import { seedDatabase } from './db/seed.ts';
import { SAMPLE_USERS } from './db/seed-data.ts';
import { buildWeb, webBuildIsStale } from './build-web.ts';
import { startEmbeddings, type LocalEmbeddings } from './embeddings/start.ts';
import type { DevServerOptions } from './lib/wrangler-dev.ts';
import { assertPortFree, ensureDevSigningKey, ROOT, startDatabase, stopChild, UserFacingError, waitForOk, type DatabaseHandle } from './lib/platform.ts';

const PORT = Number(process.env.PORT ?? 8787);
const PG_PORT = Number(process.env.PG_PORT ?? 5433);
const NEON_PROXY_PORT = Number(process.env.NEON_PROXY_PORT ?? 5434);
const EMBEDDINGS_PORT = Number(process.env.EMBEDDINGS_PORT ?? PORT + 3);
const DATA_DIR = process.env.DATA_DIR ?? join(ROOT, '.data');
// READY_TIMEOUT_MS lets a benchmark on a loaded machine wait longer than an interactive start should.
const READY_TIMEOUT_MS = Number(process.env.READY_TIMEOUT_MS ?? 90_000);
// Reload on source changes for a developer at a terminal; unattended runs (Playwright, benchmarks, CI) pipe the output
// and keep one build for the whole run. WATCH=1 / WATCH=0 overrides.
const WATCH = process.env.WATCH ? process.env.WATCH !== '0' && process.env.WATCH !== 'false' : Boolean(process.stdout.isTTY);

const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)}s`;
const TOTAL_STEPS = 6;
let step = 0;
const say = (text: string) => console.log(`[${++step}/${TOTAL_STEPS}] ${text}`);
const dim = (text: string) => console.log(`      ${text}`);

let database: DatabaseHandle | undefined;
let embeddings: LocalEmbeddings | undefined;
let embeddingsStarting: Promise<LocalEmbeddings> | undefined;
let wrangler: ChildProcess | undefined;
let stopping = false;

async function shutdown(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    console.log('\nStopping…');
    if (wrangler) await stopChild(wrangler, 8_000, true);
    await (embeddings ?? (await embeddingsStarting?.catch(() => undefined)))?.stop().catch(() => undefined);
    await database?.stop().catch(() => undefined);
  }
  process.exit(code);
}

async function main(): Promise<void> {
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  say(`Checking port ${PORT}`);
  await assertPortFree(PORT, 'PORT');

  say('Starting the database and the embedding model');
  // The model loads in its own process while the database starts.
  embeddingsStarting = startEmbeddings({ port: EMBEDDINGS_PORT, log: (line) => dim(line), isStopping: () => stopping });
  mkdirSync(DATA_DIR, { recursive: true });
  database = await startDatabase({ dataDir: join(DATA_DIR, 'pg'), pgPort: PG_PORT, proxyPort: NEON_PROXY_PORT, log: (line) => dim(line) });
  dim(database.mode === 'embedded' ? `embedded PGlite + pgvector in ${join(DATA_DIR, 'pg')} (${elapsed()})` : 'using DATABASE_URL');

  say('Applying migrations and seed data');
  await migrateDatabase(database.url);
  embeddings = await embeddingsStarting;
  dim(`${embeddings.description} (${elapsed()})`);
  const seeded = await seedDatabase(database.url, { embedder: embeddings.embedder });
  dim(seeded.products + seeded.users > 0 ? `added ${seeded.users} users and ${seeded.products} products` : 'sample data already present');
  if (seeded.embedded > 0) dim(`embedded ${seeded.embedded} products with ${embeddings.embedder.model} (${elapsed()})`);

  if (await ensureDevSigningKey()) dim('created a token signing key in .dev.vars');

  say('Building the web app');
  if (webBuildIsStale()) buildWeb();
  else dim('web/dist is up to date');

  say(`Starting wrangler dev on http://127.0.0.1:${PORT}`);
  const devServer: DevServerOptions = {
    port: PORT,
    persistTo: join(DATA_DIR, 'wrangler'),
    vars: {
      DATABASE_URL: database.url,
      ...(database.neonProxy ? { NEON_LOCAL_PROXY: database.neonProxy } : {}),
      // Password-reset links point at this server, whatever port it was given.
      APP_URL: `http://localhost:${PORT}`,
      // The simulated gateway's mode for one run (benchmarks' chaos variants), e.g. `random(0.8,0.2)`.
      ...(process.env.PAYMENT_GATEWAY_MODE ? { PAYMENT_GATEWAY_MODE: process.env.PAYMENT_GATEWAY_MODE } : {}),
      ...embeddings.wranglerVars,
    },
    watch: WATCH,
  };
  dim(WATCH ? 'reloads when a source file changes (WATCH=0 turns it off)' : 'sources are not watched (WATCH=1 turns it on)');
  const args = [join(ROOT, 'scripts/lib/wrangler-dev.ts'), JSON.stringify(devServer)];
  wrangler = spawn(process.execPath, args, {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false', NO_UPDATE_NOTIFIER: '1' },
  });
  for (const stream of [wrangler.stdout!, wrangler.stderr!]) createInterface({ input: stream }).on('line', (line) => console.log(`  wrangler │ ${line}`));
  wrangler.once('exit', (code) => {
    if (stopping) return;
    console.error(`The local Worker exited (code ${code}); stopping.`);
    void shutdown(code ?? 1);
  });

  say('Waiting for /health/ready');
  const ready = await waitForOk(`http://127.0.0.1:${PORT}/health/ready`, READY_TIMEOUT_MS, () => wrangler?.exitCode === null);
  if (!ready) throw new UserFacingError(`the shop did not become ready within ${READY_TIMEOUT_MS / 1000} s (see the wrangler output above)`);
  // wrangler dev never fires Cron Triggers on its own: tick the every-minute cron (outbox sweep, PENDING reaper,
  // pruning — workers/orders/scheduled.ts) the way production does.
  setInterval(() => void fetch(`http://127.0.0.1:${PORT}/cdn-cgi/handler/scheduled?cron=*+*+*+*+*`).catch(() => undefined), 60_000);

  const users = SAMPLE_USERS.map((user) => `  ${user.role.padEnd(9)} ${user.email.padEnd(30)} ${user.password}`).join('\n');
  console.log(`
Edge Shop is ready in ${elapsed()}

  Shop        http://127.0.0.1:${PORT}/
  API docs    http://127.0.0.1:${PORT}/api/docs
  Health      http://127.0.0.1:${PORT}/health/ready

Sample users (email / password):
${users}

Press Ctrl-C to stop.`);
}

main().catch(async (err: unknown) => {
  const message = err instanceof UserFacingError ? err.message : err instanceof Error ? err.message : String(err);
  console.error(`\nnpm start failed: ${message}`);
  if (!(err instanceof UserFacingError) && err instanceof Error && process.env.DEBUG) console.error(err.stack);
  await shutdown(1);
});
