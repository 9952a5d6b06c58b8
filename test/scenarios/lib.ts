/**
 * Shared plumbing for the ports of the seed's shell scenarios: a JSON client for any
 * `BASE_URL` (default: the local `npm start`) and an assertion tally that ends with the seed's
 * `N passed, M failed` line and a non-zero exit code on failure.
 */
export const BASE_URL = (process.env.BASE_URL ?? 'http://127.0.0.1:8787').replace(/\/$/, '');
const API = `${BASE_URL}/api/v1`;

/** Scenario scripts probe arbitrary JSON the way the seed's `jq` calls did; a missing field fails its check. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface JsonResponse<T = Json> {
  status: number;
  body: T;
  headers: Headers;
}

/** One HTTP call; never throws for an HTTP status, only for a network failure. */
export async function call<T = Json>(method: string, path: string, options: { token?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<JsonResponse<T>> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const url = path.startsWith('/health') ? `${BASE_URL}${path}` : `${API}${path}`;
  const res = await fetch(url, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  const text = await res.text();
  let body: Json = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // leave the raw text for the failure message
  }
  return { status: res.status, body, headers: res.headers };
}

export class Tally {
  passed = 0;
  failed = 0;

  constructor(private readonly name: string) {
    console.log(`${name} against ${BASE_URL}`);
  }

  /** Records one numbered assertion, printing it the way the seed's scripts did. */
  check(label: string, ok: boolean, detail?: unknown): boolean {
    const n = this.passed + this.failed + 1;
    if (ok) this.passed++;
    else this.failed++;
    const suffix = ok || detail === undefined ? '' : ` — got ${typeof detail === 'string' ? detail : JSON.stringify(detail).slice(0, 300)}`;
    console.log(`${ok ? '  ✓' : '  ✗'} ${n}. ${label}${suffix}`);
    return ok;
  }

  /** Prints the closing line and sets the exit code. */
  finish(): void {
    console.log(`\n${this.name}: ${this.passed} passed, ${this.failed} failed`);
    process.exitCode = this.failed === 0 ? 0 : 1;
  }
}

export async function login(email: string, password: string): Promise<{ token: string; userId: string; status: number }> {
  const res = await call('POST', '/auth/login', { body: { email, password } });
  return { token: res.body?.data?.access_token ?? '', userId: res.body?.data?.user?.id ?? '', status: res.status };
}

export const CUSTOMER = { email: 'customer@example.com', password: 'Customer@123' };
export const SELLER = { email: 'seller@example.com', password: 'Seller@123' };
export const ADMIN = { email: 'admin@example.com', password: 'Admin@123' };

export const HCM_ADDRESS = { street: '268 Ly Thuong Kiet', city: 'Ho Chi Minh City', state: 'HCM', country: 'Vietnam', zipCode: '700000' };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `probe` every `intervalMs` until it returns a value or `timeoutMs` passes. */
export async function poll<T>(probe: () => Promise<T | undefined>, timeoutMs: number, intervalMs = 1_000): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined || Date.now() >= deadline) return value;
    await sleep(intervalMs);
  }
}

/** Runs `tasks` with at most `limit` in flight (the seed used `xargs -P`). */
export async function runLimited<T>(tasks: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, tasks.length) }, async () => {
      while (next < tasks.length) {
        const index = next++;
        results[index] = await tasks[index]!();
      }
    }),
  );
  return results;
}
