import { percentile } from './load.ts';

export interface OpenSample {
  status: number;
  /** Milliseconds from the scheduled send to the end of the body (0 status = network error or timeout). */
  ms: number;
  /** The `error.code` of a JSON error envelope, when there is one. */
  code?: string;
}

export interface OpenLoadResult {
  offered: number;
  offeredPerSecond: number;
  durationSeconds: number;
  /** From the first send to the last answer (or timeout). */
  wallSeconds: number;
  samples: OpenSample[];
}

/**
 * Open-model load: request `i` is sent at `start + i / rate` whether or not earlier ones have been
 * answered (a fixed arrival rate, as k6's constant-arrival-rate does), so a slow server builds a
 * queue instead of slowing the load generator down. Latency is measured from the scheduled send
 * time, so the generator's own lateness counts against the server, never in its favour.
 */
export async function runOpenLoad(options: {
  url: string;
  ratePerSecond: number;
  durationSeconds: number;
  timeoutMs: number;
  init: (index: number) => RequestInit;
}): Promise<OpenLoadResult> {
  const host = new URL(options.url).hostname;
  if (host !== '127.0.0.1' && host !== 'localhost') throw new Error(`load tests target only localhost, not ${host}`);
  const total = Math.round(options.ratePerSecond * options.durationSeconds);
  const interval = 1000 / options.ratePerSecond;
  const start = performance.now();
  const pending: Promise<OpenSample>[] = [];
  for (let i = 0; i < total; i++) {
    const due = start + i * interval;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    pending.push(send(options.url, options.init(i), due, options.timeoutMs));
  }
  const samples = await Promise.all(pending);
  return {
    offered: total,
    offeredPerSecond: options.ratePerSecond,
    durationSeconds: options.durationSeconds,
    wallSeconds: (performance.now() - start) / 1000,
    samples,
  };
}

async function send(url: string, init: RequestInit, due: number, timeoutMs: number): Promise<OpenSample> {
  try {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    const text = await response.text();
    let code: string | undefined;
    if (response.status >= 400) {
      try {
        code = (JSON.parse(text) as { error?: { code?: string } }).error?.code;
      } catch {
        code = undefined;
      }
    }
    return { status: response.status, ms: performance.now() - due, code };
  } catch {
    return { status: 0, ms: performance.now() - due };
  }
}

export function latencies(samples: OpenSample[]): { p50: number; p95: number; p99: number; count: number } {
  const sorted = samples.map((s) => s.ms).sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), count: sorted.length };
}
