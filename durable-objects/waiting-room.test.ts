import { ADMISSION_TTL_MS, TICK_MS, type WaitingRoomConfig, type WaitingRoomDO } from '@do/waiting-room';
import { env, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';

import { poll } from '@test/support/poll';

const T0 = Date.UTC(2030, 0, 1, 12);

/** A fresh room per test (names never repeat); times are explicit, so nothing depends on the clock. */
function freshRoom(overrides: Partial<WaitingRoomConfig> = {}) {
  const stub = env.WAITING_ROOM_DO.get(env.WAITING_ROOM_DO.idFromName(`test-${crypto.randomUUID()}`));
  const config: WaitingRoomConfig = { productId: 7, startsAt: T0, admitPerSecond: 2, perClientLimit: 100, ...overrides };
  const run = <T>(fn: (room: WaitingRoomDO) => Promise<T>) => runInDurableObject(stub, fn);
  return { stub, config, run };
}

const ticket = async (join: ReturnType<WaitingRoomDO['join']>) => {
  const result = await join;
  if (!result.ok) throw new Error(`join refused: ${result.reason}`);
  return result.ticket;
};

describe('WaitingRoomDO.join', () => {
  it('gives places in join order and the same ticket again to the same account (a reload keeps the place)', async () => {
    const { stub, config } = freshRoom();
    const first = await ticket(stub.join(config, 'alice', 'net-1', T0 - 5000));
    const second = await ticket(stub.join(config, 'bob', 'net-2', T0 - 4000));
    expect([first.position, second.position]).toEqual([1, 2]);
    expect(second.peopleAhead).toBe(1);
    // 5 s before the start, then one tick for the first two (rate 2).
    expect(second.estimatedWaitSeconds).toBe(5);

    const again = await stub.join(config, 'alice', 'net-9', T0 - 1000);
    expect(again).toMatchObject({ ok: true, created: false, ticket: { ticketId: first.ticketId, position: 1 } });
    expect(await stub.status('alice', T0 - 1000)).toMatchObject({ ticketId: first.ticketId, state: 'waiting' });
    expect(await stub.status('nobody', T0)).toBeNull();
  });

  it('refuses a client address its (perClientLimit + 1)th live ticket, and counts a used admission as no longer live', async () => {
    const { stub, config, run } = freshRoom({ perClientLimit: 2, admitPerSecond: 1 });
    await ticket(stub.join(config, 'a1', 'net', T0));
    await ticket(stub.join(config, 'a2', 'net', T0));
    expect(await stub.join(config, 'a3', 'net', T0)).toEqual({ ok: false, reason: 'CLIENT_LIMIT' });
    expect((await stub.join(config, 'b1', 'other-net', T0)).ok).toBe(true);

    await run((room) => room.tick(T0));
    const a1 = await stub.status('a1', T0);
    expect(await stub.consume(a1!.admission!.jti, 'a1', 'order-1', T0)).toEqual({ ok: true, productId: 7 });
    expect((await stub.join(config, 'a3', 'net', T0)).ok).toBe(true);
  });

  it('sends an account whose admission expired unused to the back of the line', async () => {
    const { stub, config, run } = freshRoom({ admitPerSecond: 1 });
    const first = await ticket(stub.join(config, 'late', 'n1', T0));
    await ticket(stub.join(config, 'next', 'n2', T0));
    await run((room) => room.tick(T0));
    const expiredAt = T0 + ADMISSION_TTL_MS;
    expect(await stub.status('late', expiredAt)).toMatchObject({ state: 'expired', admission: null });
    const rejoined = await ticket(stub.join(config, 'late', 'n1', expiredAt));
    expect(rejoined.ticketId).not.toBe(first.ticketId);
    expect(rejoined).toMatchObject({ state: 'waiting', position: 2, peopleAhead: 1 });
  });
});

describe('WaitingRoomDO admission', () => {
  it('admits nobody before the start, then admitPerSecond per tick, at most one tick a second, strictly in join order', async () => {
    const { stub, config, run } = freshRoom({ admitPerSecond: 3 });
    const accounts = Array.from({ length: 8 }, (_, i) => `buyer-${i}`);
    for (const [i, account] of accounts.entries()) await ticket(stub.join(config, account, `net-${i}`, T0 - 10_000 + i));

    expect(await run((room) => room.tick(T0 - 1))).toBe(0);
    expect(await run((room) => room.tick(T0))).toBe(3);
    expect(await run((room) => room.tick(T0 + TICK_MS - 1))).toBe(0);
    expect(await run((room) => room.tick(T0 + TICK_MS))).toBe(3);

    const states = await Promise.all(accounts.map((account) => stub.status(account, T0 + TICK_MS)));
    expect(states.map((s) => s!.state)).toEqual(['admitted', 'admitted', 'admitted', 'admitted', 'admitted', 'admitted', 'waiting', 'waiting']);
    expect(states.map((s) => s!.position)).toEqual([null, null, null, null, null, null, 1, 2]);
    expect(new Set(states.slice(0, 6).map((s) => s!.admission!.jti)).size).toBe(6);
    expect(states[0]!.admission!.expiresAt).toBe(T0 + ADMISSION_TTL_MS);
  });

  it('runs by alarm: a join after the start is admitted without any request, a tick a second, while anyone waits', async () => {
    const { stub, config } = freshRoom({ admitPerSecond: 1, startsAt: Date.now() - 60_000 });
    await ticket(stub.join(config, 'x', 'n1'));
    await ticket(stub.join(config, 'y', 'n2'));
    const admittedAt = async (account: string) => poll(async () => (await stub.status(account))?.admittedAt ?? undefined, 10_000);
    const [x, y] = [await admittedAt('x'), await admittedAt('y')];
    expect(y - x).toBeGreaterThanOrEqual(TICK_MS);
    // Nobody left waiting: no alarm stays scheduled.
    expect(await runInDurableObject(stub, (_room, state) => state.storage.getAlarm())).toBeNull();
    expect(await runDurableObjectAlarm(stub)).toBe(false);
  });

  it('positions are honoured: with 50 concurrent joins, the admission order is exactly the join order', async () => {
    const { stub, config, run } = freshRoom({ admitPerSecond: 7 });
    const joined = await Promise.all(Array.from({ length: 50 }, (_, i) => ticket(stub.join(config, `acct-${i}`, `net-${i}`, T0))));
    const byPosition = [...joined].sort((a, b) => a.position! - b.position!);
    expect(byPosition.map((t) => t.position)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));

    const admittedAt = new Map<string, number>();
    for (let tick = 0; admittedAt.size < 50; tick += 1) {
      const now = T0 + tick * TICK_MS;
      await run((room) => room.tick(now));
      for (const [i, t] of joined.entries()) {
        const status = await stub.status(`acct-${i}`, now);
        if (status!.state === 'admitted' && !admittedAt.has(t.ticketId)) admittedAt.set(t.ticketId, tick);
      }
    }
    const ticks = byPosition.map((t) => admittedAt.get(t.ticketId)!);
    expect(ticks).toEqual([...ticks].sort((a, b) => a - b));
    expect(ticks).toEqual(byPosition.map((_, i) => Math.floor(i / 7)));
  });
});

