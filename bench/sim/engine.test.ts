import { describe, expect, it } from 'vitest';

import { delay, exponential, hold, percentile, Resource, runSteps, seededRandom, Simulation, span } from './engine.ts';

/** Poisson arrivals at `perSecond` for `durationMs`, each running `steps()`; returns sojourn times and the count refused. */
function drive(sim: Simulation, perSecond: number, durationMs: number, steps: () => Parameters<typeof runSteps>[1], seed = 7) {
  const random = seededRandom(seed);
  const sojourns: { at: number; took: number }[] = [];
  let refused = 0;
  for (let t = exponential(random, 1000 / perSecond); t < durationMs; t += exponential(random, 1000 / perSecond)) {
    const at = t;
    sim.schedule(at, () =>
      runSteps(sim, steps(), () => sojourns.push({ at, took: sim.now - at }), () => refused++),
    );
  }
  return { sojourns, refused: () => refused };
}

describe('seededRandom', () => {
  it('repeats its sequence for a seed and differs between seeds, always in [0, 1)', () => {
    const a = seededRandom(1);
    const b = seededRandom(1);
    const c = seededRandom(2);
    const first = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toEqual(first);
    expect(Array.from({ length: 1000 }, () => c())).not.toEqual(first);
    expect(first.every((x) => x >= 0 && x < 1)).toBe(true);
  });
});

describe('Resource queueing', () => {
  it('an M/M/1 server has the textbook mean time in system 1/(μ − λ)', () => {
    const sim = new Simulation();
    const server = new Resource('server', 1, sim);
    const service = seededRandom(99);
    // λ = 50/s, μ = 100/s → W = 1 / 50 s = 20 ms.
    const { sojourns } = drive(sim, 50, 400_000, () => [hold(server, exponential(service, 10))]);
    sim.run(Infinity);
    const mean = sojourns.reduce((sum, s) => sum + s.took, 0) / sojourns.length;
    expect(sojourns.length).toBeGreaterThan(15_000);
    expect(mean).toBeGreaterThan(18);
    expect(mean).toBeLessThan(22);
  });

  it('serves no more than slots ÷ hold when offered more, and its utilisation says it is saturated', () => {
    const sim = new Simulation();
    const pool = new Resource('pool', 4, sim);
    // 4 slots × 10 ms → 400/s; offered 800/s for 2 s.
    const { sojourns } = drive(sim, 800, 2000, () => [hold(pool, 10)]);
    sim.run(2000);
    const done = sojourns.filter((s) => s.at + s.took >= 500).length / 1.5;
    expect(done).toBeGreaterThan(390);
    expect(done).toBeLessThanOrEqual(401);
    expect(pool.busySlotMs() / (4 * 2000)).toBeGreaterThan(0.95);
    expect(pool.queueLength).toBeGreaterThan(100);
  });

  it('refuses once its oldest waiter waited longer than maxWaitMs, and a refused span gives its slot back', () => {
    const sim = new Simulation();
    const outer = new Resource('outer', 1000, sim);
    const inner = new Resource('inner', 1, sim, 50);
    const { sojourns, refused } = drive(sim, 400, 2000, () => [span(outer, [delay(1), hold(inner, 5)])]);
    sim.run(Infinity);
    // inner serves 200/s; the rest is refused instead of waiting without end (without refusals the last ones
    // would wait about 2 s: 400 excess requests × 5 ms).
    expect(refused()).toBeGreaterThan(300);
    expect(Math.max(...sojourns.map((s) => s.took))).toBeLessThan(400);
    // Every span released its slot: the outer resource is idle again.
    const busyBefore = outer.busySlotMs();
    sim.run(sim.now + 1000);
    expect(outer.busySlotMs()).toBe(busyBefore);
    expect(inner.refused).toBe(refused());
  });

  it('waits without end for a step run without a refusal handler (a queue backlog)', () => {
    const sim = new Simulation();
    const inner = new Resource('inner', 1, sim, 50);
    let done = 0;
    for (let i = 0; i < 100; i++) sim.schedule(0, () => runSteps(sim, [hold(inner, 5)], () => done++));
    sim.run(Infinity);
    expect(done).toBe(100);
    expect(sim.now).toBe(500);
  });
});

describe('percentile', () => {
  it('is the nearest-rank value', () => {
    expect(percentile([5, 1, 4, 2, 3], 50)).toBe(3);
    expect(percentile(Array.from({ length: 100 }, (_, i) => i + 1), 95)).toBe(95);
    expect(percentile([], 95)).toBe(0);
  });
});
