import { env, runInDurableObject, SELF } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { LiveDO, type LiveAttachment } from '@do/live';
import { lastLoggedEmail } from '@/identity/email';
import { users } from '@/identity/tables';
import { liveStub, publishLive } from '@/live';
import { LIVE_CLOSE, LIVE_LIMITS, type LiveEvent } from '@/live/protocol';
import { createDb } from '@/platform/db';
import { connectLive, connectUser, framesOf, LIVE_ORIGIN, liveTicket, waitForClose, type LiveClient } from '@test/support/live';
import { call, PASSWORD, registerVerifiedUser } from '@test/support/identity';
import { createTestUser, type TestUser } from '@test/support/shop-fixtures';

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

const event = (n: number): LiveEvent => ({ id: `test:${n}`, type: 'notification.created', version: n, data: { n } });

describe('POST /api/v1/live/ticket', () => {
  it('needs a bearer token', async () => {
    const res = await SELF.fetch(`${LIVE_ORIGIN}/api/v1/live/ticket`, { method: 'POST' });
    expect(res.status).toBe(401);
    expect((await res.json<{ error: { code: string } }>()).error.code).toBe('UNAUTHORIZED');
  });

  it('answers a one-time ticket bound to the caller, valid for 30 s', async () => {
    const user = await createTestUser();
    const before = Date.now();
    const res = await SELF.fetch(`${LIVE_ORIGIN}/api/v1/live/ticket`, { method: 'POST', headers: user.auth });
    expect(res.status).toBe(200);
    const { data } = await res.json<{ data: { ticket: string; expiresAt: string } }>();
    expect(data.ticket.startsWith(`${user.id}.`)).toBe(true);
    const ttl = Date.parse(data.expiresAt) - before;
    expect(ttl).toBeGreaterThan(25_000);
    expect(ttl).toBeLessThanOrEqual(31_000);
  });

  it('refuses a reconnect storm: at most 20 unused tickets at once (429)', async () => {
    const user = await createTestUser();
    for (let i = 0; i < LIVE_LIMITS.maxPendingTickets; i++) await liveTicket(user);
    const res = await SELF.fetch(`${LIVE_ORIGIN}/api/v1/live/ticket`, { method: 'POST', headers: user.auth });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('30');
  });
});

describe('GET /api/v1/live: refusals', () => {
  it('answers 426 with the error envelope to a plain GET', async () => {
    const res = await SELF.fetch(`${LIVE_ORIGIN}/api/v1/live?ticket=x`);
    expect(res.status).toBe(426);
    expect((await res.json<{ error: { code: string } }>()).error.code).toBe('UPGRADE_REQUIRED');
  });

  it('closes 4403 for a foreign or missing Origin, without spending the ticket', async () => {
    const user = await createTestUser();
    const ticket = await liveTicket(user);
    expect(await waitForClose(await connectLive(ticket, 'https://evil.example'))).toEqual({ code: LIVE_CLOSE.originRefused, reason: 'origin not allowed' });
    expect((await waitForClose(await connectLive(ticket, null))).code).toBe(LIVE_CLOSE.originRefused);
    const ok = track(await connectLive(ticket));
    await vi.waitFor(() => expect(framesOf(ok, 'hello')).toHaveLength(1));
  });

  it('accepts an origin listed in CORS_ORIGINS', async () => {
    const user = await createTestUser();
    const client = track(await connectLive(await liveTicket(user), 'http://localhost:5173'));
    await vi.waitFor(() => expect(framesOf(client, 'hello')).toHaveLength(1));
  });

  it('closes 4401 for a malformed, forged, reused, expired or another user\'s ticket', async () => {
    const [alice, bob] = await Promise.all([createTestUser(), createTestUser()]);
    const invalid = { code: LIVE_CLOSE.ticketInvalid, reason: 'ticket invalid, expired or already used' };

    expect(await waitForClose(await connectLive('not-a-ticket'))).toEqual(invalid);
    const forged = `${alice.id}.${'A'.repeat(43)}`;
    expect(await waitForClose(await connectLive(forged))).toEqual(invalid);

    const ticket = await liveTicket(alice);
    track(await connectLive(ticket));
    expect(await waitForClose(await connectLive(ticket))).toEqual(invalid);

    // Alice's secret under Bob's id routes to Bob's object, which never issued it.
    const stolen = `${bob.id}.${(await liveTicket(alice)).split('.')[1]}`;
    expect(await waitForClose(await connectLive(stolen))).toEqual(invalid);

    const expiring = await liveTicket(alice);
    await runInDurableObject(liveStub(env, alice.id), async (_instance, state) => {
      for (const [key, value] of await state.storage.list<{ expiresAt: number }>({ prefix: 'ticket:' })) {
        await state.storage.put(key, { ...value, expiresAt: Date.now() - 1 });
      }
    });
    expect(await waitForClose(await connectLive(expiring))).toEqual(invalid);
  });

  it(`closes the ${LIVE_LIMITS.maxSocketsPerUser + 1}th socket of a user with 4429; another user is unaffected`, async () => {
    const [user, other] = await Promise.all([createTestUser(), createTestUser()]);
    for (let i = 0; i < LIVE_LIMITS.maxSocketsPerUser; i++) track(await connectUser(user));
    const extra = await connectLive(await liveTicket(user));
    expect(await waitForClose(extra)).toEqual({ code: LIVE_CLOSE.tooMany, reason: `at most ${LIVE_LIMITS.maxSocketsPerUser} live connections per user` });
    track(await connectUser(other));
  });
});