describe('WaitingRoomDO.consume', () => {
  it('uses an admission once, by its own account, for one order; the same order may retry; restore gives it back', async () => {
    const { stub, config, run } = freshRoom();
    await ticket(stub.join(config, 'owner', 'n', T0));
    await run((room) => room.tick(T0));
    const jti = (await stub.status('owner', T0))!.admission!.jti;

    expect(await stub.consume('no-such-jti', 'owner', 'o1', T0)).toEqual({ ok: false, reason: 'UNKNOWN' });
    expect(await stub.consume(jti, 'thief', 'o1', T0)).toEqual({ ok: false, reason: 'WRONG_ACCOUNT' });
    expect(await stub.consume(jti, 'owner', 'o1', T0)).toEqual({ ok: true, productId: 7 });
    expect(await stub.consume(jti, 'owner', 'o1', T0)).toEqual({ ok: true, productId: 7 });
    expect(await stub.consume(jti, 'owner', 'o2', T0)).toEqual({ ok: false, reason: 'USED' });
    expect((await stub.status('owner', T0))!.state).toBe('used');

    expect(await stub.restore(jti, 'o2')).toBe(false);
    expect(await stub.restore(jti, 'o1')).toBe(true);
    expect((await stub.status('owner', T0))!.state).toBe('admitted');
    expect(await stub.consume(jti, 'owner', 'o2', T0)).toEqual({ ok: true, productId: 7 });
  });

  it('refuses an expired admission, and lets exactly one of many concurrent orders use an admission', async () => {
    const { stub, config, run } = freshRoom();
    await ticket(stub.join(config, 'racer', 'n', T0));
    await run((room) => room.tick(T0));
    const jti = (await stub.status('racer', T0))!.admission!.jti;
    expect(await stub.consume(jti, 'racer', 'late', T0 + ADMISSION_TTL_MS)).toEqual({ ok: false, reason: 'EXPIRED' });

    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => stub.consume(jti, 'racer', `order-${i}`, T0)));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.reason === 'USED')).toHaveLength(19);
  });
});
