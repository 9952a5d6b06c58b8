/**
 * The capacity model of docs/scale.md as a discrete-event simulation: one checkout walks the production path
 * (Worker → CartDO → stock shard → Neon → order-events → payments consumer → gateway → stock shard → Neon →
 * payment-events → orders consumer → Neon) holding the components that have a documented limit.
 */
import { delay, exponential, hold, percentile, Resource, runSteps, seededRandom, Simulation, span, type Step } from './engine.ts';

/** Documented limits (docs/scale.md cites each one). */
const LIMITS = {
  /** Durable Objects: soft limit of 1,000 requests per second per object. */
  durableObjectRequestsPerSecond: 1000,
  /** Queues: per-queue message throughput. */
  queueMessagesPerSecond: 5000,
  /** Queues: concurrent consumer invocations per queue (push consumers). */
  consumerInvocations: 250,
  /** Workers: simultaneous outgoing connections per invocation (a consumer batch's database connections). */
  connectionsPerInvocation: 6,
  /** Neon: PgBouncer client connections. */
  poolerClientConnections: 10_000,
  /** Neon: max_connections at 9 CU and above; PgBouncer's pool per user and database is 90 % of it. */
  maxConnections: 4000,
  poolShareOfMaxConnections: 0.9,
  /** Neon: the largest compute, in CU. */
  maxComputeUnits: 56,
} as const;

/**
 * What one checkout of one seller and one line costs, as the code does it (docs/scale.md, "Per checkout").
 * Round trips are statements sent one after another; a transaction's count includes BEGIN and COMMIT.
 */
export const PER_CHECKOUT = {
  request: { reads: 8, transactionRoundTrips: 8, afterReads: 2, cartCalls: 2, stockCalls: 1, messages: 1 },
  payment: { readsBeforeCharge: 3, readsAfterCharge: 4, transactionRoundTrips: 11, stockCalls: 1, messages: 1 },
  order: { reads: 1, transactionRoundTrips: 3 },
} as const;

/** What the simulation assumes beyond the documented limits (each stated in docs/scale.md). */
export interface Profile {
  name: string;
  /** Requests per second one stock shard (one StockDO) serves. */
  shardRequestsPerSecond: number;
  queueMessagesPerSecond: number;
  /** Queues per saga stage (the order id picks one). */
  partitions: number;
  consumerInvocations: number;
  connectionsPerInvocation: number;
  poolerClientConnections: number;
  serverConnections: number;
  /** Neon vCPUs (1 CU ≈ 1 vCPU) and the CPU one statement costs there. */
  neonVcpus: number;
  cpuMsPerStatement: number;
  /** Round trip Worker ↔ Neon pooler, Worker ↔ Durable Object, the payment provider's charge, queue delivery. */
  dbRttMs: number;
  doRttMs: number;
  gatewayMs: number;
  deliveryMs: number;
  /** Round trips to open a transaction's WebSocket connection (upgrade, startup and authentication). */
  connectRoundTrips: number;
  /** A component whose oldest waiter has waited this long refuses new requests (overload, see the engine). */
  maxWaitMs: number;
}

export const PRODUCTION: Profile = {
  name: 'production',
  shardRequestsPerSecond: LIMITS.durableObjectRequestsPerSecond,
  queueMessagesPerSecond: LIMITS.queueMessagesPerSecond,
  partitions: 4,
  consumerInvocations: LIMITS.consumerInvocations,
  connectionsPerInvocation: LIMITS.connectionsPerInvocation,
  poolerClientConnections: LIMITS.poolerClientConnections,
  serverConnections: Math.floor(LIMITS.maxConnections * LIMITS.poolShareOfMaxConnections),
  neonVcpus: LIMITS.maxComputeUnits,
  cpuMsPerStatement: 0.1,
  dbRttMs: 5,
  doRttMs: 30,
  gatewayMs: 300,
  deliveryMs: 200,
  connectRoundTrips: 3,
  maxWaitMs: 250,
};

