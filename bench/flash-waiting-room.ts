/**
 * The waiting-room scenario of `bench:flash` (docs/decisions/flash-sales.md, "Waiting room"): a launched product
 * with `stock` units, `buyers` accounts (each its own client address) joining its line at once just before the
 * start, each polling its place and ordering one unit with its admission as soon as it is admitted. Meanwhile
 * line-skippers order without an admission and admitted buyers replay theirs.
 *
 * Figures: sold, refused while units remained (must be 0), admission-order inversions against the join order
 * (must be 0: positions honoured), skippers let through and replays accepted (must be 0), oversold units (0),
 * final available stock, and join → admitted → order latencies.
 *
 * `runWaitingRoomScenario(instance)` takes a started instance (bench/lib/instance.ts); run alone,
 * `npm run bench:waiting-room` starts one on `BENCH_PORT` (default 8797) with a fresh data folder.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import pg from 'pg';

import { call, clientIp, login, sampleUser } from './lib/http.ts';
import { startInstance, type Instance } from './lib/instance.ts';
import { percentile } from './lib/load.ts';
import { ms } from './lib/report.ts';

export interface WaitingRoomOptions {
  buyers?: number;
  stock?: number;
  /** Admissions per second. */
  admitPerSecond?: number;
  /** Orders sent without an admission during the rush. */
  skippers?: number;
  /** How long after the last join the line opens. */
  leadMs?: number;
  timeoutMs?: number;
}

export interface WaitingRoomFigures {
  buyers: number;
  stock: number;
  admitPerSecond: number;
  sold: number;
  /** Buyers refused (any answer but 201) while the product still had units: must be 0. */
  refusedWhileUnitsRemained: number;
  /** Buyers refused with 409 INSUFFICIENT_STOCK once it was sold out. */
  refusedSoldOut: number;
  /** Other answers to admitted buyers (5xx, ADMISSION_*): must be 0. */
  errors: number;
  /** Every refusal of an admitted buyer by `status code`. */
  refusals: Record<string, number>;
  /** Pairs admitted in the opposite order of their places in line: must be 0. */
  admissionInversions: number;
  /** Orders without an admission that were accepted: must be 0. */
  skippersAccepted: number;
  /** Replays of a used admission that were accepted: must be 0. */
  replaysAccepted: number;
  oversold: number;
  finalAvailable: number;
  joinP95Ms: number;
  /** From the line opening to a buyer's order answered, p50 / p95 / max. */
  openToOrderP50Ms: number;
  openToOrderP95Ms: number;
  openToOrderMaxMs: number;
  ok: boolean;
}

const ADDRESS = { street: '1 Launch Street', city: 'Springfield', state: 'IL', country: 'US', zipCode: '62701' };

interface Buyer {
  index: number;
  token: string;
  position?: number;
  admittedAt?: number;
  admission?: string;
  status?: number;
  code?: string;
  answeredAt?: number;
}

/** The first answer that was not JSON (an error page from outside the app), for the report. */
let firstOddAnswer: string | undefined;

type Sendable = Pick<Instance, 'baseUrl' | 'databaseUrl' | 'signToken'>;

