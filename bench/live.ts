/**
 * `npm run bench:live`: 1,000 live sockets (100 sellers × 10 tabs) on a fresh local shop, then one order per seller:
 * the time from the order's commit to the `notification.created` event on each of the seller's 10 sockets,
 * p50/p95/p99 over every socket, and the memory the sockets cost the workerd process. The commit's instant is not
 * visible from outside, so it is bracketed: the notification's insert (its `createdAt`, Postgres `clock_timestamp()`
 * on this machine's clock; the order transaction's last statement before COMMIT) is before it, the order's 201 after it. The event is pushed at the commit, so it
 * may arrive before the 201: the first bound is then negative, the second is the figure the goal is held to.
 * Writes the live section of docs/BENCHMARKS.md. `BENCH_PORT` (default 8797), `BENCH_LIVE_USERS` override.
 * On a machine too loaded for a fresh start-up, point it at a running `npm start` instead: `BENCH_BASE_URL`,
 * `BENCH_DATABASE_URL` and `BENCH_DATA_DIR` (that instance's `DATA_DIR`, for the memory figure).
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';

import pg from 'pg';
import WebSocket from 'ws';

import { call, clientIp, login, sampleUser } from './lib/http.ts';
import { readDevVars } from '../scripts/lib/platform.ts';
import type { AppEnv } from '../workers/env.ts';
import { signAccessToken } from '../workers/identity/tokens.ts';
import { startInstance, type Instance } from './lib/instance.ts';
import { percentile } from './lib/load.ts';
import { ms, reportSummary, writeSection } from './lib/report.ts';

const PORT = Number(process.env.BENCH_PORT ?? 8797);
const USERS = Number(process.env.BENCH_LIVE_USERS ?? 100);
const TABS = 10;
const CONCURRENCY = 10;
/** Sockets opened at once (`BENCH_LIVE_OPEN_BATCH`). */
const OPEN_BATCH = Number(process.env.BENCH_LIVE_OPEN_BATCH ?? 50);
const GOAL_P95_MS = 100;

/** Resident memory (KiB) of the workerd processes started for this data folder (found by their environment). */
function workerdRssKiB(dataDir: string): number {
  let total = 0;
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmd.includes('workerd')) continue;
      if (!readFileSync(`/proc/${pid}/environ`, 'utf8').includes(`DATA_DIR=${dataDir}`)) continue;
      total += Number(execFileSync('ps', ['-o', 'rss=', '-p', pid], { encoding: 'utf8' }).trim() || 0);
    } catch {
      // gone or not ours
    }
  }
  return total;
}

/** When a notification arrived: `performance.now()` and wall clock, and when it was inserted (wall clock). */
interface Arrival {
  at: number;
  wallAt: number;
  insertedAt: number;
}

interface Tab {
  userIndex: number;
  socket: WebSocket;
  /** orderId → when its notification arrived. */
  received: Map<string, Arrival>;
}

async function openTab(base: string, token: string, userIndex: number, client: number): Promise<Tab> {
  const ticket = await call(base, '/api/v1/live/ticket', { method: 'POST', token, client });
  if (ticket.status !== 200) throw new Error(`ticket answered ${ticket.status}`);
  const url = `${base.replace('http', 'ws')}/api/v1/live?ticket=${encodeURIComponent((ticket.body as { data: { ticket: string } }).data.ticket)}`;
  const socket = new WebSocket(url, { origin: base, headers: { 'cf-connecting-ip': clientIp(client) } });
  const tab: Tab = { userIndex, socket, received: new Map() };
  await new Promise<void>((resolve, reject) => {
    socket.on('message', (raw) => {
      const at = performance.now();
      const wallAt = Date.now();
      const frame = JSON.parse(String(raw)) as { type: string; data?: { notification?: { orderId?: string; createdAt?: string } } };
      if (frame.type === 'hello') resolve();
      const orderId = frame.data?.notification?.orderId;
      const insertedAt = Date.parse(frame.data?.notification?.createdAt ?? '');
      if (frame.type === 'notification.created' && orderId && !tab.received.has(orderId)) tab.received.set(orderId, { at, wallAt, insertedAt });
    });
    socket.on('close', (code, reason) => reject(new Error(`socket closed ${code} ${String(reason)}`)));
    socket.on('error', reject);
  });
  return tab;
}

