/**
 * `npm run bench:flash`: a flash sale on one product. For each scenario of {@link FLASH_SCENARIOS} (one StockDO, then 8
 * stock shards) seller@example.com lists a fresh product with 500 units and sets its `stockShards`; then 2,000 buyers
 * (customer@example.com, each from its own client address) send `POST /api/v1/orders` for one unit at once (queued in
 * arrival order for {@link IN_FLIGHT} connections). Exactly
 * 500 must be 201 and 1,500 409 `INSUFFICIENT_STOCK`; the product's inventory must end at 0 available. Prints time to
 * sell out, answers/s, p50/p95, fairness (the share of the first 500 buyers sent that got a unit) and runs the
 * invariant check (scripts/invariants.ts) over the product; the platform floor is `GET /health/live` with the same
 * 2,000 at once, in the same run. Writes the flash section of docs/BENCHMARKS.md.
 * `BENCH_PORT` (default 8817) overrides; the database and proxy take the next two ports.
 *
 * Another way of buying is one more {@link FlashScenario} passed to {@link runFlashBench}: it may bring its own `buy`
 * step; the sale, the checks and the report stay the same. Last, on the same shop, the waiting room's own sale
 * (bench/flash-waiting-room.ts): buyers join a launch's line and buy as admitted — nobody may be refused while units
 * remain, admissions must follow places in line, and line-skippers and replays get nothing.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import pg from 'pg';

import { checkInvariants, printInvariantReport, type InvariantReport } from '../scripts/invariants.ts';
import { describeWaitingRoom, runWaitingRoomScenario, type WaitingRoomFigures } from './flash-waiting-room.ts';
import { call, login, sampleUser, type Answer } from './lib/http.ts';
import { startInstance } from './lib/instance.ts';
import { percentile } from './lib/load.ts';
import { ms, reportSummary, writeSection } from './lib/report.ts';
import { ROOT } from '../scripts/lib/platform.ts';
import type { FlashResult } from './sim/calibration.ts';

const PORT = Number(process.env.BENCH_PORT ?? 8817);
const FLASH_UNITS = 500;
const FLASH_BUYERS = 2000;
/**
 * Requests in flight at once (`BENCH_FLASH_CONNECTIONS`). All buyers arrive at once and queue in arrival order for a
 * connection: wrangler's local proxy drops connections ("Network connection lost") when 2,000 open together, which
 * would measure the dev server, not the shop.
 */
const IN_FLIGHT = Number(process.env.BENCH_FLASH_CONNECTIONS ?? 50);
const ORDERS_PATH = '/api/v1/orders';
const SETTLE_LIMIT_MS = 300_000;
const ADDRESS = { street: '1 Bench Street', city: 'Springfield', state: 'IL', country: 'US', zipCode: '62701' };

/** What a scenario's buyers need: the running shop, the product on sale and a buyer's token. */
export interface FlashContext {
  baseUrl: string;
  productId: number;
  buyerToken: string;
}

/** One way of running the sale. */
export interface FlashScenario {
  /** Short label for the report (e.g. `N = 8`). */
  name: string;
  /** `stockShards` given to the product before the sale (1 = one StockDO). */
  shards: number;
  /** One line of the report's description. */
  description: string;
  /** Buyer `i`'s whole attempt, ending with the order answer (default: `POST /api/v1/orders` at once). */
  buy?: (ctx: FlashContext, i: number) => Promise<Answer>;
}

const FLASH_SCENARIOS: FlashScenario[] = [
  { name: 'N = 1', shards: 1, description: 'one StockDO holds all units (the default for every product)' },
  { name: 'N = 8', shards: 8, description: '8 stock shards of 62–63 units; a buyer starts at its home shard and borrows from the others' },
];

interface ScenarioResult {
  scenario: FlashScenario;
  productId: number;
  sold: number;
  refused: number;
  other: string;
  available: number;
  sellOutMs: number;
  seconds: number;
  p50: number;
  p95: number;
  fairness: number;
  /** Seconds after the sale until no order of the product was PENDING (paid and committed, or cancelled). */
  settleSeconds: number;
  invariants: InvariantReport;
  exact: boolean;
}

/** Runs `task(i)` for i = 0…n−1 with at most {@link IN_FLIGHT} at a time, started in index order. */
async function inArrivalOrder<T>(n: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const results = new Array<T>(n);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(IN_FLIGHT, n) }, async () => {
      while (next < n) {
        const i = next++;
        results[i] = await task(i);
      }
    }),
  );
  return results;
}

const orderBuy = (ctx: FlashContext, i: number) =>
  call(ctx.baseUrl, ORDERS_PATH, { method: 'POST', token: ctx.buyerToken, client: 1000 + i, body: JSON.stringify({ items: [{ productId: ctx.productId, quantity: 1 }], shippingAddress: ADDRESS }) });

