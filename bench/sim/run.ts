/**
 * `npm run sim:scale`: the capacity model of docs/scale.md, simulated at 100, 1,000, 10,000 and 50,000 checkouts/s
 * offered for an even catalog and for one hot product (one StockDO; N shards; N shards behind a waiting room).
 * Writes the `sim:scale` section of docs/BENCHMARKS.md and the figures into docs/scale.md.
 *
 * Env: SIM_LOADS (comma-separated checkouts/s), SIM_SEED.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

import { ROOT } from '../../scripts/lib/platform.ts';
import { writeSection } from '../lib/report.ts';
import { loadCalibration } from './calibration.ts';
import { analyticCapacity, PER_CHECKOUT, PRODUCTION, simulate, TODAY, type Profile, type SimResult, type Workload } from './model.ts';

const LOADS = (process.env.SIM_LOADS ?? '100,1000,10000,50000').split(',').map(Number);
const SEED = Number(process.env.SIM_SEED ?? 21);
const HOT_SHARDS = 32;
const ADMIT = 10_000;

const RUNS: { profile: Profile; workload: Workload }[] = [
  { profile: TODAY, workload: { name: "today's configuration (1 queue per stage, 10 consumer invocations), one hot product on 1 StockDO", products: 1, shards: 1 } },
  { profile: PRODUCTION, workload: { name: 'even catalog (10,000 products)', products: 10_000, shards: 1 } },
  { profile: PRODUCTION, workload: { name: 'one hot product, 1 StockDO', products: 1, shards: 1 } },
  { profile: PRODUCTION, workload: { name: `one hot product, ${HOT_SHARDS} stock shards`, products: 1, shards: HOT_SHARDS } },
  { profile: PRODUCTION, workload: { name: `one hot product, ${HOT_SHARDS} stock shards, waiting room admitting ${ADMIT.toLocaleString('en')}/s (the time in line is part of the p95s)`, products: 1, shards: HOT_SHARDS, admitPerSecond: ADMIT } },
];

const n = (value: number) => Math.round(value).toLocaleString('en');

function row(result: SimResult): string {
  const b = result.bottleneck;
  const also = result.alsoSaturated.length > 0 ? `; also ≥ 95 %: ${result.alsoSaturated.slice(0, 2).join(', ')}${result.alsoSaturated.length > 2 ? ' …' : ''}` : '';
  const verdict = b.saturated || result.refused > result.offered * 0.01 ? `**${b.name}** (${(b.utilisation * 100).toFixed(0)} %, saturated${also})` : `none (busiest: ${b.name}, ${(b.utilisation * 100).toFixed(0)} %)`;
  const ms = (value: number) => (result.sustained > 0 ? `${n(value)} ms` : '—');
  return `| ${n(result.offered)} | ${n(result.sustained)} | ${n(result.refused)} | ${n(result.p95PostMs)} ms | ${ms(result.p95ConfirmedMs)} | ${verdict} |`;
}

function workloadTable(profile: Profile, workload: Workload): string {
  const lines = [`#### ${workload.name}`, '', '| offered /s | sustained (CONFIRMED) /s | refused /s | p95 POST | p95 to CONFIRMED | first bottleneck |', '|---|---|---|---|---|---|'];
  for (const offered of LOADS) {
    const started = Date.now();
    const result = simulate(profile, workload, offered, { seed: SEED });
    console.log(`${workload.name} @ ${offered}/s: sustained ${result.sustained.toFixed(0)}/s, refused ${result.refused.toFixed(0)}/s, bottleneck ${result.bottleneck.name} ${(result.bottleneck.utilisation * 100).toFixed(0)} % (${Date.now() - started} ms)`);
    lines.push(row(result));
  }
  const capacity = analyticCapacity(profile, workload).slice(0, 3).map((c) => `${c.name} ${n(c.checkoutsPerSecond)}/s`);
  lines.push('', `Closed-form capacity, smallest first: ${capacity.join(', ')}.`);
  return lines.join('\n');
}

function calibrationLine(profile: Profile): string {
  const cal = loadCalibration(join(ROOT, 'bench/results/flash.json'), join(ROOT, 'docs/BENCHMARKS.md'));
  const local: Profile = { ...profile, name: 'local', shardRequestsPerSecond: cal.perShardRequestsPerSecond };
  const offered = (cal.measuredCheckoutsPerSecond ?? cal.perShardRequestsPerSecond) * 2;
  const predicted = simulate(local, { name: 'calibration', products: 1, shards: cal.shards }, offered, { seed: SEED });
  const measured = cal.measuredCheckoutsPerSecond === null ? 'not measured' : `measured ${cal.measuredCheckoutsPerSecond.toFixed(1)}/s, ${(cal.measuredCheckoutsPerSecond / predicted.accepted).toFixed(2)}× the model`;
  const text =
    `Calibration: ${cal.source}. With ${cal.perShardRequestsPerSecond.toFixed(1)} stock requests/s per shard and ${cal.shards} shard(s), the model accepts ` +
    `${predicted.accepted.toFixed(1)} checkouts/s at ${offered.toFixed(0)}/s offered (${measured}); production uses the documented ` +
    `${profile.shardRequestsPerSecond.toLocaleString('en')} requests/s per object instead (${(profile.shardRequestsPerSecond / cal.perShardRequestsPerSecond).toFixed(1)}× the local figure).`;
  console.log(text);
  return text;
}

function assumptions(profile: Profile): string {
  return [
    `Profile \`${profile.name}\` (the rows below unless named otherwise): ${profile.partitions} queue partitions per saga stage, ${profile.consumerInvocations} consumer invocations × ${profile.connectionsPerInvocation} connections per partition,`,
    `${n(profile.poolerClientConnections)} pooler clients, ${n(profile.serverConnections)} server connections, ${profile.neonVcpus} vCPUs at ${profile.cpuMsPerStatement} ms per statement,`,
    `round trips: database ${profile.dbRttMs} ms (+${profile.connectRoundTrips} to open a transaction's connection), Durable Object ${profile.doRttMs} ms; payment provider ${profile.gatewayMs} ms; queue delivery ${profile.deliveryMs} ms;`,
    `a component whose oldest waiter has waited ${profile.maxWaitMs} ms refuses new checkout requests (the saga's messages wait instead).`,
    `Per checkout: request ${PER_CHECKOUT.request.reads}+${PER_CHECKOUT.request.afterReads} statements and a ${PER_CHECKOUT.request.transactionRoundTrips}-round-trip transaction; payments ${PER_CHECKOUT.payment.readsBeforeCharge + PER_CHECKOUT.payment.readsAfterCharge} statements and ${PER_CHECKOUT.payment.transactionRoundTrips}; orders ${PER_CHECKOUT.order.reads} and ${PER_CHECKOUT.order.transactionRoundTrips}; 2 stock calls; 2 messages.`,
    `Poisson arrivals (seed ${SEED}); throughput, latency and utilisation over a window of at least 2 s and 20,000 arrivals after a 2 s warm-up.`,
  ].join(' ');
}

function replaceBetween(file: string, name: string, markdown: string) {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  if (!existsSync(file)) return;
  const doc = readFileSync(file, 'utf8');
  const from = doc.indexOf(start);
  const to = doc.indexOf(end);
  if (from < 0 || to < from) return;
  writeFileSync(file, `${doc.slice(0, from + start.length)}\n${markdown.trim()}\n${doc.slice(to)}`);
  console.log(`wrote the ${name} figures into ${relative(ROOT, file)}`);
}

function main() {
  const tables = RUNS.map(({ profile, workload }) => workloadTable(profile, workload));
  const calibration = calibrationLine(PRODUCTION);
  const body = [assumptions(PRODUCTION), '', ...tables.flatMap((t) => [t, '']), calibration].join('\n');
  writeSection('sim-scale', `## Capacity simulation (\`npm run sim:scale\`)\n\nThe model of docs/scale.md, simulated (not measured). ${body}`);
  replaceBetween(join(ROOT, 'docs/scale.md'), 'sim:scale', body);
}

main();
