import { type QueryClient, useQueryClient } from '@tanstack/react-query';
import { use, useEffect, useState } from 'react';

import { getProductQueryOptions } from '@/features/catalog/api/get-product';
import { apiSocketUrl, LiveEnabledContext, reconnectDelay } from '@/lib/live';

/** `connecting` until the first count arrived, `live` while the socket is up, `off` while it is not. */
export type LiveStockStatus = 'connecting' | 'live' | 'off';

/** What `GET /api/v1/products/{id}/stock/live` sends: the available units at a StockDO version. */
interface StockFrame {
  type: 'stock';
  productId: number;
  available: number;
  version: number;
}

/** Close codes that no retry fixes (origin refused, product gone or not for sale). */
const FINAL_CLOSE_CODES = new Set([4403, 4404]);
const TOO_MANY = 4429;
const TOO_MANY_RETRY_MS = 30_000;
const HEARTBEAT_MS = 25_000;
const HEARTBEAT_TIMEOUT_MS = 10_000;

const isStockFrame = (value: unknown, productId: number): value is StockFrame => {
  const frame = value as Partial<StockFrame> | null;
  return frame?.type === 'stock' && frame.productId === productId && Number.isSafeInteger(frame.available) && Number.isSafeInteger(frame.version);
};

/**
 * Watches one product's public stock feed and writes each newer count into the product's detail query, so every
 * component showing it (badge, quantity limit) follows without a request. Reconnects with backoff and jitter.
 * Returns a stop function.
 */
export function watchProductStock(queryClient: QueryClient, productId: number, onStatus: (status: LiveStockStatus) => void): () => void {
  let stopped = false;
  let attempt = 0;
  let lastVersion = -1;
  let socket: WebSocket | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  let heartbeatDeadline: ReturnType<typeof setTimeout> | undefined;
  const { queryKey } = getProductQueryOptions(productId);

  const clearTimers = () => {
    clearInterval(heartbeat);
    clearTimeout(heartbeatDeadline);
  };

  function connect() {
    if (stopped) return;
    const ws = new WebSocket(apiSocketUrl(`/products/${productId}/stock/live`));
    socket = ws;
    ws.addEventListener('open', () => {
      heartbeat = setInterval(() => {
        ws.send('ping');
        clearTimeout(heartbeatDeadline);
        heartbeatDeadline = setTimeout(() => ws.close(4000, 'heartbeat timeout'), HEARTBEAT_TIMEOUT_MS);
      }, HEARTBEAT_MS);
    });
    ws.addEventListener('message', (message) => {
      if (message.data === 'pong') {
        clearTimeout(heartbeatDeadline);
        return;
      }
      let frame: unknown;
      try {
        frame = JSON.parse(String(message.data));
      } catch {
        return;
      }
      if (!isStockFrame(frame, productId)) return;
      attempt = 0;
      onStatus('live');
      if (frame.version <= lastVersion) return;
      lastVersion = frame.version;
      queryClient.setQueryData(queryKey, (old) => (old && old.stockAvailable !== frame.available ? { ...old, stockAvailable: frame.available } : old));
    });
    ws.addEventListener('close', (event) => {
      clearTimers();
      if (socket !== ws) return;
      socket = null;
      if (stopped) return;
      onStatus('off');
      if (FINAL_CLOSE_CODES.has(event.code)) return;
      retryTimer = setTimeout(connect, Math.max(event.code === TOO_MANY ? TOO_MANY_RETRY_MS : 0, reconnectDelay(attempt++)));
    });
  }

  connect();

  return () => {
    stopped = true;
    clearTimeout(retryTimer);
    clearTimers();
    socket?.close(1000, 'page closed');
    socket = null;
  };
}

/**
 * Live stock for an open product page (public: no sign-in needed). Off when `enabled` is false (a product that is
 * not for sale has no feed), in tests that turn live sockets off, and where there is no WebSocket.
 */
export function useLiveStock(productId: number, { enabled = true } = {}): LiveStockStatus {
  const queryClient = useQueryClient();
  const liveAllowed = use(LiveEnabledContext);
  const [status, setStatus] = useState<LiveStockStatus>('connecting');
  const active = enabled && liveAllowed && typeof WebSocket !== 'undefined';

  useEffect(() => {
    if (!active) return;
    setStatus('connecting');
    return watchProductStock(queryClient, productId, setStatus);
  }, [active, productId, queryClient]);

  return active ? status : 'off';
}