describe('LiveDO: fan-out and client messages', () => {
  it('sends an event to every socket of its user and to nobody else', async () => {
    const [alice, bob] = await Promise.all([createTestUser(), createTestUser()]);
    const a1 = track(await connectUser(alice));
    const a2 = track(await connectUser(alice));
    const b1 = track(await connectUser(bob));
    publishLive(env, alice.id, [event(1), event(2)]);
    await vi.waitFor(() => {
      expect(framesOf(a1, 'notification.created').map((f) => f.id)).toEqual(['test:1', 'test:2']);
      expect(framesOf(a2, 'notification.created').map((f) => f.id)).toEqual(['test:1', 'test:2']);
    });
    expect(await liveStub(env, bob.id).publish([event(3)])).toBe(1);
    await vi.waitFor(() => expect(framesOf(b1, 'notification.created').map((f) => f.id)).toEqual(['test:3']));
    expect(framesOf(a1, 'notification.created')).toHaveLength(2);
  });

  it('answers heartbeats: `ping` by the runtime, {"type":"ping"} by the object', async () => {
    const client = track(await connectUser(await createTestUser()));
    client.ws.send('ping');
    client.ws.send(JSON.stringify({ type: 'ping' }));
    await vi.waitFor(() => {
      expect(client.raw).toContain('pong');
      expect(framesOf(client, 'pong')).toHaveLength(1);
    });
  });

  it.each([
    ['malformed JSON', '{nope', LIVE_CLOSE.malformed, 'malformed message'],
    ['an unknown type', JSON.stringify({ type: 'subscribe', userId: 'someone-else' }), LIVE_CLOSE.malformed, 'unknown message type'],
    ['an oversized frame', JSON.stringify({ type: 'ping', pad: 'x'.repeat(LIVE_LIMITS.maxMessageBytes) }), LIVE_CLOSE.tooBig, 'message too large'],
    ['a binary frame', new Uint8Array([1, 2, 3]), LIVE_CLOSE.unsupported, 'binary messages are not accepted'],
  ])('closes the socket on %s', async (_name, frame, code, reason) => {
    const client = await connectUser(await createTestUser());
    client.ws.send(frame);
    expect(await waitForClose(client)).toEqual({ code, reason });
  });

  it(`closes 4429 after ${LIVE_LIMITS.maxMessagesPerWindow} messages in ${LIVE_LIMITS.rateWindowMs / 1000} s`, async () => {
    const client = await connectUser(await createTestUser());
    for (let i = 0; i <= LIVE_LIMITS.maxMessagesPerWindow; i++) client.ws.send(JSON.stringify({ type: 'ping' }));
    expect(await waitForClose(client)).toEqual({ code: LIVE_CLOSE.rateLimited, reason: 'too many messages' });
    expect(framesOf(client, 'pong')).toHaveLength(LIVE_LIMITS.maxMessagesPerWindow);
  });
});

describe('LiveDO: hibernation round-trip', () => {
  it('keeps everything in the socket attachments: a freshly constructed object (as after hibernation) fans out, counts and ends sessions', async () => {
    const user = await createTestUser();
    const client = track(await connectUser(user));
    client.ws.send(JSON.stringify({ type: 'ping' }));
    await vi.waitFor(() => expect(framesOf(client, 'pong')).toHaveLength(1));

    await runInDurableObject(liveStub(env, user.id), async (_instance, state) => {
      // What the runtime does when a message or call arrives for a hibernated object: a new instance, same sockets.
      const woken = new LiveDO(state, env);
      const [socket] = state.getWebSockets();
      expect(socket?.deserializeAttachment() as LiveAttachment).toMatchObject({ sessionVersion: 0, messages: 1 });
      expect(await woken.connections()).toBe(1);
      expect(await woken.publish([event(7)])).toBe(1);
      expect(await woken.endSessions(0)).toBe(0);
    });
    await vi.waitFor(() => expect(framesOf(client, 'notification.created').map((f) => f.id)).toEqual(['test:7']));
    expect(client.closed).toBeNull();
  });
});

