/**
 * `npm run bench:stock`: the oversell race through the Worker. seller@example.com creates a product with
 * stock 50 through the API; then 500 orders of quantity 1 by customer@example.com are sent at once to
 * `POST /api/v1/orders`. Exactly 50 must be 201 and 450 409 `INSUFFICIENT_STOCK`, and the product's
 * available stock (`GET /api/v1/inventory/{id}`) must end at 0. Prints sold, rejected, final
 * available and reservations/s, then runs the checkout invariant check (scripts/invariants.ts) over the
 * product and its orders; writes the stock section of docs/BENCHMARKS.md.
 * `BENCH_PORT` (default 8797) overrides.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';

import { checkInvariants, printInvariantReport } from '../scripts/invariants.ts';
import { call, login, sampleUser } from './lib/http.ts';
import { startInstance } from './lib/instance.ts';
import { percentile } from './lib/load.ts';
import { ms, reportSummary, writeSection } from './lib/report.ts';

const PORT = Number(process.env.BENCH_PORT ?? 8797);
const STOCK = 50;
const ORDERS = 500;
const ORDERS_PATH = '/api/v1/orders';
const SEED = '`race_inventory.js`: 10 orders on stock 1 → 1×201, 9×409';

const seller = sampleUser('seller@example.com');
const customer = sampleUser('customer@example.com');

/** A JSON body as JSON; an HTML error page (wrangler's, for an exception that escaped the app) as its text. */
function describeBody(body: unknown): string {
  if (typeof body !== 'string') return JSON.stringify(body).slice(0, 300);
  const text = body
    .replace(/<style[\s\S]*?<\/style>|<script[\s\S]*?<\/script>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return text.slice(0, 600);
}

const dataDir = mkdtempSync(join(os.tmpdir(), 'shop-bench-stock-'));
try {
  console.log('starting the shop with a fresh data folder…');
  const instance = await startInstance({ dataDir, port: PORT, env: { PG_PORT: String(PORT + 1), NEON_PROXY_PORT: String(PORT + 2) } });
  console.log(`  ready after ${ms(instance.readyMs)}`);
  try {
    const base = instance.baseUrl;
    const spec = (await (await fetch(`${base}/api/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    if (!spec.paths[ORDERS_PATH]?.post) {
      console.log(`POST ${ORDERS_PATH} does not exist in this build (orders not merged yet): nothing reserves stock through the API, so the race cannot run.`);
      writeSection(
        'stock',
        `## Stock race (\`npm run bench:stock\`)

Not measured: \`POST ${ORDERS_PATH}\` did not exist in the build this ran against, and no other route reserves stock.
The script is ready for it: stock ${STOCK}, ${ORDERS} concurrent orders of 1 → expected exactly ${STOCK} × 201, ${ORDERS - STOCK} × 409.`,
      );
      reportSummary({ name: 'stock', figure: 'not run (no orders route)', seed: '1×201, 9×409 on stock 1', goal: `exactly ${STOCK}×201, ${ORDERS - STOCK}×409, final 0`, met: null });
    } else {
      const sellerToken = await login(base, seller, 1);
      const customerToken = await login(base, customer, 2);
      const created = await call(base, '/api/v1/products', {
        method: 'POST',
        token: sellerToken,
        client: 3,
        body: JSON.stringify({ name: `Bench race product ${Date.now()}`, description: 'Stock race benchmark', price: 9.99, categoryId: 1, stockQuantity: STOCK }),
      });
      if (created.status !== 201) throw new Error(`creating the product answered ${created.status}: ${JSON.stringify(created.body)}`);
      const productId = (created.body as { data: { id: number } }).data.id;
      console.log(`  product ${productId} with stock ${STOCK}; sending ${ORDERS} orders of 1 at once…`);

      const order = JSON.stringify({
        items: [{ productId, quantity: 1 }],
        shippingAddress: { street: '1 Bench Street', city: 'Springfield', state: 'IL', country: 'US', zipCode: '62701' },
      });
      const started = performance.now();
      const answers = await Promise.all(
        Array.from({ length: ORDERS }, (_, i) => call(base, ORDERS_PATH, { method: 'POST', token: customerToken, client: 100 + i, body: order })),
      );
      const seconds = (performance.now() - started) / 1000;

      const inventory = await call(base, `/api/v1/inventory/${productId}`, { method: 'GET', client: 4 });
      const stock = (inventory.body as { data: { availableStock: number; stockReserved: number; stockQuantity: number } }).data;
      const sold = answers.filter((a) => a.status === 201).length;
      const rejected = answers.filter((a) => a.status === 409 && (a.body as { error?: { code?: string } }).error?.code === 'INSUFFICIENT_STOCK').length;
      const other = answers.filter((a) => a.status !== 201 && !(a.status === 409 && (a.body as { error?: { code?: string } }).error?.code === 'INSUFFICIENT_STOCK'));
      const otherCounts = new Map<string, number>();
      for (const a of other) {
        const label = `${a.status} ${(a.body as { error?: { code?: string } }).error?.code ?? ''}`.trim();
        otherCounts.set(label, (otherCounts.get(label) ?? 0) + 1);
      }
      const otherText = [...otherCounts].map(([label, count]) => `${count} × ${label}`).join(', ') || 'none';
      if (other[0]) console.log(`  first unexpected answer: ${other[0].status} ${describeBody(other[0].body)}`);
      // Whatever failed, what was sold and what is available must add up to the stock: nothing lost, nothing oversold.
      const consistent = stock.availableStock >= 0 && stock.availableStock === STOCK - sold;
      const times = answers.map((a) => a.ms).sort((a, b) => a - b);
      const perSecond = ORDERS / seconds;
      // The orders stay PENDING (nobody pays within the run): units held = units of live orders, nothing sold yet.
      const invariants = printInvariantReport(await checkInvariants({ databaseUrl: instance.databaseUrl, baseUrl: base, productIds: [productId], settleMs: 10_000 }));
      const met = sold === STOCK && rejected === ORDERS - STOCK && other.length === 0 && stock.availableStock === 0 && consistent && invariants.ok;
      console.log(
        `  sold ${sold} (201), rejected ${rejected} (409 INSUFFICIENT_STOCK), other ${other.length} (${otherText}); final available ${stock.availableStock} ` +
          `(on hand ${stock.stockQuantity}, reserved ${stock.stockReserved}); ${perSecond.toFixed(1)} reservations/s, p50 ${ms(percentile(times, 50))}, p95 ${ms(percentile(times, 95))}`,
      );
      console.log(`  ${met ? 'exact: no oversell, no undersell' : 'NOT exact'}; available ${consistent ? '=' : '≠'} stock − sold (${STOCK} − ${sold})`);
      writeSection(
        'stock',
        `## Stock race (\`npm run bench:stock\`)

seller@example.com creates a product with stock ${STOCK} through the API; customer@example.com then sends **${ORDERS} orders of
quantity 1 at once** (\`POST ${ORDERS_PATH}\`, each from its own client address). Every reservation goes through the product's
single StockDO.

| figure | value | expected |
|---|---|---|
| sold (201) | ${sold} | ${STOCK} |
| rejected (409 \`INSUFFICIENT_STOCK\`) | ${rejected} | ${ORDERS - STOCK} |
| other answers | ${other.length} (${otherText}) | 0 |
| final available (\`GET /api/v1/inventory/{id}\`) | ${stock.availableStock} (on hand ${stock.stockQuantity}, reserved ${stock.stockReserved}) | 0, never negative |
| available = stock − sold (nothing leaked by failed orders) | ${consistent ? 'yes' : '**no**'} | yes |
| order answers per second (all ${ORDERS}, ${seconds.toFixed(2)} s) | ${perSecond.toFixed(1)} | — |
| order latency p50 / p95 / max | ${ms(percentile(times, 50))} / ${ms(percentile(times, 95))} / ${ms(times.at(-1) ?? Number.NaN)} | — |
| invariant check (\`npm run check:invariants\` over this product) | ${invariants.ok ? 'holds' : `**${invariants.violations.length} violation(s)**: ${invariants.violations.slice(0, 3).map((v) => v.message).join('; ')}`} | holds |

Result: **${met ? 'exact' : 'NOT exact'}**. Seed figure: ${SEED}.`,
      );
      reportSummary({
        name: 'stock',
        figure: `${sold}×201, ${rejected}×409, ${other.length} other, final available ${stock.availableStock}; ${perSecond.toFixed(0)} orders/s`,
        seed: '1×201, 9×409 (stock 1, 10 orders)',
        goal: `exactly ${STOCK}×201, ${ORDERS - STOCK}×409, final 0`,
        met,
      });
    }
  } finally {
    await instance.stop();
  }
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
