import { QueryClient } from '@tanstack/react-query';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { getProductQueryOptions } from '@/features/catalog/api/get-product';
import { type LiveStockStatus, watchProductStock } from '@/features/catalog/api/live-stock';
import type { ProductDetail } from '@/types/api';

/** Just enough of a browser WebSocket: the test plays the server. */
class FakeSocket extends EventTarget {
  static opened: FakeSocket[] = [];
  readonly url: string;
  sent: string[] = [];
  closedWith: number | null = null;

  constructor(url: string | URL) {
    super();
    this.url = String(url);
    FakeSocket.opened.push(this);
  }

  send(data: string) {
    this.sent.push(data);
  }

  close(code = 1000) {
    this.closedWith = code;
    this.serverCloses(code);
  }

  serverSends(data: unknown) {
    this.dispatchEvent(Object.assign(new Event('message'), { data: typeof data === 'string' ? data : JSON.stringify(data) }));
  }

  serverCloses(code: number) {
    this.dispatchEvent(Object.assign(new Event('close'), { code }));
  }
}

const PRODUCT_ID = 42;
const detail = { id: PRODUCT_ID, name: 'Lamp', stockAvailable: 5, status: 'ACTIVE' } as ProductDetail;
const frame = (available: number, version: number, productId = PRODUCT_ID) => ({ type: 'stock', productId, available, version });

describe('watchProductStock', () => {
  let client: QueryClient;
  let statuses: LiveStockStatus[];
  const { queryKey } = getProductQueryOptions(PRODUCT_ID);
  const available = () => client.getQueryData(queryKey)?.stockAvailable;

  beforeEach(() => {
    vi.useFakeTimers();
    vi.stubGlobal('WebSocket', FakeSocket);
    FakeSocket.opened = [];
    client = new QueryClient();
    client.setQueryData(queryKey, detail);
    statuses = [];
  });

  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it("opens the product's public feed and writes each newer count into the product query, ignoring older, foreign and junk frames", () => {
    const stop = watchProductStock(client, PRODUCT_ID, (s) => statuses.push(s));
    const [socket] = FakeSocket.opened;
    expect(socket?.url).toMatch(/^ws:\/\/[^/]+\/api\/v1\/products\/42\/stock\/live$/);
    socket!.serverSends(frame(5, 3));
    expect(statuses).toEqual(['live']);
    socket!.serverSends(frame(3, 4));
    expect(available()).toBe(3);
    socket!.serverSends(frame(4, 2));
    socket!.serverSends(frame(0, 9, 7));
    socket!.serverSends('{not json');
    socket!.serverSends({ type: 'stock', productId: PRODUCT_ID, available: 'many', version: 10 });
    expect(available()).toBe(3);
    socket!.serverSends(frame(0, 5));
    expect(available()).toBe(0);
    stop();
    expect(socket!.closedWith).toBe(1000);
  });

  it('reconnects with backoff after a lost connection and keeps dropping versions it already applied', () => {
    const stop = watchProductStock(client, PRODUCT_ID, (s) => statuses.push(s));
    FakeSocket.opened[0]!.serverSends(frame(2, 8));
    FakeSocket.opened[0]!.serverCloses(1006);
    expect(statuses.at(-1)).toBe('off');
    vi.advanceTimersByTime(1_000);
    expect(FakeSocket.opened).toHaveLength(2);
    FakeSocket.opened[1]!.serverSends(frame(5, 7));
    expect(available()).toBe(2);
    expect(statuses.at(-1)).toBe('live');
    stop();
  });

  it('gives up on 4404 (product gone) and 4403, and waits 30 s after 4429', () => {
    for (const code of [4404, 4403]) {
      FakeSocket.opened = [];
      const stop = watchProductStock(client, PRODUCT_ID, (s) => statuses.push(s));
      FakeSocket.opened[0]!.serverCloses(code);
      vi.advanceTimersByTime(120_000);
      expect(FakeSocket.opened).toHaveLength(1);
      stop();
    }
    FakeSocket.opened = [];
    const stop = watchProductStock(client, PRODUCT_ID, (s) => statuses.push(s));
    FakeSocket.opened[0]!.serverCloses(4429);
    vi.advanceTimersByTime(29_000);
    expect(FakeSocket.opened).toHaveLength(1);
    vi.advanceTimersByTime(1_000);
    expect(FakeSocket.opened).toHaveLength(2);
    stop();
  });

  it('pings every 25 s and drops a link whose pong does not come back', () => {
    const stop = watchProductStock(client, PRODUCT_ID, (s) => statuses.push(s));
    const socket = FakeSocket.opened[0]!;
    socket.dispatchEvent(new Event('open'));
    vi.advanceTimersByTime(25_000);
    expect(socket.sent).toEqual(['ping']);
    socket.serverSends('pong');
    vi.advanceTimersByTime(10_000);
    expect(socket.closedWith).toBeNull();
    vi.advanceTimersByTime(25_000);
    vi.advanceTimersByTime(10_000);
    expect(socket.closedWith).toBe(4000);
    stop();
  });
});
