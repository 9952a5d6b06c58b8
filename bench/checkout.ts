/**
 * `npm run bench:checkout` (docs/decisions/marketplace.md): checkouts of a three-seller cart through
 * `POST /api/v1/checkouts` beside single-seller orders through `POST /api/v1/orders`, interleaved in ONE run at 20
 * concurrent (every other request is a checkout), then the wait until every order is terminal and the invariant
 * check (stock, money, ledger). Reports checkouts/s and orders/s with p50/p95 of each; the goal is the three-seller
 * checkout's p95 ≤ 1.5 × the single-seller order's p95. Writes its section of docs/BENCHMARKS.md.
 *
 * `BENCH_REQUESTS` (400: half checkouts, half orders), `BENCH_CONCURRENCY` (20), `BENCH_PORT` (+1 database, +2 proxy)
 * override.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';

import pg from 'pg';

import { checkInvariants, printInvariantReport } from '../scripts/invariants.ts';
import { call, login, sampleUser } from './lib/http.ts';
import { startInstance } from './lib/instance.ts';
import { percentile } from './lib/load.ts';
import { machineDescription, ms, reportSummary, writeSection } from './lib/report.ts';

const PORT = Number(process.env.BENCH_PORT ?? 8807);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 400);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 20);
const GOAL_RATIO = 1.5;
const SETTLE_LIMIT_MS = 300_000;
const ADDRESS = { street: '1 Bench Street', city: 'Springfield', state: 'IL', country: 'US', zipCode: '62701' };

const dataDir = mkdtempSync(join(os.tmpdir(), 'shop-bench-checkout-'));
try {
  console.log('starting the shop with a fresh data folder…');
  const instance = await startInstance({ dataDir, port: PORT, env: { PG_PORT: process.env.PG_PORT ?? String(PORT + 1), NEON_PROXY_PORT: process.env.NEON_PROXY_PORT ?? String(PORT + 2) } });
  const db = new pg.Client({ connectionString: instance.databaseUrl });
  db.on('error', () => undefined);
  try {
    const base = instance.baseUrl;
    await db.connect();
    // The embedded database shares one session between its connections and keeps a connection's statements together
    // only inside a transaction (scripts/local-db/neon-proxy.ts, as bench:saga does).
    const query = async <R extends pg.QueryResultRow>(text: string, params: unknown[]) => {
      await db.query('BEGIN');
      try {
        const result = await db.query<R>(text, params);
        await db.query('COMMIT');
        return result;
      } catch (err) {
        await db.query('ROLLBACK').catch(() => undefined);
        throw err;
      }
    };
    const buyer = await login(base, sampleUser('customer@example.com'), 1);
    const admin = await login(base, sampleUser('admin@example.com'), 2);
    const jane = await login(base, sampleUser('seller@example.com'), 3);
    const sam = await login(base, sampleUser('outdoors.seller@example.com'), 4);
    // A third seller: registered, verified and promoted directly in the bench's own database.
    const third = { email: `bench-seller-${Date.now()}@example.com`, password: 'Sturdy4Pass' };
    const registered = await call(base, '/api/v1/auth/register', { method: 'POST', client: 5, body: JSON.stringify({ ...third, first_name: 'Bench', last_name: 'Seller' }) });
    if (registered.status !== 201) throw new Error(`registering the third seller answered ${registered.status}`);
    await query(`update users set is_verified = true, role = 'seller' where lower(email) = $1`, [third.email]);
    const thirdToken = await login(base, third, 5);
    const created = await call(base, '/api/v1/products', { method: 'POST', token: thirdToken, client: 5, body: JSON.stringify({ name: 'Bench lantern', description: 'Made by bench:checkout.', price: 12.5, stockQuantity: REQUESTS * 4 }) });
    if (created.status !== 201) throw new Error(`creating the third seller's product answered ${created.status}: ${JSON.stringify(created.body)}`);
    const thirdProduct = (created.body as { data: { id: number } }).data.id;
    // Enough stock everywhere: this measures checkout against order, not the shortage path.
    for (const [token, productId] of [[jane, 1], [sam, 31]] as const) {
      const put = await call(base, `/api/v1/products/${productId}`, { method: 'PUT', token, client: 6, body: JSON.stringify({ stockDelta: REQUESTS * 4 }) });
      if (put.status !== 200) console.warn(`  warning: restocking product ${productId} answered ${put.status}`);
    }
    const productIds = [1, 31, thirdProduct];
    const checkoutBody = JSON.stringify({ items: productIds.map((productId) => ({ productId, quantity: 1 })), shippingAddress: ADDRESS });
    const orderBody = JSON.stringify({ items: [{ productId: 1, quantity: 1 }], shippingAddress: ADDRESS });

    console.log(`  ${REQUESTS} requests at ${CONCURRENCY} concurrent: every other one a three-seller checkout, the rest single-seller orders…`);
    const results = { checkout: [] as { status: number; ms: number }[], order: [] as { status: number; ms: number }[] };
    const orderIds: string[] = [];
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < REQUESTS) {
          const i = next++;
          const kind = i % 2 === 0 ? 'checkout' : 'order';
          const answer = await call(base, kind === 'checkout' ? '/api/v1/checkouts' : '/api/v1/orders', { method: 'POST', token: buyer, client: 100 + i, body: kind === 'checkout' ? checkoutBody : orderBody });
          results[kind].push({ status: answer.status, ms: answer.ms });
          const data = (answer.body as { data?: { id?: string; orders?: { id: string }[] } }).data;
          if (answer.status === 201 && data) orderIds.push(...(data.orders ? data.orders.map((o) => o.id) : data.id ? [data.id] : []));
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;

    let pending = Number.POSITIVE_INFINITY;
    const settleStart = performance.now();
    while (performance.now() - settleStart < SETTLE_LIMIT_MS) {
      pending = Number((await query<{ n: string }>(`select count(*) as n from orders where status = 'PENDING' and id = any($1::uuid[])`, [orderIds])).rows[0]!.n);
      if (pending === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const settleSeconds = (performance.now() - settleStart) / 1000;
    const outcome = await query<{ status: string; n: string }>(`select status, count(*) as n from orders where id = any($1::uuid[]) group by status`, [orderIds]);
    const byStatus = Object.fromEntries(outcome.rows.map((row) => [row.status, Number(row.n)]));
    const report = printInvariantReport(await checkInvariants({ databaseUrl: instance.databaseUrl, baseUrl: base, token: admin, productIds, settleMs: 10_000 }));

    const summarize = (rows: { status: number; ms: number }[]) => {
      const times = rows.filter((r) => r.status === 201).map((r) => r.ms).sort((a, b) => a - b);
      return { accepted: times.length, total: rows.length, perSecond: times.length / seconds, p50: percentile(times, 50), p95: percentile(times, 95), refused: rows.filter((r) => r.status !== 201).map((r) => r.status) };
    };
    const checkouts = summarize(results.checkout);
    const orders = summarize(results.order);
    const ratio = checkouts.p95 / orders.p95;
    const met = ratio <= GOAL_RATIO && checkouts.accepted === checkouts.total && orders.accepted === orders.total && pending === 0 && report.ok;
    const line =
      `three-seller checkouts ${checkouts.accepted}/${checkouts.total} (${checkouts.perSecond.toFixed(1)}/s, p50 ${ms(checkouts.p50)}, p95 ${ms(checkouts.p95)}); ` +
      `single-seller orders ${orders.accepted}/${orders.total} (${orders.perSecond.toFixed(1)}/s, p50 ${ms(orders.p50)}, p95 ${ms(orders.p95)}); ` +
      `p95 ratio ${ratio.toFixed(2)} (goal ≤ ${GOAL_RATIO}); all terminal ${settleSeconds.toFixed(1)} s after the last POST; invariants ${report.ok ? 'hold' : 'VIOLATED'}`;
    console.log(`  ${line}`);
    writeSection(
      'checkout',
      `## Marketplace checkout (\`npm run bench:checkout\`)

${REQUESTS} POSTs by customer@example.com at ${CONCURRENCY} concurrent, interleaved in one run: every other one a checkout of a
three-seller cart (products 1, 31 and a product of a third seller; platform default shipping; 3 StockDO reservations, 1 checkout + 3 orders
+ 1 outbox row in one transaction), the others a single-seller \`POST /orders\` of product 1. ${machineDescription()}

| figure | three-seller checkout | single-seller order |
|---|---|---|
| accepted (201) | ${checkouts.accepted} / ${checkouts.total}${checkouts.refused.length ? ` (refused: ${checkouts.refused.join(', ')})` : ''} | ${orders.accepted} / ${orders.total}${orders.refused.length ? ` (refused: ${orders.refused.join(', ')})` : ''} |
| throughput (over the whole run) | **${checkouts.perSecond.toFixed(1)} checkouts/s** | ${orders.perSecond.toFixed(1)} orders/s |
| latency p50 / p95 | ${ms(checkouts.p50)} / **${ms(checkouts.p95)}** | ${ms(orders.p50)} / **${ms(orders.p95)}** |

Goal: checkout p95 ≤ ${GOAL_RATIO} × order p95 → **${ratio.toFixed(2)}×, ${ratio <= GOAL_RATIO ? 'met' : 'not met'}**. Outcome: CONFIRMED ${byStatus.CONFIRMED ?? 0},
CANCELLED ${byStatus.CANCELLED ?? 0}, PENDING ${pending} (${settleSeconds.toFixed(1)} s after the last POST); invariant check (stock, money, ledger): ${report.ok ? 'holds' : `${report.violations.length} violation(s)`}.
`,
    );
    reportSummary({ name: 'checkout', figure: `checkout p95 ${ms(checkouts.p95)} vs order p95 ${ms(orders.p95)} (${ratio.toFixed(2)}×)`, seed: '—', goal: `≤ ${GOAL_RATIO}×`, met });
  } finally {
    await db.end().catch(() => undefined);
    await instance.stop();
  }
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