const isRefusal = (a: Answer) => a.status === 409 && (a.body as { error?: { code?: string } }).error?.code === 'INSUFFICIENT_STOCK';

async function listProduct(baseUrl: string, sellerToken: string, shards: number): Promise<number> {
  const created = await call(baseUrl, '/api/v1/products', {
    method: 'POST',
    token: sellerToken,
    client: 3,
    body: JSON.stringify({ name: `Flash sale product ${Date.now()}`, description: 'Flash sale benchmark', price: 19.99, categoryId: 1, stockQuantity: FLASH_UNITS }),
  });
  if (created.status !== 201) throw new Error(`creating the product answered ${created.status}: ${JSON.stringify(created.body)}`);
  const productId = (created.body as { data: { id: number } }).data.id;
  if (shards > 1) {
    const grown = await call(baseUrl, `/api/v1/products/${productId}`, { method: 'PUT', token: sellerToken, client: 3, body: JSON.stringify({ stockShards: shards }) });
    if (grown.status !== 200) throw new Error(`setting ${shards} stock shards answered ${grown.status}: ${JSON.stringify(grown.body)}`);
  }
  return productId;
}

async function runScenario({ baseUrl, databaseUrl }: { baseUrl: string; databaseUrl: string }, tokens: { seller: string; buyer: string }, scenario: FlashScenario): Promise<ScenarioResult> {
  const productId = await listProduct(baseUrl, tokens.seller, scenario.shards);
  const ctx: FlashContext = { baseUrl, productId, buyerToken: tokens.buyer };
  const buy = scenario.buy ?? orderBuy;
  console.log(`  ${scenario.name}: product ${productId} with ${FLASH_UNITS} units over ${scenario.shards} shard(s); ${FLASH_BUYERS} buyers at once…`);
  const started = performance.now();
  const answers = await inArrivalOrder(FLASH_BUYERS, async (i) => {
    const answer = await buy(ctx, i);
    return { ...answer, at: performance.now() - started };
  });
  const seconds = (performance.now() - started) / 1000;
  const sales = answers.filter((a) => a.status === 201);
  const refusals = answers.filter(isRefusal);
  const others = answers.filter((a) => a.status !== 201 && !isRefusal(a));
  const otherCounts = new Map<string, number>();
  for (const a of others) {
    const label = `${a.status} ${(a.body as { error?: { code?: string } }).error?.code ?? ''}`.trim();
    otherCounts.set(label, (otherCounts.get(label) ?? 0) + 1);
  }
  if (others[0]) console.log(`  ${scenario.name}: first unexpected answer: ${others[0].status} ${JSON.stringify(others[0].body).slice(0, 400)}`);
  const inventory = await call(baseUrl, `/api/v1/inventory/${productId}`, { method: 'GET', client: 4 });
  const available = (inventory.body as { data: { availableStock: number } }).data.availableStock;
  const times = answers.map((a) => a.ms).sort((a, b) => a - b);
  const sellOutMs = sales.length === FLASH_UNITS ? Math.max(...sales.map((a) => a.at)) : Number.NaN;
  // Buyers are sent in index order; the first FLASH_UNITS sent are the "early arrivals".
  const fairness = answers.slice(0, FLASH_UNITS).filter((a) => a.status === 201).length / FLASH_UNITS;
  // The saga pays (simulated gateway) and commits every sold order across the shards; the check runs once it settled.
  const settleSeconds = await waitForSettled(databaseUrl, productId);
  const invariants = printInvariantReport(await checkInvariants({ databaseUrl, baseUrl, productIds: [productId], settleMs: 10_000 }));
  const exact = sales.length === FLASH_UNITS && refusals.length === FLASH_BUYERS - FLASH_UNITS && others.length === 0 && available === 0 && invariants.ok;
  const result: ScenarioResult = {
    scenario,
    productId,
    sold: sales.length,
    refused: refusals.length,
    other: [...otherCounts].map(([label, count]) => `${count} × ${label}`).join(', ') || 'none',
    available,
    sellOutMs,
    seconds,
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    fairness,
    settleSeconds,
    invariants,
    exact,
  };
  console.log(
    `  ${scenario.name}: sold ${result.sold}, refused ${result.refused} (409), other ${result.other}; available ${available}; sold out after ${ms(sellOutMs)}; ` +
      `${(FLASH_BUYERS / seconds).toFixed(1)} answers/s; p50 ${ms(result.p50)}, p95 ${ms(result.p95)}; fairness ${(fairness * 100).toFixed(1)} %; ${exact ? 'exact' : 'NOT exact'}`,
  );
  return result;
}