/** The configuration before docs/scale.md: one queue per stage, consumers capped at 10 invocations. */
export const TODAY: Profile = { ...PRODUCTION, name: 'today', partitions: 1, consumerInvocations: 10 };

export interface Workload {
  name: string;
  /** Products checkouts pick from, uniformly; 1 = one hot product. */
  products: number;
  /** Stock shards per product (the hot product's reservations spread over them). */
  shards: number;
  /** A waiting room admitting at most this many checkouts per second (undefined: none). */
  admitPerSecond?: number;
}

export interface SimResult {
  offered: number;
  /** Checkouts confirmed per second over the measured window. */
  sustained: number;
  /** Checkout requests per second answered 201 (the request done; the saga follows). */
  accepted: number;
  /** Checkouts per second refused by an overloaded component (a 503 to the buyer, who may retry). */
  refused: number;
  p95PostMs: number;
  p95ConfirmedMs: number;
  /** The busiest component and its utilisation (≥ 0.95 with a growing queue: saturated). */
  bottleneck: { name: string; utilisation: number; saturated: boolean };
  /** Every other component at least 95 % busy. */
  alsoSaturated: string[];
  utilisations: { name: string; utilisation: number }[];
}

/** The components of one run; stock shards and queue partitions are created on first use. */
export class Components {
  readonly pooler: Resource;
  readonly serverConnections: Resource;
  readonly cpu: Resource;
  readonly waitingRoom: Resource | null;
  /** The waiting room lets one checkout through every `admitMs`: its one slot is held that long. */
  readonly admitMs: number;
  private readonly byName = new Map<string, Resource>();

  constructor(
    private readonly sim: Simulation,
    private readonly profile: Profile,
    workload: Workload,
  ) {
    this.pooler = this.add(new Resource('Neon pooler client connections', profile.poolerClientConnections, sim, profile.maxWaitMs));
    this.serverConnections = this.add(new Resource('Neon server connections', profile.serverConnections, sim, profile.maxWaitMs));
    this.cpu = this.add(new Resource('Neon CPU', profile.neonVcpus, sim, profile.maxWaitMs));
    this.waitingRoom = workload.admitPerSecond ? this.add(new Resource('waiting room (admission)', 1, sim)) : null;
    this.admitMs = workload.admitPerSecond ? 1000 / workload.admitPerSecond : 0;
  }

  shard(product: number, shard: number): Resource {
    return this.named(`stock shard ${product}#${shard}`, 1);
  }

  queue(stage: string, partition: number): Resource {
    return this.named(`queue ${stage}[${partition}]`, 1);
  }

  consumers(stage: string, partition: number): Resource {
    return this.named(`consumers ${stage}[${partition}]`, this.profile.consumerInvocations * this.profile.connectionsPerInvocation);
  }

  all(): Resource[] {
    return [...this.byName.values()];
  }

  private named(name: string, slots: number): Resource {
    return this.byName.get(name) ?? this.add(new Resource(name, slots, this.sim, this.profile.maxWaitMs));
  }

  private add(resource: Resource): Resource {
    this.byName.set(resource.name, resource);
    return resource;
  }
}

/** `n` statements one after another over HTTP (one query per fetch): their round trips and their CPU on the database. */
function statements(c: Components, profile: Profile, n: number): Step[] {
  return n === 0 ? [] : [hold(c.cpu, n * profile.cpuMsPerStatement), delay(n * profile.dbRttMs)];
}

/**
 * An interactive transaction of `n` round trips over its own WebSocket (workers/platform/db.ts): a pooler client
 * connection from the handshake on, and one server connection from BEGIN to COMMIT (PgBouncer transaction mode).
 */
function transaction(c: Components, profile: Profile, n: number): Step {
  return span(c.pooler, [delay(profile.connectRoundTrips * profile.dbRttMs), span(c.serverConnections, statements(c, profile, n))]);
}

