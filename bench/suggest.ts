/**
 * `npm run bench:suggest`: search suggestions as you type, on a warm edge cache, over the 10,000-product catalog of
 * `bench:search`. Inserts the catalog, asks every prefix once (each a cache miss that fills the cache), checks that a
 * second ask is a hit, then measures p50/p95 at 10 connections for `GET /api/v1/products/suggest?q=` cycling through
 * those prefixes, beside `GET /health/live` (no I/O) measured in the same run. Writes the suggest section of
 * docs/BENCHMARKS.md. `BENCH_SECONDS` (default 10), `BENCH_PRODUCTS` (default 10000) and `BENCH_PORT` override.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';

import type autocannon from 'autocannon';
import pg from 'pg';

import { buildWeb, webBuildIsStale } from '../scripts/build-web.ts';
import { generatePrefixes, generateProducts, insertProducts } from './lib/catalog.ts';
import { startInstance } from './lib/instance.ts';
import { runLoad, type LoadResult } from './lib/load.ts';
import { ms, reportSummary, writeSection } from './lib/report.ts';

const CONNECTIONS = 10;
const DURATION_SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP_SECONDS = 2;
const PRODUCTS = Number(process.env.BENCH_PRODUCTS ?? 10_000);
const PORT = Number(process.env.BENCH_PORT ?? 8797);
/** Few enough that filling the cache and the load both fit in one entry's 60 s lifetime. */
const PREFIXES = 120;
const SELLER_ID = '00000000-0000-0000-0000-000000000003';
const GOAL_RATIO = 1.5;

let sequence = 0;
/** Each request from its own client address: the local `/api/*` limit is per IP. */
const clientIp = () => `10.${(sequence >> 16) & 255}.${(sequence >> 8) & 255}.${sequence & 255}`;

const suggestPath = (q: string) => `/api/v1/products/suggest?q=${encodeURIComponent(q)}`;

function cycling(prefixes: string[]): autocannon.Request[] {
  return [
    {
      method: 'GET',
      setupRequest: (request) => {
        const q = prefixes[sequence++ % prefixes.length]!;
        return { ...request, path: suggestPath(q), headers: { ...request.headers, 'cf-connecting-ip': clientIp() } };
      },
    },
  ];
}

/** Asks every prefix once, 10 at a time; answers how many were served from the cache and how many had suggestions. */
async function askEach(baseUrl: string, prefixes: string[]): Promise<{ hits: number; withSuggestions: number }> {
  let hits = 0;
  let withSuggestions = 0;
  const ask = async (q: string, i: number) => {
    const res = await fetch(`${baseUrl}${suggestPath(q)}`, { headers: { 'cf-connecting-ip': `10.200.${i >> 8}.${i & 255}` } });
    if (!res.ok) throw new Error(`suggest ${q}: ${res.status} ${await res.text()}`);
    if (res.headers.get('x-cache') === 'HIT') hits++;
    if (((await res.json()) as { data: { suggestions: unknown[] } }).data.suggestions.length > 0) withSuggestions++;
  };
  for (let start = 0; start < prefixes.length; start += CONNECTIONS) {
    await Promise.all(prefixes.slice(start, start + CONNECTIONS).map((q, j) => ask(q, start + j)));
  }
  return { hits, withSuggestions };
}

async function measure(url: string, requests?: autocannon.Request[]): Promise<LoadResult> {
  await runLoad({ url, connections: CONNECTIONS, durationSeconds: WARMUP_SECONDS, requests });
  const result = await runLoad({ url, connections: CONNECTIONS, durationSeconds: DURATION_SECONDS, requests });
  console.log(`  ${result.requestsPerSecond.toFixed(0)} req/s, p50 ${ms(result.p50)}, p95 ${ms(result.p95)}, errors ${result.errors}, non-2xx ${result.non2xx}`);
  return result;
}

if (webBuildIsStale()) buildWeb();

