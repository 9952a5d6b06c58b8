import { SELF } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';

import { connectLive, liveTicket } from '@test/support/live';
import { poll } from '@test/support/poll';
import { createTestProduct, createTestUser, jsonHeaders, type TestUser } from '@test/support/shop-fixtures';

const ADDRESS = { street: '1 Launch Way', city: 'Springfield', state: 'IL', country: 'US', zipCode: '62701' };
const PAST = () => new Date(Date.now() - 60_000).toISOString();

interface Answer<T = unknown> {
  status: number;
  body: { success: boolean; data: T; error?: { code: string; details?: Record<string, string> } };
}

async function call<T = unknown>(method: string, path: string, user?: TestUser, body?: unknown, headers: Record<string, string> = {}): Promise<Answer<T>> {
  const res = await SELF.fetch(`http://shop.test${path}`, {
    method,
    headers: user ? jsonHeaders(user, headers) : { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: res.status === 204 ? { success: true, data: null as T } : ((await res.json()) as Answer<T>['body']) };
}

interface Ticket {
  ticketId: string;
  state: string;
  position: number | null;
  admission: { token: string; maxQuantity: number } | null;
}

const launch = (productId: number, seller: TestUser, body: Record<string, unknown> = {}) =>
  call('PUT', `/api/v1/products/${productId}/launch`, seller, { startsAt: PAST(), admitPerSecond: 1000, ...body });

const join = (productId: number, buyer: TestUser) => call<Ticket>('POST', `/api/v1/products/${productId}/waiting-room/ticket`, buyer);

/** Joins and waits (for the alarm, never a fixed sleep) until admitted; answers the admission token. */
async function admitted(productId: number, buyer: TestUser): Promise<string> {
  expect([200, 201]).toContain((await join(productId, buyer)).status);
  return poll(async () => (await call<Ticket>('GET', `/api/v1/products/${productId}/waiting-room/ticket`, buyer)).body.data.admission?.token);
}

const order = (buyer: TestUser, productId: number, token?: string, extra: Record<string, unknown> = {}, quantity = 1) =>
  call<{ id: string }>('POST', '/api/v1/orders', buyer, { items: [{ productId, quantity }], shippingAddress: ADDRESS, ...extra }, token ? { 'admission-token': token } : {});

const available = async (productId: number) => (await call<{ availableStock: number }>('GET', `/api/v1/inventory/${productId}`)).body.data.availableStock;

let seller: TestUser;
let otherSeller: TestUser;
let admin: TestUser;
let buyer: TestUser;
let stranger: TestUser;

beforeAll(async () => {
  [seller, otherSeller, admin, buyer, stranger] = await Promise.all([createTestUser('seller'), createTestUser('seller'), createTestUser('admin'), createTestUser('customer'), createTestUser('customer')]);
});

describe('PUT/DELETE /api/v1/products/{id}/launch', () => {
  it('lets the product’s seller or an admin mark a launch, and nobody else', async () => {
    const product = await createTestProduct(seller.id);
    expect((await launch(product.id, otherSeller)).body.error!.code).toBe('ACCESS_DENIED');
    expect((await launch(product.id, buyer)).status).toBe(403);
    expect((await call('GET', `/api/v1/products/${product.id}/launch`)).body.data).toBeNull();

    const put = await launch(product.id, seller, { maxQuantity: 2, perClientLimit: 3 });
    expect(put.status).toBe(200);
    expect(put.body.data).toMatchObject({ productId: product.id, admitPerSecond: 1000, maxQuantity: 2, perClientLimit: 3, status: 'open', botCheck: null });
    const id = (put.body.data as { id: string }).id;
    // A change keeps the launch (and its line).
    const changed = await launch(product.id, admin, { admitPerSecond: 5, startsAt: new Date(Date.now() + 3_600_000).toISOString() });
    expect(changed.body.data).toMatchObject({ id, admitPerSecond: 5, status: 'upcoming' });
    expect((await call('GET', `/api/v1/products/${product.id}/launch`)).body.data).toMatchObject({ id, admitPerSecond: 5 });

    expect((await call('DELETE', `/api/v1/products/${product.id}/launch`, otherSeller)).status).toBe(403);
    expect((await call('DELETE', `/api/v1/products/${product.id}/launch`, seller)).status).toBe(204);
    expect((await call('DELETE', `/api/v1/products/${product.id}/launch`, seller)).body.error!.code).toBe('LAUNCH_NOT_FOUND');
    expect((await call('GET', `/api/v1/products/${product.id}/launch`)).body.data).toBeNull();
  });

  it('validates the body (400), and answers 404 for a product that does not exist', async () => {
    const product = await createTestProduct(seller.id);
    const backwards = await launch(product.id, seller, { startsAt: '2030-01-02T00:00:00Z', endsAt: '2030-01-01T00:00:00Z' });
    expect(backwards.status).toBe(400);
    expect(backwards.body.error!.details).toHaveProperty('endsAt');
    expect((await launch(product.id, seller, { admitPerSecond: 0 })).status).toBe(400);
    expect((await launch(product.id, seller, { startsAt: 'tomorrow' })).status).toBe(400);
    expect((await launch(product.id, seller, { surprise: true })).status).toBe(400);
    expect((await launch(999_999_999, seller)).status).toBe(404);
  });
});

describe('checkout of a launched product', () => {
  it('refuses a buyer who skips the line (403 ADMISSION_REQUIRED) on orders and checkouts, reserving nothing', async () => {
    const product = await createTestProduct(seller.id, { stock: 5 });
    await launch(product.id, seller);
    const before = await available(product.id);

    const skipped = await order(buyer, product.id);
    expect(skipped.status).toBe(403);
    expect(skipped.body.error).toMatchObject({ code: 'ADMISSION_REQUIRED', details: { [`product.${product.id}`]: expect.any(String) } });
    const viaCheckout = await call('POST', '/api/v1/checkouts', buyer, { items: [{ productId: product.id, quantity: 1 }], shippingAddress: ADDRESS });
    expect(viaCheckout.body.error!.code).toBe('ADMISSION_REQUIRED');
    // An access token is not an admission, and a malformed header is a 400.
    expect((await order(buyer, product.id, buyer.token)).body.error!.code).toBe('ADMISSION_REQUIRED');
    expect((await order(buyer, product.id, 'not a token')).status).toBe(400);
    expect(await available(product.id)).toBe(before);

    // Once the launch ends, the product sells normally again.
    await call('DELETE', `/api/v1/products/${product.id}/launch`, seller);
    expect((await order(buyer, product.id)).status).toBe(201);
  });

  it('admits a buyer who joined, sells with the admission once: a replay is 409 ADMISSION_USED, another account 403', async () => {
    const product = await createTestProduct(seller.id, { stock: 5 });
    await launch(product.id, seller);
    const first = await join(product.id, buyer);
    expect(first.status).toBe(201);
    // A reload keeps the place: the same ticket.
    const again = await join(product.id, buyer);
    expect(again.status).toBe(200);
    expect(again.body.data.ticketId).toBe(first.body.data.ticketId);
    const token = await admitted(product.id, buyer);

    // Someone else's admission is refused, and nothing of the buyer's is used by it.
    expect((await order(stranger, product.id, token)).body.error!.code).toBe('ADMISSION_WRONG_ACCOUNT');
    // An admission buys maxQuantity units (1 here).
    expect((await order(buyer, product.id, token, {}, 2)).body.error!.code).toBe('ADMISSION_QUANTITY_EXCEEDED');
    // Refused before the stock step (a stale total): the admission is not burnt.
    expect((await order(buyer, product.id, token, { expectedTotal: 0.01 })).body.error!.code).toBe('PRICE_CHANGED');

    const placed = await order(buyer, product.id, token);
    expect(placed.status).toBe(201);
    const replay = await order(buyer, product.id, token);
    expect(replay.status).toBe(409);
    expect(replay.body.error!.code).toBe('ADMISSION_USED');
    expect((await call('POST', '/api/v1/checkouts', buyer, { items: [{ productId: product.id, quantity: 1 }], shippingAddress: ADDRESS }, { 'admission-token': token })).body.error!.code).toBe('ADMISSION_USED');
    expect((await call<Ticket>('GET', `/api/v1/products/${product.id}/waiting-room/ticket`, buyer)).body.data.state).toBe('used');
    expect(await available(product.id)).toBe(4);
  });

  it('replays an order retried with its Idempotency-Key instead of refusing the used admission', async () => {
    const product = await createTestProduct(seller.id, { stock: 3 });
    await launch(product.id, seller);
    const token = await admitted(product.id, buyer);
    const keyed = (key: string) => call<{ id: string }>('POST', '/api/v1/orders', buyer, { items: [{ productId: product.id, quantity: 1 }], shippingAddress: ADDRESS }, { 'admission-token': token, 'idempotency-key': key });
    const key = crypto.randomUUID();
    const first = await keyed(key);
    expect(first.status).toBe(201);
    // The retry of that request is the same order; a new request (another key) is a replay of the admission.
    const retried = await keyed(key);
    expect(retried.status).toBe(201);
    expect(retried.body.data.id).toBe(first.body.data.id);
    expect((await keyed(crypto.randomUUID())).body.error!.code).toBe('ADMISSION_USED');
    expect(await available(product.id)).toBe(2);
  });

  it('sells a checkout of several sellers with the launched product’s admission', async () => {
    const product = await createTestProduct(seller.id, { stock: 2 });
    const plain = await createTestProduct(otherSeller.id, { stock: 2 });
    await launch(product.id, seller);
    const token = await admitted(product.id, stranger);
    const lines = [{ productId: product.id, quantity: 1 }, { productId: plain.id, quantity: 1 }];
    expect((await call('POST', '/api/v1/checkouts', stranger, { items: lines, shippingAddress: ADDRESS })).body.error!.code).toBe('ADMISSION_REQUIRED');
    const placed = await call('POST', '/api/v1/checkouts', stranger, { items: lines, shippingAddress: ADDRESS }, { 'admission-token': token });
    expect(placed.status).toBe(201);
    expect([await available(product.id), await available(plain.id)]).toEqual([1, 1]);
  });

  it('never oversells: admitted buyers beyond the stock get 409 INSUFFICIENT_STOCK and their ticket is done', async () => {
    const product = await createTestProduct(seller.id, { stock: 1 });
    await launch(product.id, seller);
    const [a, b] = await Promise.all([createTestUser('customer'), createTestUser('customer')]);
    const [tokenA, tokenB] = [await admitted(product.id, a), await admitted(product.id, b)];
    const answers = await Promise.all([order(a, product.id, tokenA), order(b, product.id, tokenB)]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([201, 409]);
    expect(answers.find((answer) => answer.status === 409)!.body.error!.code).toBe('INSUFFICIENT_STOCK');
    expect(await available(product.id)).toBe(0);
    const loser = answers[0]!.status === 409 ? a : b;
    expect((await call<Ticket>('GET', `/api/v1/products/${product.id}/waiting-room/ticket`, loser)).body.data.state).toBe('used');
  });
});

describe('POST/GET /api/v1/products/{id}/waiting-room/ticket', () => {
  it('limits the places one client address holds (429 TOO_MANY_TICKETS), one per account', async () => {
    const product = await createTestProduct(seller.id);
    await launch(product.id, seller, { perClientLimit: 2, startsAt: new Date(Date.now() + 3_600_000).toISOString() });
    const ip = '203.0.113.77';
    const sameNetwork = await Promise.all([0, 1, 2].map(async () => {
      const user = await createTestUser('customer');
      return { ...user, auth: { ...user.auth, 'cf-connecting-ip': ip } };
    }));
    const answers = [];
    for (const user of sameNetwork) answers.push(await join(product.id, user));
    expect(answers.map((answer) => answer.status)).toEqual([201, 201, 429]);
    expect(answers[2]!.body.error!.code).toBe('TOO_MANY_TICKETS');
    expect(answers.map((answer) => answer.body.data?.position ?? null)).toEqual([1, 2, null]);
    // The first account coming back from that network keeps its place.
    expect((await join(product.id, sameNetwork[0]!)).status).toBe(200);
  });

  it('answers 404 without a launch or before joining, 401 without a token', async () => {
    const product = await createTestProduct(seller.id);
    expect((await join(product.id, buyer)).body.error!.code).toBe('LAUNCH_NOT_FOUND');
    await launch(product.id, seller);
    expect((await call('GET', `/api/v1/products/${product.id}/waiting-room/ticket`, buyer)).body.error!.code).toBe('TICKET_NOT_FOUND');
    expect((await call('POST', `/api/v1/products/${product.id}/waiting-room/ticket`)).status).toBe(401);
    expect((await call('POST', `/api/v1/products/${product.id}/waiting-room/ticket`, buyer, { turnstileToken: 5 })).status).toBe(400);
  });

  it('pushes the admission to the buyer’s live sockets, and to nobody else’s', async () => {
    const product = await createTestProduct(seller.id);
    await launch(product.id, seller, { startsAt: new Date(Date.now() + 3_600_000).toISOString() });
    const [mine, theirs] = [await connectLive(await liveTicket(buyer)), await connectLive(await liveTicket(stranger))];
    expect((await join(product.id, buyer)).body.data.state).toBe('waiting');
    await launch(product.id, seller, { startsAt: PAST() });
    const pushed = await poll(async () => mine.frames.find((frame) => frame.type === 'waiting-room.admitted'));
    expect(pushed.data).toEqual({ productId: product.id });
    expect(pushed.id).toMatch(/^admission:[0-9a-f]{32}$/);
    expect((await call<Ticket>('GET', `/api/v1/products/${product.id}/waiting-room/ticket`, buyer)).body.data.state).toBe('admitted');
    expect(theirs.frames.filter((frame) => frame.type === 'waiting-room.admitted')).toEqual([]);
    mine.ws.close();
    theirs.ws.close();
  });

  it('does not accept an admission as an access token', async () => {
    const product = await createTestProduct(seller.id);
    await launch(product.id, seller);
    const token = await admitted(product.id, buyer);
    const res = await SELF.fetch('http://shop.test/api/v1/users/profile', { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(401);
  });
});
