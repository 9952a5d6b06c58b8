/**
 * A deterministic interleaving harness: wrap a collaborator call (a StockDO step, a transaction, the
 * payment gateway) with {@link Gate.wrap}; when the test has {@link Gate.arm}ed that name, the next
 * call stops before it runs, the test awaits {@link Gate.reached}, does whatever must happen "in
 * between", then {@link Gate.release}s it. Unarmed calls run straight through, so one gate can sit
 * on every collaborator of a deps object and hold exactly the one step a race needs.
 *
 * Never hold a call that sits INSIDE an open database transaction while the test runs another
 * transaction: the local PGlite serialises transactions, so that waits forever. Hold the step
 * before the transaction starts or after it committed (that is where the races live anyway).
 */

interface Held {
  args: unknown[];
  release: () => void;
}

interface Station {
  armed: number;
  held: Held[];
  waiters: ((held: Held) => void)[];
  calls: number;
}

export class Gate {
  private readonly stations = new Map<string, Station>();

  private station(name: string): Station {
    let station = this.stations.get(name);
    if (!station) {
      station = { armed: 0, held: [], waiters: [], calls: 0 };
      this.stations.set(name, station);
    }
    return station;
  }

  /** The next `times` calls of `name` stop before running until released. */
  arm(name: string, times = 1): this {
    this.station(name).armed += times;
    return this;
  }

  /**
   * Resolves with the arguments of the newest held call once `count` calls of `name` wait at the gate together (a call
   * already held counts: to wait for a second arrival while one is held, ask for 2).
   */
  reached(name: string, count = 1): Promise<unknown[]> {
    const station = this.station(name);
    const newest = station.held[count - 1];
    if (newest) return Promise.resolve(newest.args);
    return new Promise((resolve) => {
      const waiter = (held: Held) => {
        if (station.held.length >= count) resolve(held.args);
        else station.waiters.push(waiter);
      };
      station.waiters.push(waiter);
    });
  }

  /** Lets the oldest held call of `name` run. */
  release(name: string): void {
    const held = this.station(name).held.shift();
    if (!held) throw new Error(`gate: nothing is held at ${name}`);
    held.release();
  }

  /** How many times `name` was called (held or not). */
  calls(name: string): number {
    return this.station(name).calls;
  }

  /** `fn` behind the gate `name`. */
  wrap<A extends unknown[], R>(name: string, fn: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
    return async (...args: A) => {
      const station = this.station(name);
      station.calls++;
      if (station.armed > 0) {
        station.armed--;
        await new Promise<void>((release) => {
          const held = { args, release };
          station.held.push(held);
          for (const waiter of station.waiters.splice(0)) waiter(held);
        });
      }
      return fn(...args);
    };
  }

  /**
   * Every method of `port` behind a gate named `<prefix>.<method>` (e.g. `stock.commit`): the same
   * object shape, so it drops into a deps object in place of the real collaborator.
   */
  port<T extends object>(prefix: string, port: T): T {
    const gated: Record<string, unknown> = {};
    for (const key of methodNames(port)) {
      const method = (port as Record<string, unknown>)[key];
      if (typeof method === 'function') gated[key] = this.wrap(`${prefix}.${key}`, (...args: unknown[]) => (method as (...a: unknown[]) => Promise<unknown>).apply(port, args));
    }
    return gated as T;
  }
}

function methodNames(value: object): string[] {
  const names = new Set<string>(Object.keys(value));
  for (let proto = Object.getPrototypeOf(value); proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    for (const name of Object.getOwnPropertyNames(proto)) if (name !== 'constructor') names.add(name);
  }
  return [...names];
}
