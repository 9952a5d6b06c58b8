import type { StockDO } from '@do/stock';
import { env, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';

import { poll } from '@test/support/poll';

const MINUTE = 60_000;

/** A fresh StockDO per test: names never repeat, so no state leaks between tests. */
function freshStock(onHand: number) {
  const productId = Math.floor(Math.random() * 1e9);
  const stub = env.STOCK_DO.get(env.STOCK_DO.idFromName(`test-${productId}-${crypto.randomUUID()}`));
  return { stub, productId, ready: stub.init(productId, onHand) };
}


describe('StockDO init and snapshot', () => {
  it('answers null before init and ignores a second init', async () => {
    const stub = env.STOCK_DO.get(env.STOCK_DO.idFromName(`uninit-${crypto.randomUUID()}`));
    expect(await stub.snapshot()).toBeNull();
    expect(await stub.reserve('o1', 1, MINUTE)).toBeNull();
    expect(await stub.init(7, 10, { sold: 3, version: 4 })).toEqual({ productId: 7, onHand: 10, reserved: 0, available: 10, sold: 3, version: 4 });
    expect(await stub.init(7, 999)).toMatchObject({ onHand: 10, version: 4 });
  });
});

describe('StockDO.reserve', () => {
  it('lets exactly 50 of 500 concurrent single-unit reservations through on stock 50, and retries hold nothing twice', async () => {
    const { stub, ready } = freshStock(50);
    await ready;
    const results = await Promise.all(Array.from({ length: 500 }, (_, i) => stub.reserve(`order-${i}`, 1, MINUTE)));
    const winners = results.flatMap((result, i) => (result?.ok ? [i] : []));
    expect(winners).toHaveLength(50);
    for (const result of results) {
      expect(result).not.toBeNull();
      expect(result!.snapshot.available).toBeGreaterThanOrEqual(0);
      expect(result!.snapshot.reserved).toBeLessThanOrEqual(50);
    }
    expect(results.filter((result) => result && !result.ok).every((result) => result!.ok === false && result!.available === 0)).toBe(true);

    const retries = await Promise.all(Array.from({ length: 500 }, (_, i) => stub.reserve(`order-${i}`, 1, MINUTE)));
    expect(retries.map((result) => result!.ok)).toEqual(results.map((result) => result!.ok));
    expect(await stub.snapshot()).toMatchObject({ onHand: 50, reserved: 50, available: 0, sold: 0 });
  });

  it('refuses more than is available and bumps the version only on change', async () => {
    const { stub, ready } = freshStock(5);
    await ready;
    const refused = await stub.reserve('big', 6, MINUTE);
    expect(refused).toMatchObject({ ok: false, reason: 'INSUFFICIENT_STOCK', available: 5 });
    expect((await stub.snapshot())!.version).toBe(0);
    const ok = await stub.reserve('small', 5, MINUTE);
    expect(ok).toMatchObject({ ok: true, snapshot: { reserved: 5, available: 0, version: 1 } });
  });

  it('rejects nonsense arguments without touching state', async () => {
    const { stub, ready } = freshStock(5);
    await ready;
    await runInDurableObject(stub, async (instance: StockDO) => {
      await expect(instance.reserve('o', 0, MINUTE)).rejects.toThrow(RangeError);
      await expect(instance.reserve('o', 1.5, MINUTE)).rejects.toThrow(RangeError);
      await expect(instance.reserve('', 1, MINUTE)).rejects.toThrow(RangeError);
      expect(() => instance.setOnHand(-1)).toThrow(RangeError);
      expect(instance.snapshot()).toMatchObject({ onHand: 5, reserved: 0, version: 0 });
    });
  });
});

describe('StockDO commit, release, restock', () => {
  it('commits once: units leave the shelf and count as sold', async () => {
    const { stub, ready } = freshStock(10);
    await ready;
    await stub.reserve('o1', 3, MINUTE);
    const first = await stub.commit('o1');
    expect(first).toMatchObject({ ok: true, snapshot: { onHand: 7, reserved: 0, available: 7, sold: 3 } });
    const again = await stub.commit('o1');
    expect(again!.snapshot).toEqual(first!.snapshot);
    expect(await stub.release('o1')).toMatchObject({ ok: true, snapshot: { onHand: 7, reserved: 0, sold: 3 } });
    expect(await stub.commit('never-reserved')).toMatchObject({ ok: false, reason: 'UNKNOWN_ORDER' });
  });

  it('releases once and never frees another order\u2019s hold', async () => {
    const { stub, ready } = freshStock(10);
    await ready;
    await stub.reserve('a', 4, MINUTE);
    await stub.reserve('b', 2, MINUTE);
    expect(await stub.release('a')).toMatchObject({ ok: true, snapshot: { reserved: 2, available: 8 } });
    expect(await stub.release('a')).toMatchObject({ ok: true, snapshot: { reserved: 2, available: 8 } });
    expect(await stub.release('unknown')).toMatchObject({ ok: false, reason: 'UNKNOWN_ORDER', available: 8 });
    expect(await stub.reserve('a', 4, MINUTE)).toMatchObject({ ok: false, reason: 'RESERVATION_RELEASED' });
    expect(await stub.snapshot()).toMatchObject({ reserved: 2 });
  });

  it('restocks a committed order once, and only releases a held one', async () => {
    const { stub, ready } = freshStock(10);
    await ready;
    await stub.reserve('paid', 3, MINUTE);
    await stub.commit('paid');
    expect(await stub.restock('paid')).toMatchObject({ ok: true, snapshot: { onHand: 10, reserved: 0, sold: 0 } });
    expect(await stub.restock('paid')).toMatchObject({ ok: true, snapshot: { onHand: 10, sold: 0 } });
    expect(await stub.commit('paid')).toMatchObject({ ok: true, snapshot: { onHand: 10 } });
    expect(await stub.reserve('paid', 3, MINUTE)).toMatchObject({ ok: false, reason: 'RESERVATION_RELEASED', available: 10 });
    await stub.reserve('held', 2, MINUTE);
    expect(await stub.restock('held')).toMatchObject({ ok: true, snapshot: { onHand: 10, reserved: 0 } });
  });

  it('refuses a commit after an explicit release (a cancelled order stays cancelled in stock), reports reservations', async () => {
    const { stub, ready } = freshStock(10);
    await ready;
    await stub.reserve('cancelled', 3, MINUTE);
    await stub.release('cancelled');
    expect(await stub.commit('cancelled')).toMatchObject({ ok: false, reason: 'RESERVATION_RELEASED', snapshot: { onHand: 10, reserved: 0, sold: 0 } });
    await stub.reserve('held', 2, MINUTE);
    await stub.restock('held');
    expect(await stub.commit('held')).toMatchObject({ ok: false, reason: 'RESERVATION_RELEASED', snapshot: { onHand: 10, reserved: 0, sold: 0 } });
    expect(await stub.reservations()).toEqual([
      { orderId: 'cancelled', quantity: 3, status: 'RELEASED' },
      { orderId: 'held', quantity: 2, status: 'RELEASED' },
    ]);
  });

  it('adjusts and sets on-hand but never below the reserved units', async () => {
    const { stub, ready } = freshStock(10);
    await ready;
    await stub.reserve('o', 6, MINUTE);
    expect(await stub.adjust(-5)).toMatchObject({ ok: false, reason: 'BELOW_RESERVED' });
    expect(await stub.adjust(-4)).toMatchObject({ ok: true, snapshot: { onHand: 6, available: 0 } });
    expect(await stub.adjust(20)).toMatchObject({ ok: true, snapshot: { onHand: 26, available: 20 } });
    expect(await stub.setOnHand(5)).toMatchObject({ ok: false, reason: 'BELOW_RESERVED' });
    expect(await stub.setOnHand(6)).toMatchObject({ ok: true, snapshot: { onHand: 6, available: 0 } });
  });
});

describe('StockDO expiry alarm', () => {
  it('releases expired reservations only, and re-arms for the live ones', async () => {
    const { stub, ready } = freshStock(10);
    await ready;
    await stub.reserve('short', 3, 5);
    await stub.reserve('long', 2, MINUTE);
    // The alarm, due 5 ms after the short hold, frees it by itself; the long one stays.
    await poll(async () => ((await stub.snapshot())?.reserved === 2 ? true : undefined));
    expect(await stub.snapshot()).toMatchObject({ onHand: 10, reserved: 2, available: 8 });
    expect(await stub.release('short')).toMatchObject({ ok: true, snapshot: { reserved: 2 } });
    const alarmAt = await runInDurableObject(stub, (_instance, state) => state.storage.getAlarm());
    expect(alarmAt).toBeGreaterThan(Date.now());
  });

  it('lets a late commit re-take an expired reservation while stock lasts', async () => {
    const { stub, ready } = freshStock(4);
    await ready;
    await stub.reserve('slow', 3, 5);
    await stub.reserve('other', 1, 5);
    await poll(async () => ((await stub.snapshot())?.reserved === 0 ? true : undefined));
    expect(await stub.commit('slow')).toMatchObject({ ok: true, snapshot: { onHand: 1, reserved: 0, sold: 3 } });
    await stub.reserve('thief', 1, MINUTE);
    expect(await stub.commit('other')).toMatchObject({ ok: false, reason: 'INSUFFICIENT_STOCK', available: 0 });
  });
});

describe('StockDO.returnUnits', () => {
  it('puts a return\u2019s units back on the shelf once per return id, keeping the sale counted', async () => {
    const { stub, ready } = freshStock(10);
    await ready;
    await stub.reserve('o1', 3, MINUTE);
    await stub.commit('o1');
    const first = await stub.returnUnits('r1', 2);
    expect(first).toMatchObject({ ok: true, snapshot: { onHand: 9, reserved: 0, available: 9, sold: 3 } });
    expect((await stub.returnUnits('r1', 2))!.snapshot).toEqual(first!.snapshot);
    expect(await stub.returnUnits('r2', 1)).toMatchObject({ ok: true, snapshot: { onHand: 10 } });
  });
});

describe('StockDO pieces of a sharded reservation', () => {
  it('reservePart holds what this shard has (at least one), says how much, and answers a retry with the same piece', async () => {
    const { stub, ready } = freshStock(3);
    await ready;
    expect(await stub.reservePart('a', 5, MINUTE)).toMatchObject({ ok: true, held: 3, snapshot: { reserved: 3, available: 0 } });
    expect(await stub.reservePart('a', 5, MINUTE)).toMatchObject({ ok: true, held: 3, snapshot: { reserved: 3 } });
    expect(await stub.reservePart('b', 1, MINUTE)).toMatchObject({ ok: false, reason: 'INSUFFICIENT_STOCK', available: 0 });
    expect(await stub.reservations()).toEqual([{ orderId: 'a', quantity: 3, status: 'RESERVED' }]);
  });

  it('unreserve gives a live piece back as if never held (the id may reserve again) and leaves a committed one alone', async () => {
    const { stub, ready } = freshStock(4);
    await ready;
    await stub.reservePart('a', 2, MINUTE);
    expect(await stub.unreserve('a')).toMatchObject({ ok: true, snapshot: { reserved: 0, available: 4 } });
    expect(await stub.reservations()).toEqual([]);
    expect(await stub.reserve('a', 1, MINUTE)).toMatchObject({ ok: true });
    await stub.commit('a');
    expect(await stub.unreserve('a')).toMatchObject({ ok: true, snapshot: { onHand: 3, reserved: 0, sold: 1 } });
    expect(await stub.reservations()).toEqual([{ orderId: 'a', quantity: 1, status: 'COMMITTED' }]);
  });

  it('commitPart says how many units it sold, again on a retry', async () => {
    const { stub, ready } = freshStock(5);
    await ready;
    await stub.reservePart('a', 2, MINUTE);
    expect(await stub.commitPart('a')).toMatchObject({ ok: true, held: 2, snapshot: { onHand: 3, sold: 2 } });
    expect(await stub.commitPart('a')).toMatchObject({ ok: true, held: 2, snapshot: { onHand: 3, sold: 2 } });
    expect(await stub.commitPart('nobody')).toMatchObject({ ok: false, reason: 'UNKNOWN_ORDER' });
  });
});