async function inBatches<T>(count: number, size: number, fn: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let start = 0; start < count; start += size) {
    out.push(...(await Promise.all(Array.from({ length: Math.min(size, count - start) }, (_, k) => fn(start + k)))));
  }
  return out;
}

const existing = process.env.BENCH_BASE_URL;
const dataDir = existing ? (process.env.BENCH_DATA_DIR ?? '') : mkdtempSync(join(os.tmpdir(), 'shop-bench-live-'));

async function runningInstance(baseUrl: string): Promise<Instance> {
  const key = readDevVars().JWT_PRIVATE_KEY;
  return {
    baseUrl,
    databaseUrl: process.env.BENCH_DATABASE_URL ?? '',
    pid: undefined,
    readyMs: 0,
    stop: async () => undefined,
    signToken: (claims) => signAccessToken({ JWT_PRIVATE_KEY: key } as AppEnv, claims),
  };
}

try {
  console.log(existing ? `using the running shop at ${existing}…` : 'starting the shop with a fresh data folder…');
  const instance = existing
    ? await runningInstance(existing)
    : await startInstance({ dataDir, port: PORT, env: { PG_PORT: String(PORT + 1), NEON_PROXY_PORT: String(PORT + 2) } });
  try {
    const base = instance.baseUrl;
    const db = new pg.Client(instance.databaseUrl);
    await db.connect();
    const sellers: { id: string; token: string; productId: number }[] = [];
    for (let i = 0; i < USERS; i++) {
      const email = `live-bench-${i}-${Date.now()}@bench.local`;
      const { rows } = await db.query<{ id: string }>(`insert into users (id, email, password_hash, role, is_verified) values ($1, $2, 'x', 'seller', true) returning id`, [randomUUID(), email]);
      const id = rows[0]!.id;
      const token = await instance.signToken({ userId: id, email, role: 'seller', sessionVersion: 0 });
      const product = await call(base, '/api/v1/products', {
        method: 'POST',
        token,
        client: 1000 + i,
        body: JSON.stringify({ name: `Live bench lamp ${i}`, description: 'live benchmark', price: 5, stockQuantity: 10 }),
      });
      if (product.status !== 201) throw new Error(`product answered ${product.status}: ${JSON.stringify(product.body)}`);
      sellers.push({ id, token, productId: (product.body as { data: { id: number } }).data.id });
    }
    await db.end();
    const buyer = await login(base, sampleUser('customer@example.com'), 1);

    const rssBefore = workerdRssKiB(dataDir);
    const openStarted = performance.now();
    const tabs = await inBatches(USERS * TABS, OPEN_BATCH, (n) => openTab(base, sellers[Math.floor(n / TABS)]!.token, Math.floor(n / TABS), 2000 + n));
    const openMs = performance.now() - openStarted;
    const rssAfter = workerdRssKiB(dataDir);
    console.log(`${tabs.length} sockets open in ${(openMs / 1000).toFixed(1)} s`);

    const committedAt = new Map<string, number>();
    const orderOf = new Map<number, string>();
    await inBatches(USERS, CONCURRENCY, async (i) => {
      const answer = await call(base, '/api/v1/orders', {
        method: 'POST',
        token: buyer,
        client: 5000 + i,
        body: JSON.stringify({
          items: [{ productId: sellers[i]!.productId, quantity: 1 }],
          shippingAddress: { street: '1 Bench Street', city: 'Springfield', state: 'IL', country: 'US', zipCode: '62701' },
        }),
      });
      if (answer.status !== 201) throw new Error(`order answered ${answer.status}: ${JSON.stringify(answer.body)}`);
      const orderId = (answer.body as { data: { id: string } }).data.id;
      committedAt.set(orderId, performance.now());
      orderOf.set(i, orderId);
    });
    const deadline = Date.now() + 30_000;
    const delivered = () => tabs.filter((tab) => tab.received.has(orderOf.get(tab.userIndex)!)).length;
    while (delivered() < tabs.length && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));

    const arrivals = tabs.map((tab) => ({ orderId: orderOf.get(tab.userIndex)!, arrival: tab.received.get(orderOf.get(tab.userIndex)!) }));
    const sorted = (values: number[]) => values.filter(Number.isFinite).sort((a, b) => a - b);
    // After the commit: the 201 was received later than the commit, so this is at most the true latency.
    const afterAnswer = sorted(arrivals.map(({ orderId, arrival }) => (arrival ? arrival.at - committedAt.get(orderId)! : Number.NaN)));
    // Before the commit: the notification's insert came earlier, so this is at least the true latency — the goal's figure.
    const latencies = sorted(arrivals.map(({ arrival }) => (arrival ? arrival.wallAt - arrival.insertedAt : Number.NaN)));
    for (const tab of tabs) tab.socket.close(1000, 'bench over');

    const p50 = percentile(latencies, 50);
    const p95 = percentile(latencies, 95);
    const p99 = percentile(latencies, 99);
    const [a50, a95, a99] = [50, 95, 99].map((p) => percentile(afterAnswer, p));
    const perSocketKiB = (rssAfter - rssBefore) / tabs.length;
    const met = latencies.length === tabs.length && p95 < GOAL_P95_MS;
    console.log(`delivered ${latencies.length}/${tabs.length}; insert → received p50 ${ms(p50)} p95 ${ms(p95)} p99 ${ms(p99)}; 201 → received p50 ${ms(a50!)} p95 ${ms(a95!)} p99 ${ms(a99!)}; ${perSocketKiB.toFixed(1)} KiB/socket`);
    writeSection(
      'live',
      [
        '## Live updates (`npm run bench:live`)',
        '',
        `${USERS} sellers × ${TABS} sockets = ${tabs.length} live sockets on one local \`wrangler dev\`; then one order per seller (${CONCURRENCY} at a time). Latency = the order's commit → \`notification.created\` received on each of the seller's sockets. The commit's instant is bracketed: the notification's insert (its \`createdAt\`, Postgres \`clock_timestamp()\` on the same clock, the transaction's last statement) comes before it, the order's 201 after it; the event is pushed at the commit, so it can beat the 201 (a negative figure).`,
        '',
        '| measure | value |',
        '|---|---|',
        `| sockets opened (ticket + upgrade, ${OPEN_BATCH} at a time) | ${tabs.length} in ${(openMs / 1000).toFixed(1)} s |`,
        `| events delivered | ${latencies.length} / ${tabs.length} |`,
        `| notification inserted → received p50 / p95 / p99 (≥ commit → received) | ${ms(p50)} / ${ms(p95)} / ${ms(p99)} |`,
        `| 201 received → received p50 / p95 / p99 (≤ commit → received) | ${ms(a50!)} / ${ms(a95!)} / ${ms(a99!)} |`,
        `| workerd memory per open socket | ${perSocketKiB.toFixed(1)} KiB (${((rssAfter - rssBefore) / 1024).toFixed(1)} MiB for ${tabs.length}) |`,
        `| goal | p95 < ${GOAL_P95_MS} ms: ${met ? 'met' : 'not met'} |`,
        '',
      ].join('\n'),
    );
    reportSummary({ name: 'live', figure: `p95 ${ms(p95)} (${latencies.length}/${tabs.length})`, seed: 'none (the seed polls)', goal: `p95 < ${GOAL_P95_MS} ms`, met });
  } finally {
    await instance.stop();
  }
} finally {
  if (!existing) rmSync(dataDir, { recursive: true, force: true });
}
