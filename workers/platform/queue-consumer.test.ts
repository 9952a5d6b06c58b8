import { describe, expect, it } from 'vitest';
import { z } from 'zod';

import { createCoalescer } from '@/platform/coalesce';
import { consumeBatch, PermanentMessageError, type ConsumerDeps, type DeadLetterInput } from '@/platform/queue-consumer';
import { fakeBatch, quietLogger, type RecordedMessage } from '@test/support/saga-fakes';

/** A promise the test resolves by hand: holds one handler call until released. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

/** Resolves once `count()` reaches `target`, checked each time `bump` is called. */
function counter() {
  let value = 0;
  const waiters: { target: number; resolve: () => void }[] = [];
  return {
    get value() {
      return value;
    },
    bump() {
      value++;
      for (const waiter of waiters.filter((w) => value >= w.target)) waiter.resolve();
    },
    reaches(target: number) {
      return value >= target ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ target, resolve }));
    },
  };
}

const schema = z.object({ key: z.string(), n: z.number() });
type Body = z.infer<typeof schema>;

function deps() {
  const letters: DeadLetterInput[] = [];
  const consumer: ConsumerDeps = { logger: quietLogger(), deadLetter: async (input) => void letters.push(input) };
  return { consumer, letters };
}

const byKey = { keyOf: (body: Body) => body.key, concurrency: 8 };

/** A message with its own delivery count (fakeBatch gives a whole batch one count). */
function withAttempts(message: RecordedMessage, attempts: number): RecordedMessage {
  return Object.assign(message, { attempts });
}