/** A JSON call that may carry an admission (bench/lib/http.ts's `call` sends only its own headers). */
async function send(base: string, path: string, init: { method: string; token: string; client: number; body?: unknown; admission?: string }) {
  let response: Response;
  try {
    response = await fetch(`${base}${path}`, {
      method: init.method,
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${init.token}`,
        'cf-connecting-ip': clientIp(init.client),
        ...(init.admission ? { 'admission-token': init.admission } : {}),
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  } catch (err) {
    // The local runtime dropped the connection (it does under more load than it can take): reported, not fatal.
    firstOddAnswer ??= `no answer to ${init.method} ${path}: ${String((err as Error).cause ?? err)}`;
    return { status: 0, body: null };
  }
  const text = await response.text();
  try {
    return { status: response.status, body: JSON.parse(text) as { data?: Record<string, unknown>; error?: { code: string } } | null };
  } catch {
    firstOddAnswer ??= `${response.status} ${path}: ${text.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').slice(0, 300)}`;
    return { status: response.status, body: null };
  }
}

async function makeBuyers(instance: Sendable, count: number): Promise<Buyer[]> {
  const db = new pg.Client({ connectionString: instance.databaseUrl });
  await db.connect();
  try {
    const buyers: Buyer[] = [];
    for (let index = 0; index < count; index++) {
      const email = `flash-${randomUUID()}@bench.test`;
      const { rows } = await db.query<{ id: string }>(`insert into users (id, email, password_hash, role, is_verified) values ($1, $2, 'x', 'customer', true) returning id`, [randomUUID(), email]);
      buyers.push({ index, token: await instance.signToken({ userId: rows[0]!.id, email, role: 'customer', sessionVersion: 0 }) });
    }
    return buyers;
  } finally {
    await db.end();
  }
}

const order = (base: string, productId: number, buyer: Buyer, client: number, admission?: string) =>
  send(base, '/api/v1/orders', { method: 'POST', token: buyer.token, client, body: { items: [{ productId, quantity: 1 }], shippingAddress: ADDRESS }, ...(admission ? { admission } : {}) });

/** Polls the buyer's place until admitted (the condition, every second), then orders with the admission. */
async function waitAndBuy(base: string, productId: number, buyer: Buyer, deadline: number): Promise<void> {
  const client = 10_000 + buyer.index;
  for (;;) {
    const ticket = await send(base, `/api/v1/products/${productId}/waiting-room/ticket`, { method: 'GET', token: buyer.token, client });
    const data = ticket.body?.data as { admittedAt: string | null; admission: { token: string } | null } | undefined;
    if (data?.admission) {
      buyer.admittedAt = Date.parse(data.admittedAt!);
      buyer.admission = data.admission.token;
      break;
    }
    if (Date.now() > deadline) throw new Error(`buyer ${buyer.index} was not admitted in time`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  const answer = await order(base, productId, buyer, client, buyer.admission);
  buyer.status = answer.status;
  buyer.code = answer.body?.error?.code;
  buyer.answeredAt = Date.now();
}

/** Pairs (a, b) with a ahead of b in line but admitted strictly later. */
function inversions(buyers: Buyer[]): number {
  const byPosition = [...buyers].sort((a, b) => a.position! - b.position!);
  let count = 0;
  for (let i = 0; i < byPosition.length; i++) for (let j = i + 1; j < byPosition.length; j++) if (byPosition[i]!.admittedAt! > byPosition[j]!.admittedAt!) count++;
  return count;
}

export async function runWaitingRoomScenario(instance: Sendable, options: WaitingRoomOptions = {}): Promise<WaitingRoomFigures> {
  const { buyers: buyerCount = 120, stock = 50, admitPerSecond = 40, skippers = 50, leadMs = 3000, timeoutMs = 120_000 } = options;
  const base = instance.baseUrl;
  const sellerToken = await login(base, sampleUser('seller@example.com'), 1);
  const created = await call(base, '/api/v1/products', {
    method: 'POST',
    token: sellerToken,
    client: 2,
    body: JSON.stringify({ name: `Flash launch ${Date.now()}`, description: 'bench:flash waiting room', price: 19.99, stockQuantity: stock }),
  });
  if (created.status !== 201) throw new Error(`creating the product answered ${created.status}: ${JSON.stringify(created.body)}`);
  const productId = (created.body as { data: { id: number } }).data.id;
  const buyers = await makeBuyers(instance, buyerCount);
  const launch = (startsAt: number) =>
    call(base, `/api/v1/products/${productId}/launch`, { method: 'PUT', token: sellerToken, client: 2, body: JSON.stringify({ startsAt: new Date(startsAt).toISOString(), admitPerSecond, perClientLimit: 1 }) });
  const launched = await launch(Date.now() + 3_600_000);
  if (launched.status !== 200) throw new Error(`marking the launch answered ${launched.status}: ${JSON.stringify(launched.body)}`);

  // Everyone joins at once (shuffled), before the line opens.
  const joinTimes: number[] = [];
  const shuffled = [...buyers].sort(() => Math.random() - 0.5);
  await Promise.all(
    shuffled.map(async (buyer) => {
      const started = performance.now();
      const joined = await send(base, `/api/v1/products/${productId}/waiting-room/ticket`, { method: 'POST', token: buyer.token, client: 10_000 + buyer.index });
      joinTimes.push(performance.now() - started);
      if (joined.status !== 201) throw new Error(`join answered ${joined.status}: ${JSON.stringify(joined.body)}`);
      buyer.position = (joined.body!.data as { position: number }).position;
    }),
  );
  const opensAt = Date.now() + leadMs;
  await launch(opensAt);

  // The rush: admitted buyers buy; line-skippers try without an admission.
  const deadline = Date.now() + timeoutMs;
  const skipperAccounts = await makeBuyers(instance, skippers);
  const [, skipAnswers] = await Promise.all([
    Promise.all(buyers.map((buyer) => waitAndBuy(base, productId, buyer, deadline))),
    Promise.all(skipperAccounts.map((skipper, i) => order(base, productId, skipper, 50_000 + i))),
  ]);
  // Every winner replays its admission once more.
  const winners = buyers.filter((buyer) => buyer.status === 201);
  const replays = await Promise.all(winners.map((buyer) => order(base, productId, buyer, 10_000 + buyer.index, buyer.admission)));

  const inventory = await call(base, `/api/v1/inventory/${productId}`, { method: 'GET', client: 3 });
  const finalAvailable = (inventory.body as { data: { availableStock: number } }).data.availableStock;
  const sold = winners.length;
  const refused = buyers.filter((buyer) => buyer.status !== 201);
  const refusedSoldOut = refused.filter((buyer) => buyer.code === 'INSUFFICIENT_STOCK');
  // Every admitted buyer orders once: if units are left (or fewer sold than could be), every refusal was one too many.
  const refusedWhileUnitsRemained = finalAvailable > 0 || sold < Math.min(stock, buyerCount) ? refused.length : refused.length - refusedSoldOut.length;
  const openToOrder = buyers.map((buyer) => buyer.answeredAt! - opensAt).sort((a, b) => a - b);
  const figures: WaitingRoomFigures = {
    buyers: buyerCount,
    stock,
    admitPerSecond,
    sold,
    refusedWhileUnitsRemained,
    refusedSoldOut: refusedSoldOut.length,
    errors: refused.length - refusedSoldOut.length,
    refusals: refused.reduce<Record<string, number>>((counts, buyer) => {
      const key = `${buyer.status} ${buyer.code ?? ''}`.trim();
      return { ...counts, [key]: (counts[key] ?? 0) + 1 };
    }, {}),
    admissionInversions: inversions(buyers),
    skippersAccepted: skipAnswers.filter((answer) => answer.status === 201).length,
    replaysAccepted: replays.filter((answer) => answer.status === 201).length,
    oversold: Math.max(0, sold - stock),
    finalAvailable,
    joinP95Ms: percentile([...joinTimes].sort((a, b) => a - b), 95),
    openToOrderP50Ms: percentile(openToOrder, 50),
    openToOrderP95Ms: percentile(openToOrder, 95),
    openToOrderMaxMs: openToOrder.at(-1) ?? 0,
    ok: false,
  };
  figures.ok =
    figures.sold === Math.min(stock, buyerCount) &&
    figures.refusedWhileUnitsRemained === 0 &&
    figures.errors === 0 &&
    figures.admissionInversions === 0 &&
    figures.skippersAccepted === 0 &&
    figures.replaysAccepted === 0 &&
    figures.oversold === 0 &&
    figures.finalAvailable === stock - sold;
  return figures;
}

export function describeWaitingRoom(f: WaitingRoomFigures): string {
  return [
    `${f.buyers} buyers, ${f.stock} units, ${f.admitPerSecond} admitted/s: sold ${f.sold}, refused while units remained ${f.refusedWhileUnitsRemained}, refused sold out ${f.refusedSoldOut}, errors ${f.errors} ${JSON.stringify(f.refusals)}`,
    `positions honoured: ${f.admissionInversions} inversions; skippers let through ${f.skippersAccepted}; replays accepted ${f.replaysAccepted}; oversold ${f.oversold}; final available ${f.finalAvailable}`,
    `join p95 ${ms(f.joinP95Ms)}; line open → order answered p50 ${ms(f.openToOrderP50Ms)}, p95 ${ms(f.openToOrderP95Ms)}, max ${ms(f.openToOrderMaxMs)}`,
    ...(firstOddAnswer ? [`first non-JSON answer: ${firstOddAnswer}`] : []),
    f.ok ? 'OK' : 'FAILED',
  ].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const port = Number(process.env.BENCH_PORT ?? 8797);
  const dataDir = mkdtempSync(join(os.tmpdir(), 'shop-bench-waiting-room-'));
  try {
    console.log('starting the shop with a fresh data folder…');
    const instance = await startInstance({ dataDir, port, env: { PG_PORT: String(port + 1), NEON_PROXY_PORT: String(port + 2), EMBEDDINGS_PORT: String(port + 3) } });
    try {
      const figures = await runWaitingRoomScenario(instance, { buyers: Number(process.env.BENCH_BUYERS ?? 120), stock: Number(process.env.BENCH_STOCK ?? 50) });
      console.log(describeWaitingRoom(figures));
      process.exitCode = figures.ok ? 0 : 1;
    } finally {
      await instance.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