describe('sockets close when the session ends', () => {
  it('logout closes every socket of the user with 4410 "session ended"', async () => {
    const user = await createTestUser();
    const [c1, c2] = [await connectUser(user), await connectUser(user)];
    const res = await SELF.fetch(`${LIVE_ORIGIN}/api/v1/auth/logout`, { method: 'POST', headers: user.auth });
    expect(res.status).toBeLessThan(300);
    expect(await waitForClose(c1)).toEqual({ code: LIVE_CLOSE.sessionEnded, reason: 'session ended' });
    expect((await waitForClose(c2)).code).toBe(LIVE_CLOSE.sessionEnded);
  });

  it('a password reset through HTTP closes every socket of the user with 4410 and voids unused tickets; the new session goes live', async () => {
    const { email, ip, tokens } = await registerVerifiedUser('live-reset');
    const asUser = (accessToken: string): TestUser => ({
      id: tokens.user.id,
      email,
      role: tokens.user.role,
      token: accessToken,
      auth: { authorization: `Bearer ${accessToken}`, 'cf-connecting-ip': ip },
    });
    const before = asUser(tokens.access_token);
    const [c1, c2] = [await connectUser(before), await connectUser(before)];
    const unused = await liveTicket(before);
    const bystander = track(await connectUser(await createTestUser()));

    expect((await call('POST', '/api/v1/auth/forgot-password', { email }, { ip })).status).toBe(200);
    const link = new URL(/https?:\/\/\S+/.exec(lastLoggedEmail(email)?.text ?? '')![0]);
    const reset = await call('POST', '/api/v1/auth/reset-password', { email, token: link.searchParams.get('token'), password: 'Brand9New' }, { ip });
    expect(reset.status).toBe(200);

    expect(await waitForClose(c1)).toEqual({ code: LIVE_CLOSE.sessionEnded, reason: 'session ended' });
    expect(await waitForClose(c2)).toEqual({ code: LIVE_CLOSE.sessionEnded, reason: 'session ended' });
    expect(await waitForClose(await connectLive(unused))).toEqual({ code: LIVE_CLOSE.ticketInvalid, reason: 'ticket invalid, expired or already used' });
    // The old access token cannot get a new ticket either.
    expect((await SELF.fetch(`${LIVE_ORIGIN}/api/v1/live/ticket`, { method: 'POST', headers: before.auth })).status).toBe(401);
    expect(bystander.closed).toBeNull();

    const login = await call('POST', '/api/v1/auth/login', { email, password: 'Brand9New' }, { ip });
    expect(login.status).toBe(200);
    const after = track(await connectUser(asUser((await login.json<{ data: { access_token: string } }>()).data.access_token)));
    publishLive(env, tokens.user.id, [event(11)]);
    await vi.waitFor(() => expect(framesOf(after, 'notification.created').map((f) => f.id)).toEqual(['test:11']));
    expect((await call('POST', '/api/v1/auth/login', { email, password: PASSWORD }, { ip })).status).toBe(401);
  });

  it('a role change by an admin closes the user\'s sockets; sockets of a newer session survive a late close', async () => {
    const [user, admin] = await Promise.all([createTestUser('customer'), createTestUser('admin')]);
    const client = await connectUser(user);
    const res = await SELF.fetch(`${LIVE_ORIGIN}/api/v1/admin/users/${user.id}/role`, {
      method: 'PUT',
      headers: { ...admin.auth, 'content-type': 'application/json' },
      body: JSON.stringify({ role: 'seller' }),
    });
    expect(res.status).toBe(200);
    expect((await waitForClose(client)).code).toBe(LIVE_CLOSE.sessionEnded);

    // The stored version moved to 1: a socket opened with a ticket of that session stays open.
    const [row] = await createDb(env).select({ sv: users.sessionVersion }).from(users).where(eq(users.id, user.id));
    expect(row?.sv).toBe(1);
    const { signAccessToken } = await import('@/identity/tokens');
    const token = await signAccessToken(env, { userId: user.id, email: user.email, role: 'seller', sessionVersion: 1 });
    const fresh = track(await connectUser({ ...user, token, auth: { ...user.auth, authorization: `Bearer ${token}` } }));
    expect(await liveStub(env, user.id).endSessions(1)).toBe(0);
    expect(fresh.closed).toBeNull();
  });
});
