import { createContext } from 'react';

import { env } from '@/config/env';
import { client, dataOf } from '@/lib/api-client';
import { useLiveStore } from '@/stores/live-store';

/** Whether this app may open live sockets at all (AppProvider's `live`; tests of single pages turn it off). */
export const LiveEnabledContext = createContext(true);

/** A server event (docs/decisions/live.md): `id` unique per change, `version` grows with each change of the resource. */
export interface LiveEvent {
  id: string;
  type: string;
  version: number;
  data: Record<string, unknown>;
}

/** Close codes of `GET /api/v1/live` (the server's workers/live/protocol.ts). */
export const LIVE_CLOSE = { originRefused: 4403, tooMany: 4429, sessionEnded: 4410 } as const;

const HEARTBEAT_MS = 25_000;
const HEARTBEAT_TIMEOUT_MS = 10_000;
const BACKOFF_BASE_MS = 1_000;
const BACKOFF_MAX_MS = 30_000;
const SEEN_IDS = 500;

/** Exponential backoff with full jitter between half and all of the step, so many tabs do not reconnect in step. */
export function reconnectDelay(attempt: number, random: () => number = Math.random): number {
  const step = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.min(attempt, 10));
  return Math.round(step / 2 + (random() * step) / 2);
}

/** `ws(s)://` URL of an API path, same origin as the API. */
export function apiSocketUrl(path: string): URL {
  const url = new URL(`${env.API_URL}${path}`, window.location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url;
}

function socketUrl(ticket: string): string {
  const url = apiSocketUrl('/live');
  url.searchParams.set('ticket', ticket);
  return url.toString();
}

export interface LiveHandlers {
  onEvent: (event: LiveEvent) => void;
  /** After every (re)connection: refetch what may have changed while no socket was listening. */
  onConnected: (firstTime: boolean) => void;
}

/**
 * One socket for this tab while signed in: ticket → socket → events; heartbeats detect a dead link; any loss
 * reconnects with backoff and jitter while the status says `off` (polling takes over). Returns a stop function.
 */
export function startLive(handlers: LiveHandlers): () => void {
  const { setStatus } = useLiveStore.getState();
  let stopped = false;
  let attempt = 0;
  let connections = 0;
  let socket: WebSocket | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  let heartbeatDeadline: ReturnType<typeof setTimeout> | undefined;
  const seen: string[] = [];
  const seenSet = new Set<string>();

  const clearTimers = () => {
    clearInterval(heartbeat);
    clearTimeout(heartbeatDeadline);
  };

  const scheduleReconnect = (minimumMs = 0) => {
    if (stopped) return;
    setStatus('off');
    const delay = Math.max(minimumMs, reconnectDelay(attempt++));
    retryTimer = setTimeout(() => void connect(), delay);
  };

  const remember = (id: string) => {
    if (seenSet.has(id)) return false;
    seenSet.add(id);
    seen.push(id);
    if (seen.length > SEEN_IDS) seenSet.delete(seen.shift()!);
    return true;
  };

  async function connect() {
    if (stopped) return;
    if (connections === 0 && attempt === 0) setStatus('connecting');
    let ticket: string;
    try {
      ticket = (await dataOf(client.POST('/live/ticket'))).ticket;
    } catch {
      scheduleReconnect();
      return;
    }
    if (stopped) return;
    const ws = new WebSocket(socketUrl(ticket));
    socket = ws;
    ws.addEventListener('message', (message) => {
      if (message.data === 'pong') {
        clearTimeout(heartbeatDeadline);
        return;
      }
      let frame: LiveEvent;
      try {
        frame = JSON.parse(String(message.data)) as LiveEvent;
      } catch {
        return;
      }
      if (frame.type === 'hello') {
        attempt = 0;
        setStatus('live');
        handlers.onConnected(connections++ === 0);
        heartbeat = setInterval(() => {
          ws.send('ping');
          clearTimeout(heartbeatDeadline);
          heartbeatDeadline = setTimeout(() => ws.close(4000, 'heartbeat timeout'), HEARTBEAT_TIMEOUT_MS);
        }, HEARTBEAT_MS);
        return;
      }
      if (typeof frame.id === 'string' && remember(frame.id)) handlers.onEvent(frame);
    });
    ws.addEventListener('close', (event) => {
      clearTimers();
      if (socket !== ws) return;
      socket = null;
      if (stopped) return;
      if (event.code === LIVE_CLOSE.originRefused) {
        // A deployment mistake no retry can fix: stay on polling.
        setStatus('off');
        return;
      }
      scheduleReconnect(event.code === LIVE_CLOSE.tooMany ? BACKOFF_MAX_MS : 0);
    });
  }

  void connect();

  return () => {
    stopped = true;
    clearTimeout(retryTimer);
    clearTimers();
    socket?.close(1000, 'signed out');
    socket = null;
    setStatus('idle');
  };
}
