import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { loadCalibration, MEASURED_HERE } from './calibration.ts';
import { Resource, Simulation } from './engine.ts';
import { analyticCapacity, findBottleneck, PRODUCTION, simulate, type Workload } from './model.ts';

const HOT: Workload = { name: 'hot', products: 1, shards: 1 };
const SHORT = { durationMs: 2500, warmupMs: 1500 };

describe('simulate', () => {
  it('is deterministic for a seed', () => {
    const a = simulate(PRODUCTION, HOT, 200, { ...SHORT, seed: 3 });
    const b = simulate(PRODUCTION, HOT, 200, { ...SHORT, seed: 3 });
    expect(b).toEqual(a);
  });

  it('sustains a light load in full, with nothing saturated', () => {
    const result = simulate(PRODUCTION, { name: 'even', products: 1000, shards: 1 }, 300, SHORT);
    expect(result.sustained).toBeGreaterThan(300 * 0.85);
    expect(result.sustained).toBeLessThan(300 * 1.15);
    expect(result.refused).toBe(0);
    expect(result.bottleneck.saturated).toBe(false);
    // Unloaded, a checkout takes its round trips: well under two seconds to CONFIRMED.
    expect(result.p95ConfirmedMs).toBeGreaterThan(PRODUCTION.gatewayMs + 2 * PRODUCTION.deliveryMs);
    expect(result.p95ConfirmedMs).toBeLessThan(2000);
  });

  it('names the one StockDO of a hot product as the bottleneck past its closed-form capacity', () => {
    const capacity = analyticCapacity(PRODUCTION, HOT)[0]!;
    expect(capacity.name).toBe('stock shards');
    expect(capacity.checkoutsPerSecond).toBe(500);
    const result = simulate(PRODUCTION, HOT, 1000, SHORT);
    expect(result.bottleneck.name).toBe('stock shard 0#0');
    expect(result.bottleneck.utilisation).toBeGreaterThan(0.9);
    expect(result.accepted).toBeLessThan(capacity.checkoutsPerSecond * 1.1);
    expect(result.refused).toBeGreaterThan(300);
  });

  it('moves the hot product past one object with shards, and caps it at the waiting room rate', () => {
    const sharded = simulate(PRODUCTION, { ...HOT, shards: 8 }, 1000, SHORT);
    expect(sharded.refused).toBe(0);
    expect(sharded.sustained).toBeGreaterThan(850);
    const admitted = simulate(PRODUCTION, { ...HOT, shards: 8, admitPerSecond: 400 }, 1000, SHORT);
    expect(admitted.bottleneck.name).toBe('waiting room (admission)');
    expect(admitted.accepted).toBeLessThan(440);
    expect(admitted.accepted).toBeGreaterThan(360);
  });
});

describe('analyticCapacity', () => {
  it('grows the stock shards linearly with N and the queues with the partitions', () => {
    const one = analyticCapacity(PRODUCTION, HOT).find((c) => c.name === 'stock shards')!;
    const many = analyticCapacity(PRODUCTION, { ...HOT, shards: 32 }).find((c) => c.name === 'stock shards')!;
    expect(many.checkoutsPerSecond).toBe(one.checkoutsPerSecond * 32);
    const queues = (partitions: number) => analyticCapacity({ ...PRODUCTION, partitions }, HOT).find((c) => c.name === 'queues (per stage)')!.checkoutsPerSecond;
    expect(queues(1)).toBe(5000);
    expect(queues(4)).toBe(20_000);
  });
});

describe('findBottleneck', () => {
  it('picks the busiest component and flags it saturated only with a standing queue', () => {
    const sim = new Simulation();
    const busy = new Resource('busy', 1, sim);
    const idle = new Resource('idle', 10, sim);
    for (let i = 0; i < 30; i++) busy.acquire(() => undefined);
    idle.acquire(() => undefined);
    sim.run(100);
    const found = findBottleneck([idle, busy], 100);
    expect(found.bottleneck).toEqual({ name: 'busy', utilisation: 1, saturated: true });
    expect(found.alsoSaturated).toEqual([]);
    expect(found.utilisations.map((u) => u.name)).toEqual(['busy', 'idle']);
    // Over a later window only: the idle one's slot was taken before it, so its busy time counts from the window on.
    const since = new Map([[busy, busy.busySlotMs()], [idle, idle.busySlotMs()]]);
    sim.run(200);
    expect(findBottleneck([idle, busy], 100, since).utilisations).toEqual([
      { name: 'busy', utilisation: 1 },
      { name: 'idle', utilisation: 0.1 },
    ]);
  });
});

describe('loadCalibration', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sim-cal-'));
  const stockSection = '| order answers per second (all 500, 4.77 s) | 104.9 |\n';

  it('prefers bench:flash figures, then the bench:stock line, then the constant measured here', () => {
    const flash = join(dir, 'flash.json');
    const benchmarks = join(dir, 'BENCHMARKS.md');
    expect(loadCalibration(flash, benchmarks)).toEqual(MEASURED_HERE);
    writeFileSync(benchmarks, stockSection.replace('104.9', '88.5'));
    expect(loadCalibration(flash, benchmarks)).toMatchObject({ perShardRequestsPerSecond: 88.5, shards: 1 });
    writeFileSync(flash, JSON.stringify({ perShardRequestsPerSecond: 240, shards: 8, measuredCheckoutsPerSecond: 900 }));
    expect(loadCalibration(flash, benchmarks)).toMatchObject({ perShardRequestsPerSecond: 240, shards: 8, measuredCheckoutsPerSecond: 900 });
  });

  it('ignores a flash file of the wrong shape', () => {
    const flash = join(dir, 'bad.json');
    writeFileSync(flash, JSON.stringify({ shards: 'eight' }));
    expect(loadCalibration(flash, join(dir, 'none.md'))).toEqual(MEASURED_HERE);
  });
});
