import { env } from 'cloudflare:test';

import { admissionDepsFromEnv } from '@/composition';
import type { OrderConsumerDeps } from '@/orders/consumer';
import type { CartPort, StockLine, StockPort } from '@/orders/model';
import { createDb, withTransaction } from '@/platform/db';
import { AppError } from '@/platform/errors';
import { paymentFacts } from '@/payments';
import { returnSummaries } from '@/returns';
import type { Logger } from '@/platform/logger';
import type { QueueMessage } from '@/platform/queue-consumer';
import { partitionBindings, type SagaStage } from '@/platform/saga-queues';

/** In-memory StockDO stand-in: all-or-nothing reservations, idempotent per order id, call log. */
export class FakeStock implements StockPort {
  readonly onHand = new Map<number, number>();
  readonly reserved = new Map<string, StockLine[]>();
  /** Orders whose units were committed and not yet restocked. */
  readonly committed = new Set<string>();
  readonly calls: string[] = [];

  available(productId: number) {
    const held = [...this.reserved.values()].flat().filter((l) => l.productId === productId).reduce((sum, l) => sum + l.quantity, 0);
    return (this.onHand.get(productId) ?? 1_000_000) - held;
  }

  async reserve(orderId: string, lines: StockLine[]) {
    this.calls.push(`reserve:${orderId}`);
    if (this.reserved.has(orderId)) return;
    // The same refusal as `reserveStock` (workers/catalog/stock.ts): each short product id → `only N available`.
    const short = lines.filter((l) => this.available(l.productId) < l.quantity);
    if (short.length > 0) throw new AppError(409, 'INSUFFICIENT_STOCK', 'Not enough stock for some products', Object.fromEntries(short.map((l) => [String(l.productId), `only ${this.available(l.productId)} available`])));
    this.reserved.set(orderId, lines);
  }
  async commit(orderId: string, lines: StockLine[]) {
    this.calls.push(`commit:${orderId}`);
    if (!this.reserved.delete(orderId)) return;
    this.committed.add(orderId);
    for (const l of lines) this.onHand.set(l.productId, (this.onHand.get(l.productId) ?? 1_000_000) - l.quantity);
  }
  async release(orderId: string) {
    this.calls.push(`release:${orderId}`);
    this.reserved.delete(orderId);
  }
  /** Like the StockDO: a committed order's units go back once; a held one is released. */
  async restock(orderId: string, lines: StockLine[]) {
    this.calls.push(`restock:${orderId}`);
    this.reserved.delete(orderId);
    if (!this.committed.delete(orderId)) return;
    for (const l of lines) this.onHand.set(l.productId, (this.onHand.get(l.productId) ?? 1_000_000) + l.quantity);
  }
  callsFor(orderId: string) {
    return this.calls.filter((c) => c.endsWith(`:${orderId}`)).map((c) => c.split(':')[0]);
  }
}

export class FakeCart implements CartPort {
  readonly removed: { userId: string; orderId: string; items: StockLine[] }[] = [];
  /** Cart contents per user, for checkouts without `items`. */
  readonly carts = new Map<string, StockLine[]>();
  async lines(userId: string) {
    return this.carts.get(userId) ?? [];
  }
  async removeOrdered(userId: string, orderId: string, items: StockLine[]) {
    this.removed.push({ userId, orderId, items });
  }
}

/** A queue binding that records what was sent. */
export class FakeQueue {
  readonly sent: unknown[] = [];
  failing = false;
  async send(body: unknown) {
    if (this.failing) throw new Error('queue down');
    this.sent.push(body);
  }
  async sendBatch(messages: Iterable<{ body: unknown }>) {
    if (this.failing) throw new Error('queue down');
    for (const m of messages) this.sent.push(m.body);
  }
  asQueue() {
    return this as unknown as Queue;
  }
}

/**
 * `env` bindings sending every partition of a saga stage to `queue` (workers/platform/saga-queues.ts), so a test's
 * fake sees every message whatever partition its order id picks: `{ ...env, ...stageTo('order-events', fake) }`.
 */
export function stageTo(stage: SagaStage, queue: Queue): Record<string, Queue> {
  return Object.fromEntries(partitionBindings(env, stage).map((name) => [name, queue]));
}

/** Swallows log lines (expected errors in these tests would drown the output). */
export const quietLogger = (): Logger => {
  const silent: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined, child: () => silent };
  return silent;
};

export function fakeOrderDeps(overrides: Partial<OrderConsumerDeps> = {}) {
  const stock = new FakeStock();
  const cart = new FakeCart();
  const orderEvents = new FakeQueue();
  const deps: OrderConsumerDeps = {
    db: createDb(env),
    transaction: (fn) => withTransaction(env, fn),
    stock,
    cart,
    orderEvents: orderEvents.asQueue(),
    logger: quietLogger(),
    returnSummaries,
    payments: paymentFacts,
    admissions: admissionDepsFromEnv(env),
    ...overrides,
  };
  return { deps, stock, cart, orderEvents };
}

export interface RecordedMessage extends QueueMessage {
  acked: boolean;
  retried: { delaySeconds?: number } | null;
}

/** A batch whose messages record ack/retry, for calling consumers directly. */
export function fakeBatch(queue: string, bodies: unknown[], attempts = 1): { queue: string; messages: RecordedMessage[] } {
  const messages = bodies.map((body, i) => {
    const message: RecordedMessage = {
      id: `msg-${crypto.randomUUID()}-${i}`,
      body,
      attempts,
      acked: false,
      retried: null,
      ack() {
        message.acked = true;
      },
      retry(options) {
        message.retried = options ?? {};
      },
    };
    return message;
  });
  return { queue, messages };
}
