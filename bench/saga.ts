/**
 * `npm run bench:saga`: 1,000 orders of product 1 (stock 1,000) at 50 concurrent through `POST /api/v1/orders`,
 * then the time until every order is terminal (CONFIRMED or CANCELLED), the saga consumers' throughput
 * (two queue messages per order: order.created and payment.*), PENDING left and dead letters. Writes the
 * saga section of docs/BENCHMARKS.md. `BENCH_ORDERS`, `BENCH_CONCURRENCY`, `BENCH_PORT` override.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';

import { call, login, sampleUser } from './lib/http.ts';
import { startInstance } from './lib/instance.ts';
import { percentile } from './lib/load.ts';
import { ms, reportSummary, writeSection } from './lib/report.ts';

const PORT = Number(process.env.BENCH_PORT ?? 8797);
const ORDERS = Number(process.env.BENCH_ORDERS ?? 1000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 50);
const SETTLE_LIMIT_MS = 120_000;
const GOAL_SETTLE_S = 15;
const GOAL_MSGS = 300;

const count = async (base: string, token: string, status: string, client: number) => {
  const answer = await call(base, `/api/v1/orders?status=${status}&size=1`, { method: 'GET', token, client });
  return (answer.body as { meta: { totalElements: number } }).meta.totalElements;
};

const dataDir = mkdtempSync(join(os.tmpdir(), 'shop-bench-saga-'));
try {
  console.log('starting the shop with a fresh data folder…');
  const instance = await startInstance({ dataDir, port: PORT, env: { PG_PORT: String(PORT + 1), NEON_PROXY_PORT: String(PORT + 2) } });
  try {
    const base = instance.baseUrl;
    const token = await login(base, sampleUser('customer@example.com'), 1);
    const admin = await login(base, sampleUser('admin@example.com'), 2);
    const body = JSON.stringify({
      items: [{ productId: 1, quantity: 1 }],
      shippingAddress: { street: '1 Bench Street', city: 'Springfield', state: 'IL', country: 'US', zipCode: '62701' },
    });

    console.log(`  placing ${ORDERS} orders at ${CONCURRENCY} concurrent…`);
    const answers: { status: number; ms: number }[] = [];
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < ORDERS) {
          const i = next++;
          const answer = await call(base, '/api/v1/orders', { method: 'POST', token, client: 100 + i, body });
          answers.push({ status: answer.status, ms: answer.ms });
        }
      }),
    );
    const postSeconds = (performance.now() - started) / 1000;
    const accepted = answers.filter((a) => a.status === 201).length;

    let pending = await count(base, token, 'PENDING', 3);
    while (pending > 0 && performance.now() - started < postSeconds * 1000 + SETTLE_LIMIT_MS) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      pending = await count(base, token, 'PENDING', 3);
    }
    const terminalSeconds = (performance.now() - started) / 1000;
    const settleSeconds = terminalSeconds - postSeconds;
    const confirmed = await count(base, token, 'CONFIRMED', 3);
    const cancelled = await count(base, token, 'CANCELLED', 3);
    const deadLetters = await call(base, '/api/v1/admin/dead-letters', { method: 'GET', token: admin, client: 4 });
    const dlq = (deadLetters.body as { meta?: { totalElements?: number } }).meta?.totalElements ?? Number.NaN;
    const messagesPerSecond = (2 * accepted) / terminalSeconds;
    const times = answers.map((a) => a.ms).sort((a, b) => a - b);
    const met = accepted === ORDERS && pending === 0 && dlq === 0 && settleSeconds <= GOAL_SETTLE_S && messagesPerSecond >= GOAL_MSGS;

    console.log(
      `  accepted ${accepted}/${ORDERS} in ${postSeconds.toFixed(1)} s (${(accepted / postSeconds).toFixed(1)}/s, p95 ${ms(percentile(times, 95))}); ` +
        `all terminal ${settleSeconds.toFixed(1)} s after the last POST; ${messagesPerSecond.toFixed(0)} msg/s; ` +
        `CONFIRMED ${confirmed}, CANCELLED ${cancelled}, PENDING ${pending}, dead letters ${dlq}`,
    );
    writeSection(
      'saga',
      `## Order saga (\`npm run bench:saga\`)

${ORDERS} orders of product 1 (stock 1,000) by customer@example.com at ${CONCURRENCY} concurrent; the simulated gateway approves
every payment after 50–200 ms. Each order is two queue messages (\`order.created\` → payment consumer, \`payment.completed\` → order
consumer), delivered by Miniflare's local Queues.

| figure | value | goal | seed |
|---|---|---|---|
| orders accepted (201) | ${accepted} / ${ORDERS} in ${postSeconds.toFixed(1)} s → **${(accepted / postSeconds).toFixed(1)} orders/s** (p50 ${ms(percentile(times, 50))}, p95 ${ms(percentile(times, 95))}) | all | \`order_create.js\` 49/s, p95 414 ms |
| every order terminal, after the last POST | **${settleSeconds.toFixed(1)} s** | ≤ ${GOAL_SETTLE_S} s | Kafka drain of 10,000 events: 290 s |
| saga consumer throughput (2 messages per order ÷ time to all terminal) | **${messagesPerSecond.toFixed(0)} msg/s** | ≥ ${GOAL_MSGS} msg/s | 34 msg/s |
| outcome | CONFIRMED ${confirmed}, CANCELLED ${cancelled}, PENDING **${pending}** | 0 PENDING | 0 PENDING |
| dead letters | **${dlq}** | 0 | 0 |

Result: **${met ? 'all goals met' : 'goals not all met'}**.`,
    );
    reportSummary({
      name: 'saga',
      figure: `${(accepted / postSeconds).toFixed(0)} orders/s accepted; terminal ${settleSeconds.toFixed(1)} s after last POST; ${messagesPerSecond.toFixed(0)} msg/s; ${pending} PENDING, ${dlq} DLQ`,
      seed: '34 msg/s; 49 orders/s',
      goal: `≤ ${GOAL_SETTLE_S} s, ≥ ${GOAL_MSGS} msg/s, 0 PENDING, 0 DLQ`,
      met,
    });
  } finally {
    await instance.stop();
  }
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
