import { env, runDurableObjectAlarm, runInDurableObject, SELF } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { StockFeedDO } from '@do/stock-feed';
import { changeOnHand, growStockShards, reserveStock } from '@/catalog/stock';
import { stockDepsFromEnv } from '@/composition';
import { stockFeedStub } from '@/live';
import { LIVE_CLOSE, STOCK_FEED_LIMITS } from '@/live/protocol';
import { createDb, withTransaction } from '@/platform/db';
import { connectStock, framesOf, LIVE_ORIGIN, waitForClose, type LiveClient } from '@test/support/live';
import { createTestProduct, createTestUser } from '@test/support/shop-fixtures';

const stock = stockDepsFromEnv(env);

const open: LiveClient[] = [];
const track = (client: LiveClient) => {
  open.push(client);
  return client;
};

afterEach(() => {
  for (const client of open.splice(0)) {
    if (!client.closed) client.ws.close(1000, 'test over');
  }
});

const randomIp = () => `10.${[0, 0, 0].map(() => Math.floor(Math.random() * 250) + 1).join('.')}`;
const stockFrames = (client: LiveClient) => framesOf(client, 'stock');
const lastStock = (client: LiveClient) => stockFrames(client).at(-1);

async function product(stock: number, status: 'ACTIVE' | 'INACTIVE' = 'ACTIVE') {
  const seller = await createTestUser('seller');
  return (await createTestProduct(seller.id, { stock, status })).id;
}

/** An anonymous viewer of the product page, once its first frame (the current count) arrived. */
async function viewer(productId: number, ip = randomIp()): Promise<LiveClient> {
  const client = track(await connectStock(productId, { ip }));
  await vi.waitFor(() => expect(stockFrames(client).length > 0 || client.closed).toBeTruthy());
  expect(client.closed).toBeNull();
  return client;
}

describe('GET /api/v1/products/{id}/stock/live: anonymous viewers', () => {
  it('sends the current count at once, with nothing but the public count in it', async () => {
    const productId = await product(7);
    const client = await viewer(productId);
    expect(client.frames).toHaveLength(1);
    expect(client.frames[0]).toEqual({ type: 'stock', productId, available: 7, version: 0 });
  });

  it('pushes each reservation and seller edit to every viewer of that product only', async () => {
    const [productId, otherId] = [await product(10), await product(10)];
    const [a, b, other] = [await viewer(productId), await viewer(productId), await viewer(otherId)];
    await reserveStock(stock, crypto.randomUUID(), [{ productId, quantity: 3 }], 60_000);
    await vi.waitFor(() => {
      expect(lastStock(a)).toMatchObject({ productId, available: 7 });
      expect(lastStock(b)).toMatchObject({ productId, available: 7 });
    });
    await changeOnHand(stock, createDb(env), productId, { delta: -5 });
    await vi.waitFor(() => expect(lastStock(a)).toMatchObject({ available: 2 }));
    expect(stockFrames(other)).toEqual([{ type: 'stock', productId: otherId, available: 10, version: 0 }]);
  });

  it("pushes units freed by the StockDO's expiry alarm, which no request ever sees", async () => {
    const productId = await product(4);
    const client = await viewer(productId);
    await reserveStock(stock, crypto.randomUUID(), [{ productId, quantity: 4 }], 60_000);
    await vi.waitFor(() => expect(lastStock(client)).toMatchObject({ available: 0 }));
    const stockDo = env.STOCK_DO.get(env.STOCK_DO.idFromName(String(productId)));
    // The reservation's time is up: what the StockDO's alarm does then reaches the page without any request.
    await runInDurableObject(stockDo, (_instance, state) => void state.storage.sql.exec('update reservations set expires_at = 0'));
    expect(await runDurableObjectAlarm(stockDo)).toBe(true);
    await vi.waitFor(() => expect(lastStock(client)).toMatchObject({ available: 4 }));
  });

  it('answers 426 with the error envelope to a plain GET', async () => {
    const res = await SELF.fetch(`${LIVE_ORIGIN}/api/v1/products/1/stock/live`);
    expect(res.status).toBe(426);
    expect((await res.json<{ error: { code: string } }>()).error.code).toBe('UPGRADE_REQUIRED');
  });

  it('closes 4403 for a foreign or missing Origin, 4404 for unknown, malformed or inactive products', async () => {
    const productId = await product(3);
    expect(await waitForClose(await connectStock(productId, { origin: 'https://evil.example' }))).toEqual({ code: LIVE_CLOSE.originRefused, reason: 'origin not allowed' });
    expect((await waitForClose(await connectStock(productId, { origin: null }))).code).toBe(LIVE_CLOSE.originRefused);
    const notFound = { code: LIVE_CLOSE.notFound, reason: 'product not found' };
    for (const id of ['999999999', '0', '-1', 'abc', '1e3', '12345678901234567890']) {
      expect(await waitForClose(await connectStock(id))).toEqual(notFound);
    }
    expect(await waitForClose(await connectStock(await product(3, 'INACTIVE')))).toEqual(notFound);
  });

  it(`closes the ${STOCK_FEED_LIMITS.maxViewersPerAddress + 1}th socket from one address on one product with 4429; other addresses still get in`, async () => {
    const productId = await product(3);
    const ip = randomIp();
    for (let i = 0; i < STOCK_FEED_LIMITS.maxViewersPerAddress; i++) await viewer(productId, ip);
    expect(await waitForClose(await connectStock(productId, { ip }))).toEqual({
      code: LIVE_CLOSE.tooMany,
      reason: `at most ${STOCK_FEED_LIMITS.maxViewersPerAddress} stock connections per address and product`,
    });
    await viewer(productId);
    // The same address may watch another product.
    await viewer(await product(3), ip);
  });

  it('answers `ping` without waking the object and closes 4400 on anything else a viewer sends', async () => {
    const productId = await product(3);
    const client = await viewer(productId);
    client.ws.send('ping');
    await vi.waitFor(() => expect(client.raw).toContain('pong'));
    client.ws.send(JSON.stringify({ type: 'subscribe', productId: 1 }));
    expect(await waitForClose(client)).toEqual({ code: LIVE_CLOSE.malformed, reason: 'stock viewers only send ping' });
  });
});

