/**
 * Saga queues past one queue's throughput (docs/scale.md, "Saga past one queue"): each saga stage is P queues —
 * `order-events`, `order-events-1` … `order-events-<P-1>` (bindings `ORDER_EVENTS`, `ORDER_EVENTS_1` …), the same
 * for `payment-events` — and a producer sends each message to the partition a stable hash of its order (or
 * checkout) id picks, so every message of one order travels through one partition. P is the number of bindings
 * present in wrangler.toml: adding a partition is adding a producer binding and a consumer entry.
 */

/** The saga stages and the binding of their first partition. */
const SAGA_STAGES = { 'order-events': 'ORDER_EVENTS', 'payment-events': 'PAYMENT_EVENTS' } as const;
export type SagaStage = keyof typeof SAGA_STAGES;
type StageBinding = (typeof SAGA_STAGES)[SagaStage];

const PARTITION_NAME = /^(order-events|payment-events)(?:-([1-9]\d{0,2}))?$/;

/** The stage a queue (any of its partitions) belongs to: `order-events-3` → `order-events`; null for others. */
export function sagaStageOf(queueName: string): SagaStage | null {
  const match = PARTITION_NAME.exec(queueName);
  return match ? (match[1] as SagaStage) : null;
}

/** FNV-1a (32 bit) of `key` modulo `partitions`: stable across deploys, runtimes and restarts. */
export function partitionOf(key: string, partitions: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % Math.max(1, partitions);
}

/** The key that keeps a saga message with its order: the checkout id of `checkout.created`, else the order id. */
export function sagaKeyOf(body: unknown): string | null {
  if (typeof body !== 'object' || body === null) return null;
  const fields = body as { type?: unknown; checkoutId?: unknown; orderId?: unknown };
  const key = fields.type === 'checkout.created' ? fields.checkoutId : fields.orderId;
  return typeof key === 'string' ? key : null;
}

/** The names of a stage's partition bindings present in `env`, in partition order (at least the first). */
export function partitionBindings(env: object, stage: SagaStage): string[] {
  const first: StageBinding = SAGA_STAGES[stage];
  const names = [first as string];
  const bindings = env as Record<string, unknown>;
  for (let i = 1; bindings[`${first}_${i}`] !== undefined; i++) names.push(`${first}_${i}`);
  return names;
}

/**
 * One `Queue` over a stage's partitions: `send` goes to the message's partition; `sendBatch` splits the batch by
 * partition (one `sendBatch` per partition, in the batch's order). A body without an order id goes to the first.
 */
export function partitionedQueue(partitions: readonly Queue[]): Queue {
  const pick = (body: unknown) => {
    const key = sagaKeyOf(body);
    return partitions[key === null ? 0 : partitionOf(key, partitions.length)]!;
  };
  return {
    send: (body, options) => pick(body).send(body, options),
    async sendBatch(messages, options) {
      const groups = new Map<Queue, MessageSendRequest[]>();
      for (const message of messages) {
        const queue = pick(message.body);
        const group = groups.get(queue) ?? [];
        group.push(message);
        groups.set(queue, group);
      }
      // A partition that fails fails the whole call, so the caller retries every message (the outbox keeps its rows
      // unpublished): the ones another partition took are sent twice, which the idempotent consumers absorb.
      const sent = await Promise.all([...groups].map(([queue, group]) => queue.sendBatch(group, options)));
      // The partitions' backlogs together (the metrics a caller of one queue would see, summed; a stand-in may return nothing).
      const sum = (field: 'backlogCount' | 'backlogBytes') => sent.reduce((total, response) => total + ((response as QueueSendBatchResponse | undefined)?.metadata?.metrics?.[field] ?? 0), 0);
      return { metadata: { metrics: { backlogCount: sum('backlogCount'), backlogBytes: sum('backlogBytes') } } };
    },
    // The first partition's: Queues have no metrics across queues, and nothing in the shop reads them.
    metrics: () => partitions[0]!.metrics(),
  };
}

/** The stage's producer: every partition bound in `env`. */
export function sagaQueue(env: object, stage: SagaStage): Queue {
  return partitionedQueue(partitionBindings(env, stage).map((name) => (env as Record<string, Queue>)[name]!));
}