/**
 * The steps of one checkout of `product` routed to `shard` and saga partition `partition`: the request (an
 * overloaded component refuses it: a 503 the buyer may retry) and the saga after it (its messages wait in the
 * queues' backlog instead, as Queues keep them until a consumer is free).
 */
function checkoutSteps(c: Components, profile: Profile, route: { product: number; shard: number; partition: number }): { request: Step[]; saga: Step[] } {
  const { request, payment, order } = PER_CHECKOUT;
  const shard = c.shard(route.product, route.shard);
  const stockCall = [delay(profile.doRttMs), hold(shard, 1000 / profile.shardRequestsPerSecond)];
  const send = (stage: string) => hold(c.queue(stage, route.partition), 1000 / profile.queueMessagesPerSecond);
  return {
    request: [
      ...(c.waitingRoom ? [hold(c.waitingRoom, c.admitMs)] : []),
      delay(profile.doRttMs * request.cartCalls),
      ...statements(c, profile, request.reads),
      ...stockCall,
      transaction(c, profile, request.transactionRoundTrips),
      send('order-events'),
      ...statements(c, profile, request.afterReads),
    ],
    saga: [
      delay(profile.deliveryMs),
      span(c.consumers('order-events', route.partition), [
        ...statements(c, profile, payment.readsBeforeCharge),
        delay(profile.gatewayMs),
        ...stockCall,
        transaction(c, profile, payment.transactionRoundTrips),
        ...statements(c, profile, payment.readsAfterCharge),
        send('payment-events'),
      ]),
      delay(profile.deliveryMs),
      span(c.consumers('payment-events', route.partition), [...statements(c, profile, order.reads), transaction(c, profile, order.transactionRoundTrips)]),
    ],
  };
}

export interface SimOptions {
  seed?: number;
  /** Arrivals last this long; throughput, latency and utilisation are measured from `warmupMs` on. */
  durationMs?: number;
  warmupMs?: number;
}

/** A measured window of at least 2 s and 20,000 arrivals (Poisson noise under 1 %), after a 2 s warm-up. */
function defaultWindow(offered: number): Required<Omit<SimOptions, 'seed'>> {
  const warmupMs = 2000;
  return { warmupMs, durationMs: warmupMs + Math.max(2000, (20_000 / offered) * 1000) };
}

/** Simulates `offered` checkouts per second (Poisson arrivals) of `workload` on `profile`. */
export function simulate(profile: Profile, workload: Workload, offered: number, options: SimOptions = {}): SimResult {
  const { seed = 21, durationMs, warmupMs } = { ...defaultWindow(offered), ...options };
  const random = seededRandom(seed);
  const sim = new Simulation();
  const c = new Components(sim, profile, workload);
  const posted: number[] = [];
  const confirmed: number[] = [];
  let completed = 0;
  let refused = 0;
  let arrival = exponential(random, 1000 / offered);
  let id = 0;
  while (arrival < durationMs) {
    const at = arrival;
    const route = { product: Math.floor(random() * workload.products), shard: Math.floor(random() * workload.shards), partition: id++ % profile.partitions };
    sim.schedule(at, () => {
      // Measured by completion time inside the window (after a warm-up longer than a checkout takes unloaded).
      const { request, saga } = checkoutSteps(c, profile, route);
      const refuse = () => {
        if (sim.now >= warmupMs) refused++;
      };
      runSteps(sim, request, () => {
        if (sim.now >= warmupMs) posted.push(sim.now - at);
        runSteps(sim, saga, () => {
          if (sim.now < warmupMs) return;
          completed++;
          confirmed.push(sim.now - at);
        });
      }, refuse);
    });
    arrival += exponential(random, 1000 / offered);
  }
  let atWarmup = new Map<Resource, number>();
  sim.schedule(warmupMs, () => {
    atWarmup = new Map(c.all().map((r) => [r, r.busySlotMs()]));
  });
  sim.run(durationMs);
  const window = durationMs - warmupMs;
  return {
    offered,
    sustained: (completed / window) * 1000,
    accepted: (posted.length / window) * 1000,
    refused: (refused / window) * 1000,
    p95PostMs: percentile(posted, 95),
    p95ConfirmedMs: percentile(confirmed, 95),
    ...findBottleneck(c.all(), window, atWarmup),
  };
}

