/**
 * `npm run bench:cart`: one shopper's cart under 20 connections of mixed add / update / get for 20 s
 * (BENCH_SECONDS to change), beside the `SELECT 1` route measured in the same run. Every request of
 * the shopper goes through the same CartDO, so this is the worst case for one cart: all writes
 * serialized by one Durable Object, every answer re-priced from Postgres. Writes the cart section
 * of docs/BENCHMARKS.md.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';

import type autocannon from 'autocannon';

import { SAMPLE_USERS } from '../scripts/db/seed-data.ts';
import { startInstance } from './lib/instance.ts';
import { runLoad, type LoadResult } from './lib/load.ts';
import { ms, reportSummary, writeSection } from './lib/report.ts';

const CONNECTIONS = 20;
const DURATION_SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const PORT = Number(process.env.BENCH_PORT ?? 8797);
/** Seeded products 1–10 (stock ≥ 150 each, sold by seller@example.com): each connection works on one of them. */
const PRODUCT_IDS = Array.from({ length: 10 }, (_, i) => i + 1);
const SEED_FIGURE = { addsPerSecond: 496, p95Ms: 36, machine: 'M1 laptop, Docker (seed k6 run)' };

const customer = SAMPLE_USERS.find((user) => user.email === 'customer@example.com');
if (!customer) throw new Error('the seed has no customer@example.com');

/**
 * Each connection loops add 1 → set to 1 → get on its own product, so quantities stay far below stock
 * and every answer is a 2xx unless something is wrong.
 */
function cartRequests(): autocannon.Request[] {
  let next = 0;
  /**
   * Each connection's product, and its own client address: the local `/api/*` limit (1,000 per 10 s) is per address,
   * and from one address a cart past 100 req/s would be measuring fast 429s.
   */
  const connection = (context: object) => {
    const ctx = context as { productId?: number; ip?: string };
    if (ctx.productId === undefined) {
      const n = next++;
      ctx.productId = PRODUCT_IDS[n % PRODUCT_IDS.length]!;
      ctx.ip = `10.77.0.${n + 1}`;
    }
    return ctx as { productId: number; ip: string };
  };
  const fromItsAddress = (req: autocannon.Request, context: object) => ({ ...req, headers: { ...req.headers, 'cf-connecting-ip': connection(context).ip } });
  return [
    {
      method: 'POST',
      path: '/api/v1/cart/items',
      setupRequest: (req, context) => ({ ...fromItsAddress(req, context), body: JSON.stringify({ product_id: connection(context).productId, quantity: 1 }) }),
    },
    {
      method: 'PUT',
      setupRequest: (req, context) => ({ ...fromItsAddress(req, context), path: `/api/v1/cart/items/${connection(context).productId}`, body: JSON.stringify({ quantity: 1 }) }),
    },
    { method: 'GET', path: '/api/v1/cart', setupRequest: fromItsAddress },
  ];
}

