/**
 * A small discrete-event simulation core for `npm run sim:scale` (docs/scale.md): a clock, an event heap,
 * resources with a number of slots served first come first served, and jobs that walk a list of steps.
 * Deterministic: the only randomness is a seeded generator passed in by the caller.
 */

/** The seeded generator for arrival times and service jitter. */
export { seededRandom } from '../lib/random.ts';

/** An exponentially distributed sample with the given mean. */
export const exponential = (random: () => number, mean: number) => -Math.log(1 - random()) * mean;

interface Scheduled {
  at: number;
  seq: number;
  run: () => void;
}

/** The clock and a binary min-heap of events (ties run in scheduling order). */
export class Simulation {
  now = 0;
  private heap: Scheduled[] = [];
  private seq = 0;

  schedule(delayMs: number, run: () => void): void {
    this.push({ at: this.now + Math.max(0, delayMs), seq: this.seq++, run });
  }

  /** Runs events until the heap is empty or the next one is after `untilMs`. */
  run(untilMs: number): void {
    while (this.heap.length > 0 && this.heap[0]!.at <= untilMs) {
      const event = this.pop();
      this.now = event.at;
      event.run();
    }
    if (Number.isFinite(untilMs)) this.now = Math.max(this.now, untilMs);
  }

  private before(a: Scheduled, b: Scheduled) {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  private push(event: Scheduled) {
    const heap = this.heap;
    heap.push(event);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  private pop(): Scheduled {
    const heap = this.heap;
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let smallest = i;
        if (left < heap.length && this.before(heap[left]!, heap[smallest]!)) smallest = left;
        if (right < heap.length && this.before(heap[right]!, heap[smallest]!)) smallest = right;
        if (smallest === i) break;
        [heap[i], heap[smallest]] = [heap[smallest]!, heap[i]!];
        i = smallest;
      }
    }
    return top;
  }
}

/**
 * A component with `slots` parallel servers (Infinity: never waits) and a first-come-first-served queue. It
 * accounts the time its slots are busy, so its utilisation over a window says how close it is to saturation.
 */
export class Resource {
  private busy = 0;
  private readonly waiting: { start: () => void; since: number }[] = [];
  private head = 0;
  private busyMs = 0;
  private lastChange = 0;
  /** Longest queue seen, and the queue length when the run stopped (a growing queue means saturation). */
  maxQueue = 0;

  /** Requests refused because the queue's oldest waiter had waited longer than `maxWaitMs`. */
  refused = 0;

  constructor(
    readonly name: string,
    readonly slots: number,
    private readonly sim: Simulation,
    /** Overload: a request arriving while the oldest waiter has waited longer than this is refused. */
    private readonly maxWaitMs = Infinity,
  ) {}

  /**
   * Calls `start` once a slot is free (the holder must call {@link release} when done), or `refuse` at once when
   * the component is overloaded — as a Durable Object answers "overloaded", a queue "Too Many Requests", a pool
   * times out.
   */
  acquire(start: () => void, refuse?: () => void): void {
    if (this.busy < this.slots) {
      this.account();
      this.busy++;
      start();
      return;
    }
    const oldest = this.waiting[this.head];
    if (refuse && oldest && this.sim.now - oldest.since > this.maxWaitMs) {
      this.refused++;
      refuse();
      return;
    }
    this.waiting.push({ start, since: this.sim.now });
    this.maxQueue = Math.max(this.maxQueue, this.queueLength);
  }

  release(): void {
    if (this.head < this.waiting.length) {
      const next = this.waiting[this.head]!.start;
      this.waiting[this.head++] = undefined as unknown as { start: () => void; since: number };
      if (this.head > 4096 && this.head * 2 > this.waiting.length) {
        this.waiting.splice(0, this.head);
        this.head = 0;
      }
      // Handed over on the event loop, not on this stack: a chain of hand-overs would otherwise nest without end.
      this.sim.schedule(0, next);
      return;
    }
    this.account();
    this.busy--;
  }

  get queueLength(): number {
    return this.waiting.length - this.head;
  }

  /** Busy slot-milliseconds so far (for a finite resource). */
  busySlotMs(): number {
    this.account();
    return this.busyMs;
  }

  private account() {
    this.busyMs += this.busy * (this.sim.now - this.lastChange);
    this.lastChange = this.sim.now;
  }
}

/**
 * One step of a job: `hold` keeps one slot of `resource` for `ms`; `delay` only lets time pass (a network round
 * trip, a call to a party that is not modelled); `span` keeps one slot of `resource` while its inner steps run.
 */
export type Step =
  | { kind: 'hold'; resource: Resource; ms: number }
  | { kind: 'delay'; ms: number }
  | { kind: 'span'; resource: Resource; steps: Step[] }
  | { kind: 'mark'; run: () => void };

export const hold = (resource: Resource, ms: number): Step => ({ kind: 'hold', resource, ms });
export const delay = (ms: number): Step => ({ kind: 'delay', ms });
export const span = (resource: Resource, steps: Step[]): Step => ({ kind: 'span', resource, steps });
export const mark = (run: () => void): Step => ({ kind: 'mark', run });

/**
 * Runs `steps` in order, then `done`; with `refused`, an overloaded component may refuse a step (the rest is then
 * skipped and `refused` called); without, every step waits its turn (a queue's backlog).
 */
export function runSteps(sim: Simulation, steps: readonly Step[], done: () => void, refused?: () => void, index = 0): void {
  if (index >= steps.length) {
    done();
    return;
  }
  const step = steps[index]!;
  const next = () => runSteps(sim, steps, done, refused, index + 1);
  switch (step.kind) {
    case 'delay':
      sim.schedule(step.ms, next);
      return;
    case 'mark':
      step.run();
      next();
      return;
    case 'hold':
      step.resource.acquire(
        () =>
          sim.schedule(step.ms, () => {
            step.resource.release();
            next();
          }),
        refused,
      );
      return;
    case 'span':
      step.resource.acquire(
        () =>
          runSteps(
            sim,
            step.steps,
            () => {
              step.resource.release();
              next();
            },
            refused &&
              (() => {
                step.resource.release();
                refused();
              }),
          ),
        refused,
      );
  }
}

/** The nearest-rank percentile of `values` (0 for none). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