const dataDir = mkdtempSync(join(os.tmpdir(), 'shop-bench-suggest-'));
try {
  console.log('starting the shop with a fresh data folder…');
  const instance = await startInstance({ dataDir, port: PORT, env: { PG_PORT: String(PORT + 1), NEON_PROXY_PORT: String(PORT + 2), EMBEDDER: 'local' } });
  const products = generateProducts(PRODUCTS);
  const prefixes = generatePrefixes(products, PREFIXES);
  let live: LoadResult;
  let suggest: LoadResult;
  let cold: { hits: number; withSuggestions: number };
  let warm: { hits: number; withSuggestions: number };
  try {
    const client = new pg.Client({ connectionString: instance.databaseUrl });
    client.on('error', () => undefined);
    await client.connect();
    try {
      await insertProducts(client, SELLER_ID, products);
      await client.query('analyze products');
    } finally {
      await client.end().catch(() => undefined);
    }
    console.log(`load: /health/live, ${CONNECTIONS} connections, ${DURATION_SECONDS} s…`);
    live = await measure(`${instance.baseUrl}/health/live`);
    // Filled right before the load: an entry lives SUGGEST_TTL_SECONDS (60 s), as it would in a colo with traffic.
    console.log(`${PRODUCTS.toLocaleString('en')} products inserted; asking ${prefixes.length} prefixes once to fill the cache…`);
    const filling = performance.now();
    cold = await askEach(instance.baseUrl, prefixes);
    warm = await askEach(instance.baseUrl, prefixes);
    console.log(`  first ask: ${cold.hits} hits (${ms(performance.now() - filling)} for both asks); second ask: ${warm.hits} of ${prefixes.length} hits; ${warm.withSuggestions} with suggestions`);
    console.log(`load: suggest (warm cache), ${CONNECTIONS} connections, ${DURATION_SECONDS} s…`);
    suggest = await measure(instance.baseUrl, cycling(prefixes));
  } finally {
    await instance.stop();
  }

  const ratio = suggest.p95 / live.p95;
  const met = ratio <= GOAL_RATIO && warm.hits === prefixes.length && suggest.errors + suggest.non2xx === 0;
  const row = (label: string, r: LoadResult) => `| ${label} | ${r.requestsPerSecond.toFixed(0)} | ${ms(r.p50)} | ${ms(r.p95)} | ${ms(r.p99)} | ${r.errors + r.non2xx} |`;
  writeSection(
    'suggest',
    `## Suggestions (\`npm run bench:suggest\`)

The catalog of \`bench:search\` (${PRODUCTS.toLocaleString('en')} generated products beside the seed's). ${prefixes.length} distinct prefixes a shopper types
(3–8 letters of a word of a product name, a quarter after a whole first word), each asked once (10 at a time, after the
\`/health/live\` row) to fill the edge cache (${cold.hits} of them already hits), then once more: **${warm.hits} of ${prefixes.length} hits**, ${warm.withSuggestions} with suggestions. Then ${CONNECTIONS} connections,
${DURATION_SECONDS} s per row after a ${WARMUP_SECONDS} s warm-up, the suggest row cycling through the prefixes.

| route | req/s | p50 | p95 | p99 | errors |
|---|---|---|---|---|---|
${row('`GET /health/live` (no I/O, the unit)', live)}
${row('`GET /api/v1/products/suggest?q=` (warm cache)', suggest)}

Goal: suggest p95 ≤ ${GOAL_RATIO}× \`/health/live\` p95 on a warm cache: **${ratio.toFixed(2)}×** ${met ? '✅' : '❌'}. A warm answer in a warm
isolate costs no lookup at all (the isolate keeps the answer and, for a second, the catalog's generation), no rate-limit
call (a cached public read is limited only when it must be produced) and no database round trip.`,
  );
  reportSummary({
    name: 'suggest',
    figure: `p95 ${ms(suggest.p95)} on a warm cache (${ratio.toFixed(2)}× \`/health/live\` p95 ${ms(live.p95)}), ${warm.hits}/${prefixes.length} hits`,
    seed: '—',
    goal: `p95 ≤ ${GOAL_RATIO}× /health/live p95`,
    met,
  });
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