/** Waits (up to {@link SETTLE_LIMIT_MS}) until no order of the product is PENDING; returns the seconds it took. */
async function waitForSettled(databaseUrl: string, productId: number): Promise<number> {
  const db = new pg.Client({ connectionString: databaseUrl });
  db.on('error', () => undefined);
  await db.connect();
  const started = performance.now();
  try {
    while (performance.now() - started < SETTLE_LIMIT_MS) {
      // In a transaction: the embedded database keeps a connection's statements together only inside one.
      await db.query('BEGIN');
      const { rows } = await db.query<{ n: string }>(
        `select count(*) as n from orders o where o.status = 'PENDING' and exists (select 1 from order_items i where i.order_id = o.id and i.product_id = $1)`,
        [productId],
      );
      await db.query('COMMIT');
      if (Number(rows[0]!.n) === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  } finally {
    await db.end().catch(() => undefined);
  }
  return (performance.now() - started) / 1000;
}

/** The platform floor: `GET /health/live` (no I/O) with the same number of requests at once. */
async function measureFloor(baseUrl: string): Promise<{ p95: number; perSecond: number }> {
  const started = performance.now();
  const answers = await inArrivalOrder(FLASH_BUYERS, (i) => call(baseUrl, '/health/live', { method: 'GET', client: 1000 + i }));
  const seconds = (performance.now() - started) / 1000;
  const failed = answers.filter((a) => a.status !== 200);
  if (failed.length > 0) throw new Error(`/health/live answered ${failed.length} of ${FLASH_BUYERS} with ${[...new Set(failed.map((a) => a.status))].join(', ')}: ${JSON.stringify(failed[0]!.body).slice(0, 300)}`);
  return { p95: percentile(answers.map((a) => a.ms).sort((a, b) => a - b), 95), perSecond: FLASH_BUYERS / seconds };
}

/** Starts a fresh shop, runs every scenario in order, prints and writes the report. */
async function runFlashBench(scenarios: readonly FlashScenario[] = FLASH_SCENARIOS): Promise<boolean> {
  const dataDir = mkdtempSync(join(os.tmpdir(), 'shop-bench-flash-'));
  try {
    console.log('starting the shop with a fresh data folder…');
    const instance = await startInstance({ dataDir, port: PORT, env: { PG_PORT: process.env.PG_PORT ?? String(PORT + 1), NEON_PROXY_PORT: process.env.NEON_PROXY_PORT ?? String(PORT + 2) } });
    console.log(`  ready after ${ms(instance.readyMs)}`);
    try {
      const base = instance.baseUrl;
      const tokens = { seller: await login(base, sampleUser('seller@example.com'), 1), buyer: await login(base, sampleUser('customer@example.com'), 2) };
      const floor = await measureFloor(base);
      console.log(`  platform floor: GET /health/live × ${FLASH_BUYERS} at once → p95 ${ms(floor.p95)}, ${floor.perSecond.toFixed(0)} answers/s`);
      const results: ScenarioResult[] = [];
      for (const scenario of scenarios) results.push(await runScenario(instance, tokens, scenario));
      console.log('waiting room: buyers join a launch and buy as admitted…');
      const waiting = await runWaitingRoomScenario(instance);
      console.log(describeWaitingRoom(waiting));
      report(results, floor, waiting);
      writeCalibration(results);
      return results.every((r) => r.exact) && waiting.ok;
    } finally {
      await instance.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * `bench/results/flash.json`, the calibration `npm run sim:scale` reads: the one-StockDO sale's answers per second, a
 * lower bound of what one shard serves here (each answer is one reserve call; the whole local chain shares two cores).
 */
function writeCalibration(results: readonly ScenarioResult[]): void {
  const single = results.find((r) => r.scenario.shards === 1);
  if (!single) return;
  const perSecond = Math.round((FLASH_BUYERS / single.seconds) * 10) / 10;
  const result: FlashResult = { perShardRequestsPerSecond: perSecond, shards: 1, measuredCheckoutsPerSecond: perSecond, measuredAt: new Date().toISOString() };
  mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
  writeFileSync(join(ROOT, 'bench/results/flash.json'), `${JSON.stringify(result, null, 2)}
`);
  console.log('wrote bench/results/flash.json (the calibration of npm run sim:scale)');
}

function report(results: readonly ScenarioResult[], floor: { p95: number; perSecond: number }, waiting: WaitingRoomFigures): void {
  const cell = (f: (r: ScenarioResult) => string) => results.map(f).join(' | ');
  const invariantText = (r: ScenarioResult) => (r.invariants.ok ? 'holds' : `**${r.invariants.violations.length} violation(s)**: ${r.invariants.violations.slice(0, 2).map((v) => v.message).join('; ')}`);
  writeSection(
    'flash',
    `## Flash sale (\`npm run bench:flash\`)

One product with **${FLASH_UNITS} units**, **${FLASH_BUYERS} buyers at once** (\`POST ${ORDERS_PATH}\`, one unit each, each from its own client
address; they queue in arrival order for ${IN_FLIGHT} connections, because wrangler's local proxy drops connections when 2,000 open together), once per scenario on a fresh product of the same shop: ${results.map((r) => `**${r.scenario.name}**: ${r.scenario.description}`).join('; ')}.
Platform floor in the same run: \`GET /health/live\` × ${FLASH_BUYERS} the same way → p95 ${ms(floor.p95)}, ${floor.perSecond.toFixed(0)} answers/s.

| figure | ${cell((r) => r.scenario.name)} | expected |
|---|${results.map(() => '---|').join('')}---|
| sold (201) | ${cell((r) => String(r.sold))} | ${FLASH_UNITS} |
| refused (409 \`INSUFFICIENT_STOCK\`) | ${cell((r) => String(r.refused))} | ${FLASH_BUYERS - FLASH_UNITS} |
| other answers | ${cell((r) => r.other)} | none |
| final available (\`GET /api/v1/inventory/{id}\`) | ${cell((r) => String(r.available))} | 0 |
| time to sell out (last 201 after the first request) | ${cell((r) => ms(r.sellOutMs))} | — |
| answers per second (all ${FLASH_BUYERS}) | ${cell((r) => `${(FLASH_BUYERS / r.seconds).toFixed(1)} (${r.seconds.toFixed(2)} s)`)} | — |
| latency p50 / p95 | ${cell((r) => `${ms(r.p50)} / ${ms(r.p95)}`)} | — |
| p95 ÷ floor p95 | ${cell((r) => `${(r.p95 / floor.p95).toFixed(1)}×`)} | — |
| fairness: share of the first ${FLASH_UNITS} buyers sent that got a unit | ${cell((r) => `${(r.fairness * 100).toFixed(1)} %`)} | — |
| saga settled (no order PENDING; payments committed across the shards) | ${cell((r) => `${r.settleSeconds.toFixed(1)} s`)} | — |
| invariant check over the product | ${cell(invariantText)} | holds |

Result: ${results.map((r) => `${r.scenario.name} **${r.exact ? 'exact' : 'NOT exact'}**`).join(', ')}. On this machine every request shares two cores
with workerd, the database and the load generator, so one StockDO is far from its limit (~1,000 requests/s per object on
Cloudflare) and sharding cannot make the local run faster; the figure it must hold here is exactness. Its gain is on the
platform, where each shard is a separate object with its own limit (docs/decisions/flash-sales.md).

**With the waiting room on** (\`bench/flash-waiting-room.ts\` on the same shop: ${waiting.buyers} buyers join a launch of ${waiting.stock} units,
${waiting.admitPerSecond} admitted per second, each buys as soon as it is admitted, while orders without an admission and replays of used
admissions are sent beside them):

| figure | value | expected |
|---|---|---|
| sold (201) | ${waiting.sold} | ${waiting.stock} |
| admitted buyers refused while units remained | ${waiting.refusedWhileUnitsRemained} | 0 |
| admitted buyers refused once sold out (409) | ${waiting.refusedSoldOut} | the rest |
| admissions out of line order (pairs) | ${waiting.admissionInversions} | 0 |
| orders without an admission accepted / replays accepted | ${waiting.skippersAccepted} / ${waiting.replaysAccepted} | 0 / 0 |
| oversold / final available | ${waiting.oversold} / ${waiting.finalAvailable} | 0 / 0 |
| line open → order answered p50 / p95 | ${ms(waiting.openToOrderP50Ms)} / ${ms(waiting.openToOrderP95Ms)} | — |

Result: waiting room **${waiting.ok ? 'fair and exact' : 'NOT fair or not exact'}**.`,
  );
  reportSummary({
    name: 'flash waiting room',
    figure: `${waiting.sold} sold, ${waiting.refusedWhileUnitsRemained} refused while units remained, ${waiting.admissionInversions} out of line order`,
    seed: '—',
    goal: 'nobody refused while units remain, positions honoured',
    met: waiting.ok,
  });
  for (const r of results) {
    reportSummary({
      name: `flash ${r.scenario.name}`,
      figure: `${r.sold}×201, ${r.refused}×409, ${r.other} other; sold out in ${ms(r.sellOutMs)}; p95 ${ms(r.p95)} (floor ${ms(floor.p95)})`,
      seed: '—',
      goal: `exactly ${FLASH_UNITS}×201, ${FLASH_BUYERS - FLASH_UNITS}×409`,
      met: r.exact,
    });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const exact = await runFlashBench();
  if (!exact) process.exitCode = 1;
}
