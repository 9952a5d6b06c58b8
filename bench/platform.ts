/**
 * `npm run bench:platform`: start-up time of `npm start` (fresh and reused data folder) and the
 * throughput/latency of a route without I/O (`/health/live`) and of a `SELECT 1` route
 * (`/health/db`) at 20 connections. Writes the platform section of docs/BENCHMARKS.md.
 * `BENCH_SECONDS` (default 10) and `BENCH_PORT` (default 8797) override.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';

import { buildWeb, webBuildIsStale } from '../scripts/build-web.ts';
import { startInstance } from './lib/instance.ts';
import { runLoad, type LoadResult } from './lib/load.ts';
import { ms, reportSummary, writeSection } from './lib/report.ts';

const CONNECTIONS = 20;
const DURATION_SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const START_GOAL_MS = 20_000;
const PORT = Number(process.env.BENCH_PORT ?? 8797);
const ports = { port: PORT, env: { PG_PORT: String(PORT + 1), NEON_PROXY_PORT: String(PORT + 2) } };

// The SPA build is shared by every start; do it first so both start-ups measure the same work.
if (webBuildIsStale()) buildWeb();

const dataDir = mkdtempSync(join(os.tmpdir(), 'shop-bench-'));
try {
  console.log('starting with a fresh data folder…');
  const fresh = await startInstance({ dataDir, ...ports });
  await fresh.stop();
  console.log(`  ready after ${ms(fresh.readyMs)}`);

  console.log('starting again with the same data folder…');
  const reused = await startInstance({ dataDir, ...ports });
  console.log(`  ready after ${ms(reused.readyMs)}`);

  const results: Record<string, LoadResult> = {};
  try {
    for (const path of ['/health/live', '/health/db']) {
      await runLoad({ url: `${reused.baseUrl}${path}`, connections: CONNECTIONS, durationSeconds: 2 }); // warm-up
      console.log(`load: ${path}, ${CONNECTIONS} connections, ${DURATION_SECONDS} s…`);
      results[path] = await runLoad({ url: `${reused.baseUrl}${path}`, connections: CONNECTIONS, durationSeconds: DURATION_SECONDS });
      const r = results[path]!;
      console.log(`  ${r.requestsPerSecond.toFixed(0)} req/s, p50 ${ms(r.p50)}, p95 ${ms(r.p95)}, errors ${r.errors}, non-2xx ${r.non2xx}`);
    }
  } finally {
    await reused.stop();
  }

  const live = results['/health/live']!;
  const db = results['/health/db']!;
  const row = (name: string, r: LoadResult) =>
    `| ${name} | ${r.requestsPerSecond.toFixed(0)} | ${ms(r.p50)} | ${ms(r.p95)} | ${ms(r.p99)} | ${r.errors + r.non2xx} |`;
  writeSection(
    'platform',
    `## Platform (\`npm run bench:platform\`)

| start-up (\`npm start\` → first 200 on \`/health/ready\`) | time | goal |
|---|---|---|
| fresh data folder (create database, migrate, seed) | ${ms(fresh.readyMs)} | — |
| reused data folder | ${ms(reused.readyMs)} | < ${START_GOAL_MS / 1000} s ${reused.readyMs < START_GOAL_MS ? '✅' : '❌'} |

${CONNECTIONS} connections, ${DURATION_SECONDS} s each (after a 2 s warm-up):

| route | req/s | p50 | p95 | p99 | errors |
|---|---|---|---|---|---|
${row('`GET /health/live` (no I/O)', live)}
${row('`GET /health/db` (`SELECT 1` over Neon HTTP → proxy → PGlite)', db)}

The \`SELECT 1\` route's p50 of ${ms(db.p50)} is the unit later database-backed routes are reported against.`,
  );
  reportSummary({
    name: 'platform',
    figure: `start-up ${ms(reused.readyMs)} (reused data), ${ms(fresh.readyMs)} (fresh); \`SELECT 1\` ${db.requestsPerSecond.toFixed(0)} req/s, p95 ${ms(db.p95)}`,
    seed: '—',
    goal: `start-up < ${START_GOAL_MS / 1000} s`,
    met: reused.readyMs < START_GOAL_MS,
  });
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
