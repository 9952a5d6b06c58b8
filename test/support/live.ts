import { SELF } from 'cloudflare:test';
import { expect, vi } from 'vitest';

import type { TestUser } from '@test/support/shop-fixtures';

export const LIVE_ORIGIN = 'http://shop.test';

export interface LiveFrame {
  type: string;
  available?: number;
  productId?: number;
  id?: string;
  version?: number;
  data?: Record<string, unknown>;
}

/** A client socket with everything it received, and how it was closed (once it was). */
export interface LiveClient {
  ws: WebSocket;
  frames: LiveFrame[];
  raw: string[];
  closed: { code: number; reason: string } | null;
}

export async function liveTicket(user: TestUser): Promise<string> {
  const res = await SELF.fetch(`${LIVE_ORIGIN}/api/v1/live/ticket`, { method: 'POST', headers: user.auth });
  expect(res.status).toBe(200);
  return (await res.json<{ data: { ticket: string } }>()).data.ticket;
}

/** Opens `GET /api/v1/live` the way a browser does (Upgrade + Origin); refusals are sockets closed at once. */
export async function connectLive(ticket: string, origin: string | null = LIVE_ORIGIN): Promise<LiveClient> {
  return openSocket(`/api/v1/live?ticket=${encodeURIComponent(ticket)}`, origin);
}

/** Opens a product's public live-stock socket, anonymously, from `ip` (the per-address limit's key). */
export async function connectStock(productId: number | string, options: { origin?: string | null; ip?: string } = {}): Promise<LiveClient> {
  return openSocket(`/api/v1/products/${productId}/stock/live`, options.origin === undefined ? LIVE_ORIGIN : options.origin, options.ip);
}

async function openSocket(path: string, origin: string | null, ip?: string): Promise<LiveClient> {
  const headers: Record<string, string> = { Upgrade: 'websocket' };
  if (origin !== null) headers.Origin = origin;
  if (ip) headers['cf-connecting-ip'] = ip;
  const res = await SELF.fetch(`${LIVE_ORIGIN}${path}`, { headers });
  expect(res.status).toBe(101);
  const ws = res.webSocket;
  if (!ws) throw new Error('no WebSocket in the 101 answer');
  const client: LiveClient = { ws, frames: [], raw: [], closed: null };
  ws.addEventListener('message', (event) => {
    const text = typeof event.data === 'string' ? event.data : '';
    client.raw.push(text);
    try {
      client.frames.push(JSON.parse(text) as LiveFrame);
    } catch {
      // `pong` auto-responses are plain text.
    }
  });
  ws.addEventListener('close', (event) => {
    client.closed = { code: event.code, reason: event.reason };
  });
  ws.accept();
  return client;
}

/** Connects with a fresh ticket and waits for the server's `hello`, so the socket is known to be registered. */
export async function connectUser(user: TestUser): Promise<LiveClient> {
  const client = await connectLive(await liveTicket(user));
  await vi.waitFor(() => expect(client.frames.some((f) => f.type === 'hello') || client.closed).toBeTruthy());
  expect(client.closed).toBeNull();
  return client;
}

export async function waitForClose(client: LiveClient): Promise<{ code: number; reason: string }> {
  await vi.waitFor(() => expect(client.closed).not.toBeNull(), { timeout: 5_000 });
  return client.closed!;
}

export const framesOf = (client: LiveClient, type: string) => client.frames.filter((f) => f.type === type);