describe('StockFeedDO: throttle and ordering', () => {
  const level = (productId: number, version: number) => ({ productId, available: 1000 - version, version });

  it(`coalesces changes inside one ${STOCK_FEED_LIMITS.minIntervalMs} ms window into one broadcast of the newest count, sent by the alarm`, async () => {
    const productId = await product(1000);
    const client = await viewer(productId);
    const feed = stockFeedStub(env, productId);
    // As if a broadcast had just gone out: every update below falls inside the window, whatever the machine's speed.
    await runInDurableObject(feed, (_instance, state) => state.storage.put('sent', { version: 0, at: Date.now() + 60_000 }));
    for (let v = 1; v <= 20; v++) expect(await feed.update(level(productId, v))).toBe(1);
    const alarm = await runInDurableObject(feed, (_instance, state) => state.storage.getAlarm());
    expect(alarm).not.toBeNull();
    expect(stockFrames(client)).toHaveLength(1);

    expect(await runDurableObjectAlarm(feed)).toBe(true);
    await vi.waitFor(() => expect(stockFrames(client)).toHaveLength(2));
    expect(lastStock(client)).toEqual({ type: 'stock', ...level(productId, 20) });
    // Nothing newer is pending: a second alarm run would send nothing.
    await feed.update(level(productId, 20));
    expect(stockFrames(client)).toHaveLength(2);
  });

  it('never sends an older version than it has: a late update changes nothing', async () => {
    const productId = await product(1000);
    const client = await viewer(productId);
    const feed = stockFeedStub(env, productId);
    await feed.update(level(productId, 5));
    await vi.waitFor(() => expect(lastStock(client)).toMatchObject({ version: 5 }));
    await feed.update(level(productId, 3));
    expect(await feed.current()).toEqual(level(productId, 5));
    const late = await viewer(productId);
    expect(stockFrames(late)).toEqual([{ type: 'stock', ...level(productId, 5) }]);
    expect(stockFrames(client).map((f) => f.version)).toEqual([0, 5]);
  });

  it(`a checkout rush of 40 reservations reaches a viewer as at most ${1000 / STOCK_FEED_LIMITS.minIntervalMs} updates a second, ending on the true count`, async () => {
    const productId = await product(100);
    const client = await viewer(productId);
    const started = Date.now();
    await Promise.all(Array.from({ length: 40 }, () => reserveStock(stock, crypto.randomUUID(), [{ productId, quantity: 1 }], 60_000)));
    await vi.waitFor(() => expect(lastStock(client)).toMatchObject({ available: 60 }), { timeout: 5_000 });
    const elapsed = Date.now() - started;
    const pushed = stockFrames(client).slice(1);
    const versions = pushed.map((f) => f.version!);
    expect(versions).toEqual([...versions].sort((x, y) => x - y));
    expect(new Set(versions).size).toBe(versions.length);
    expect(pushed.length).toBeLessThanOrEqual(Math.floor(elapsed / STOCK_FEED_LIMITS.minIntervalMs) + 2);
    expect(pushed.length).toBeLessThan(40);
  });

  it('keeps everything in storage and socket tags: a freshly constructed object (as after hibernation) broadcasts and limits', async () => {
    const productId = await product(1000);
    const client = await viewer(productId);
    await runInDurableObject(stockFeedStub(env, productId), async (_instance, state) => {
      const woken = new StockFeedDO(state, env);
      expect(await woken.current()).toEqual({ productId, available: 1000, version: 0 });
      expect(await woken.update(level(productId, 9))).toBe(1);
    });
    await vi.waitFor(() => expect(lastStock(client)).toEqual({ type: 'stock', ...level(productId, 9) }));
  });
});

describe('live stock of a sharded product (docs/decisions/flash-sales.md)', () => {
  it('shows viewers the summed count of every shard, never one shard’s slice', async () => {
    const productId = await product(10);
    await withTransaction(env, (tx) => growStockShards(stock, tx, productId, 1, 4));
    const client = await viewer(productId);
    expect(lastStock(client)).toMatchObject({ productId, available: 10 });
    // 7 units cannot come from one shard (3, 3, 2, 2): the buyer borrows, and the page follows the total.
    await reserveStock(stock, crypto.randomUUID(), [{ productId, quantity: 7 }], 60_000);
    await vi.waitFor(() => expect(lastStock(client)).toMatchObject({ productId, available: 3 }));
    expect(stockFrames(client).every((frame) => (frame as { available: number }).available >= 3)).toBe(true);
  });
});