describe('consumeBatch scheduling', () => {
  it('runs different keys concurrently while one key waits, and keeps one key in batch order', async () => {
    const batch = fakeBatch('q', [
      { key: 'a', n: 1 },
      { key: 'b', n: 1 },
      { key: 'a', n: 2 },
      { key: 'c', n: 1 },
    ]);
    const holdA1 = gate();
    const events: string[] = [];
    const othersDone = counter();
    const run = consumeBatch(
      deps().consumer,
      batch,
      schema,
      async (body) => {
        events.push(`start ${body.key}${body.n}`);
        if (body.key === 'a' && body.n === 1) await holdA1.opened;
        events.push(`end ${body.key}${body.n}`);
        if (body.key !== 'a') othersDone.bump();
      },
      byKey,
    );
    // b1 and c1 finish while a1 is held; a2 has not started (it waits behind a1).
    await othersDone.reaches(2);
    expect(events).toContain('end b1');
    expect(events).toContain('end c1');
    expect(events).not.toContain('start a2');
    expect(batch.messages.map((m) => m.acked)).toEqual([false, true, false, true]);

    holdA1.open();
    await run;
    expect(events.indexOf('start a2')).toBeGreaterThan(events.indexOf('end a1'));
    expect(batch.messages.every((m) => m.acked && m.retried === null)).toBe(true);
  });

  it('retries a failing message alone: the other keys are acked and run exactly once', async () => {
    const batch = fakeBatch('q', [
      { key: 'a', n: 1 },
      { key: 'b', n: 1 },
      { key: 'c', n: 1 },
    ]);
    const calls: string[] = [];
    await consumeBatch(
      deps().consumer,
      batch,
      schema,
      async (body) => {
        calls.push(body.key);
        if (body.key === 'b') throw new Error('database hiccup');
      },
      byKey,
    );
    expect(calls.sort()).toEqual(['a', 'b', 'c']);
    const [a, b, c] = batch.messages;
    expect(b).toMatchObject({ acked: false, retried: { delaySeconds: 2 } });
    expect(a).toMatchObject({ acked: true, retried: null });
    expect(c).toMatchObject({ acked: true, retried: null });
  });

  it('holds back the later messages of a retried key, unprocessed and with the same delay — but runs one on its last delivery', async () => {
    const batch = fakeBatch('q', [
      { key: 'a', n: 1 },
      { key: 'a', n: 2 },
      { key: 'a', n: 3 },
      { key: 'b', n: 1 },
    ]);
    withAttempts(batch.messages[0]!, 2);
    withAttempts(batch.messages[1]!, 2);
    withAttempts(batch.messages[2]!, 5);
    const calls: string[] = [];
    await consumeBatch(
      deps().consumer,
      batch,
      schema,
      async (body) => {
        calls.push(`${body.key}${body.n}`);
        if (body.key === 'a' && body.n === 1) throw new Error('stock DO unavailable');
      },
      byKey,
    );
    expect(calls.sort()).toEqual(['a1', 'a3', 'b1']);
    const [a1, a2, a3, b1] = batch.messages;
    expect(a1).toMatchObject({ acked: false, retried: { delaySeconds: 4 } });
    expect(a2).toMatchObject({ acked: false, retried: { delaySeconds: 4 } });
    expect(a3).toMatchObject({ acked: true, retried: null });
    expect(b1).toMatchObject({ acked: true, retried: null });
  });

  it('a dead-lettered message does not hold back its key: the next one runs', async () => {
    const t = deps();
    const batch = fakeBatch('q', [
      { key: 'a', n: 1 },
      { key: 'a', n: 2 },
      { nonsense: true },
    ]);
    const calls: string[] = [];
    await consumeBatch(
      t.consumer,
      batch,
      schema,
      async (body) => {
        calls.push(`${body.key}${body.n}`);
        if (body.n === 1) throw new PermanentMessageError('contract violation');
      },
      byKey,
    );
    expect(calls).toEqual(['a1', 'a2']);
    expect(batch.messages.every((m) => m.acked && m.retried === null)).toBe(true);
    expect(t.letters.map((l) => l.stage).sort()).toEqual(['deserialize', 'process']);
  });

  it('never has more than `concurrency` keys in flight', async () => {
    const batch = fakeBatch(
      'q',
      Array.from({ length: 10 }, (_, i) => ({ key: `k${i}`, n: i })),
    );
    const gates = Array.from({ length: 10 }, () => gate());
    const started = counter();
    let inFlight = 0;
    let maxInFlight = 0;
    const run = consumeBatch(
      deps().consumer,
      batch,
      schema,
      async (body) => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        started.bump();
        await gates[body.n]!.opened;
        inFlight--;
      },
      { keyOf: (body: Body) => body.key, concurrency: 3 },
    );
    // Release the messages one at a time, each only once the next slot was taken.
    for (let i = 0; i < 10; i++) {
      await started.reaches(Math.min(10, i + 3));
      gates[i]!.open();
    }
    await run;
    expect(maxInFlight).toBe(3);
    expect(batch.messages.every((m) => m.acked)).toBe(true);
  });

  it('without options handles the batch one message at a time, in order', async () => {
    const batch = fakeBatch('q', [
      { key: 'a', n: 1 },
      { key: 'b', n: 2 },
      { key: 'c', n: 3 },
    ]);
    const events: string[] = [];
    await consumeBatch(deps().consumer, batch, schema, async (body) => {
      events.push(`start ${body.n}`);
      await Promise.resolve();
      events.push(`end ${body.n}`);
    });
    expect(events).toEqual(['start 1', 'end 1', 'start 2', 'end 2', 'start 3', 'end 3']);
  });
});

describe('createCoalescer (sendBatch for concurrent senders)', () => {
  it('sends what was added in one tick together, then what arrived during the flight, and fails only the failed flush', async () => {
    const flushes: number[][] = [];
    const hold = gate();
    let fail = false;
    const send = createCoalescer<number>(async (items) => {
      flushes.push(items);
      if (flushes.length === 1) await hold.opened;
      if (fail) throw new Error('queue down');
    });
    const first = [send(1), send(2), send(3)];
    await Promise.resolve();
    await Promise.resolve();
    expect(flushes).toEqual([[1, 2, 3]]);
    const second = [send(4), send(5)];
    hold.open();
    await Promise.all(first);
    await Promise.all(second);
    expect(flushes).toEqual([[1, 2, 3], [4, 5]]);

    fail = true;
    await expect(send(6)).rejects.toThrow('queue down');
    fail = false;
    await send(7);
    expect(flushes.slice(2)).toEqual([[6], [7]]);
  });

  it('splits a flush at maxItems and maxBytes', async () => {
    const flushes: string[][] = [];
    const send = createCoalescer<string>(async (items) => void flushes.push(items), { maxItems: 3, maxBytes: 9, sizeOf: (item) => item.length });
    await Promise.all(['aaaa', 'bbbb', 'cc', 'd', 'e', 'f', 'g'].map(send));
    expect(flushes).toEqual([['aaaa', 'bbbb'], ['cc', 'd', 'e'], ['f', 'g']]);
  });
});