/**
 * Utilisation of every finite component over the measured window (`since`: busy slot-ms at its start); the busiest
 * one is the bottleneck, saturated when ≥ 95 % busy with a standing queue.
 */
export function findBottleneck(resources: readonly Resource[], windowMs: number, since: ReadonlyMap<Resource, number> = new Map()): Pick<SimResult, 'bottleneck' | 'alsoSaturated' | 'utilisations'> {
  const utilisations = resources
    .filter((r) => Number.isFinite(r.slots))
    .map((r) => ({ name: r.name, utilisation: (r.busySlotMs() - (since.get(r) ?? 0)) / (r.slots * windowMs), growing: r.queueLength > 0 && r.queueLength >= r.maxQueue / 2 }))
    .sort((a, b) => b.utilisation - a.utilisation);
  const top = utilisations[0] ?? { name: 'none', utilisation: 0, growing: false };
  return {
    bottleneck: { name: top.name, utilisation: top.utilisation, saturated: top.utilisation >= 0.95 && top.growing },
    alsoSaturated: utilisations.slice(1).filter((u) => u.utilisation >= 0.95).map((u) => u.name),
    utilisations: utilisations.map(({ name, utilisation }) => ({ name, utilisation })),
  };
}

/**
 * The same model in closed form: checkouts per second each component class can serve (slots ÷ time held per
 * checkout). The simulation's sustained rate approaches the smallest of these when offered more.
 */
export function analyticCapacity(profile: Profile, workload: Workload): { name: string; checkoutsPerSecond: number }[] {
  const { request, payment, order } = PER_CHECKOUT;
  const rtt = profile.dbRttMs;
  const cpu = profile.cpuMsPerStatement;
  const txns = [request.transactionRoundTrips, payment.transactionRoundTrips, order.transactionRoundTrips];
  const serverMs = txns.reduce((sum, n) => sum + n * (rtt + cpu), 0);
  const poolerMs = serverMs + txns.length * profile.connectRoundTrips * rtt;
  const allStatements = txns.reduce((a, b) => a + b, 0) + request.reads + request.afterReads + payment.readsBeforeCharge + payment.readsAfterCharge + order.reads;
  const stockCallsPerCheckout = request.stockCalls + payment.stockCalls;
  const paymentSlotMs = (payment.readsBeforeCharge + payment.readsAfterCharge) * (rtt + cpu) + profile.gatewayMs + profile.doRttMs + (profile.connectRoundTrips * rtt) + payment.transactionRoundTrips * (rtt + cpu);
  const rows = [
    { name: 'stock shards', checkoutsPerSecond: (workload.products * workload.shards * profile.shardRequestsPerSecond) / stockCallsPerCheckout },
    { name: 'queues (per stage)', checkoutsPerSecond: profile.partitions * profile.queueMessagesPerSecond },
    { name: 'payments consumers', checkoutsPerSecond: (profile.partitions * profile.consumerInvocations * profile.connectionsPerInvocation * 1000) / paymentSlotMs },
    { name: 'Neon pooler client connections', checkoutsPerSecond: (profile.poolerClientConnections * 1000) / poolerMs },
    { name: 'Neon server connections', checkoutsPerSecond: (profile.serverConnections * 1000) / serverMs },
    { name: 'Neon CPU', checkoutsPerSecond: (profile.neonVcpus * 1000) / (allStatements * cpu) },
  ];
  if (workload.admitPerSecond) rows.push({ name: 'waiting room (admission)', checkoutsPerSecond: workload.admitPerSecond });
  return rows.sort((a, b) => a.checkoutsPerSecond - b.checkoutsPerSecond);
}