const dataDir = mkdtempSync(join(os.tmpdir(), 'shop-bench-cart-'));
try {
  console.log('starting the shop with a fresh data folder…');
  const instance = await startInstance({ dataDir, port: PORT, env: { PG_PORT: String(PORT + 1), NEON_PROXY_PORT: String(PORT + 2) } });
  console.log(`  ready after ${ms(instance.readyMs)}`);
  const results: Record<'db' | 'cart', LoadResult> = {} as Record<'db' | 'cart', LoadResult>;
  try {
    const token = await instance.signToken({ userId: customer.id, email: customer.email, role: 'customer', sessionVersion: 0 });
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const probe = await fetch(`${instance.baseUrl}/api/v1/cart`, { method: 'DELETE', headers });
    if (probe.status !== 204) throw new Error(`emptying the cart answered ${probe.status}: ${await probe.text()}`);

    const db = `${instance.baseUrl}/health/db`;
    await runLoad({ url: db, connections: CONNECTIONS, durationSeconds: 2 }); // warm-up
    console.log(`load: /health/db, ${CONNECTIONS} connections, ${DURATION_SECONDS} s…`);
    results.db = await runLoad({ url: db, connections: CONNECTIONS, durationSeconds: DURATION_SECONDS });

    const cart = { url: `${instance.baseUrl}/api/v1/cart`, connections: CONNECTIONS, headers };
    await runLoad({ ...cart, durationSeconds: 2, requests: cartRequests() }); // warm-up
    console.log(`load: cart add/update/get, ${CONNECTIONS} connections, ${DURATION_SECONDS} s…`);
    results.cart = await runLoad({ ...cart, durationSeconds: DURATION_SECONDS, requests: cartRequests() });

    const final = (await (await fetch(`${instance.baseUrl}/api/v1/cart`, { headers })).json()) as { data: { items: unknown[] } };
    console.log(`  the cart ends with ${final.data.items.length} lines`);
  } finally {
    await instance.stop();
  }

  const { db, cart } = results;
  for (const [name, r] of Object.entries(results)) {
    console.log(`  ${name}: ${r.requestsPerSecond.toFixed(0)} req/s, p50 ${ms(r.p50)}, p95 ${ms(r.p95)}, errors ${r.errors}, non-2xx ${r.non2xx}`);
  }
  const row = (name: string, r: LoadResult) =>
    `| ${name} | ${r.requestsPerSecond.toFixed(0)} | ${ms(r.p50)} | ${ms(r.p95)} | ${ms(r.p99)} | ${r.errors} | ${r.non2xx} |`;
  const ratio = (a: number, b: number) => (b > 0 ? (a / b).toFixed(2) : 'n/a');
  writeSection(
    'cart',
    `## Cart (\`npm run bench:cart\`)

One shopper (customer@example.com), ${CONNECTIONS} connections, ${DURATION_SECONDS} s each after a 2 s warm-up. Every
connection loops \`POST /api/v1/cart/items\` (add 1) → \`PUT /api/v1/cart/items/{id}\` (set 1) → \`GET /api/v1/cart\` on
one of products 1–10, so all writes go through the same CartDO and every answer is re-priced from Postgres.

| route | req/s | p50 | p95 | p99 | errors | non-2xx |
|---|---|---|---|---|---|---|
${row('`GET /health/db` (`SELECT 1`, same run)', db)}
${row('cart mix add / update / get (⅓ each)', cart)}

| ratio cart ÷ \`SELECT 1\` | value |
|---|---|
| throughput | ${ratio(cart.requestsPerSecond, db.requestsPerSecond)} |
| p50 latency | ${ratio(cart.p50, db.p50)} |
| p95 latency | ${ratio(cart.p95, db.p95)} |

Seed figure for comparison (different machine and load shape): **${SEED_FIGURE.addsPerSecond} adds/s at p95 ${SEED_FIGURE.p95Ms} ms**
(${SEED_FIGURE.machine}). Here the load generator, wrangler, workerd, the Neon proxy and PGlite share the same cores,
and each cart request costs two database queries (the token's session check, run beside the cart's own reads, and
the catalog re-pricing) plus one or two CartDO calls and the rate limiter. With 20 connections in a closed loop the
cores are saturated in both rows, so the ratio measures the work per request more than its round trips: taking a
query out of each request (docs/decisions/cart.md) is what would move it. The ratio to \`SELECT 1\` is the figure to
compare across machines.`,
  );
  reportSummary({
    name: 'cart',
    figure: `${cart.requestsPerSecond.toFixed(0)} req/s, p95 ${ms(cart.p95)} (${ratio(cart.p95, db.p95)}× \`SELECT 1\` p95), ${cart.errors + cart.non2xx} errors`,
    seed: `${SEED_FIGURE.addsPerSecond} adds/s, p95 ${SEED_FIGURE.p95Ms} ms`,
    goal: 'seed target: p95 < 40 ms',
    met: cart.p95 < 40 && cart.errors + cart.non2xx === 0,
  });
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
