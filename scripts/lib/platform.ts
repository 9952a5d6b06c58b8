import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

import { generateSigningKey } from '../../workers/identity/tokens.ts';
import { startNeonProxy } from '../local-db/neon-proxy.ts';

export const ROOT = join(import.meta.dirname, '../../');

/** A failure the user can act on: printed as one line, never as a stack trace. */
export class UserFacingError extends Error {}

/** Reads `KEY=value` lines of `.dev.vars` (wrangler's local secrets file), if there is one. */
export function readDevVars(file = `${ROOT}.dev.vars`): Record<string, string> {
  if (!existsSync(file)) return {};
  const vars: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const match = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!match || line.trimStart().startsWith('#')) continue;
    vars[match[1]!] = match[2]!.replace(/^(['"])(.*)\1$/, '$2');
  }
  return vars;
}

/**
 * Makes sure `.dev.vars` (git-ignored; wrangler dev reads it) holds the key that signs access tokens,
 * creating one on first start. Production sets the same secret with `wrangler secret put`.
 * @returns true when a new key was written
 */
export async function ensureDevSigningKey(file = `${ROOT}.dev.vars`): Promise<boolean> {
  if (readDevVars(file).JWT_PRIVATE_KEY) return false;
  const prefix = existsSync(file) && !readFileSync(file, 'utf8').endsWith('\n') ? '\n' : '';
  appendFileSync(file, `${prefix}JWT_PRIVATE_KEY='${await generateSigningKey()}'\n`, { mode: 0o600 });
  return true;
}

export function assertPortFree(port: number, name: string, host = '127.0.0.1'): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        new UserFacingError(
          err.code === 'EADDRINUSE'
            ? `port ${port} is already in use — stop the other process or set ${name} to another port`
            : `cannot listen on ${host}:${port}: ${err.message}`,
        ),
      ),
    );
    server.listen(port, host, () => server.close(() => resolve()));
  });
}

export interface DatabaseHandle {
  url: string;
  /** `host:port` of the Neon proxy the Worker must use, or undefined for a real Neon endpoint. */
  neonProxy: string | undefined;
  mode: 'embedded' | 'external';
  stop(): Promise<void>;
}

/** Neon's own endpoints speak both transports; any other Postgres needs the local proxy. */
const isNeonHost = (url: string) => {
  try {
    return new URL(url).hostname.endsWith('.neon.tech');
  } catch {
    throw new UserFacingError('DATABASE_URL is not a valid postgres:// URL');
  }
};

/**
 * Provides a database for the local platform: the one in DATABASE_URL (environment or .dev.vars),
 * or the embedded PGlite + pgvector server kept in `dataDir`, started as a child process.
 */
export async function startDatabase(options: {
  dataDir: string;
  pgPort: number;
  proxyPort: number;
  log: (line: string) => void;
}): Promise<DatabaseHandle> {
  const external = process.env.DATABASE_URL || readDevVars().DATABASE_URL;
  if (external) {
    if (isNeonHost(external)) return { url: external, neonProxy: undefined, mode: 'external', stop: async () => undefined };
    await assertPortFree(options.proxyPort, 'NEON_PROXY_PORT');
    const proxy = await startNeonProxy({ port: options.proxyPort });
    return { url: external, neonProxy: `127.0.0.1:${proxy.port}`, mode: 'external', stop: () => proxy.close() };
  }

  const child = spawn(
    process.execPath,
    [`${ROOT}scripts/local-db/serve.ts`, '--data', options.dataDir, '--pg-port', String(options.pgPort), '--proxy-port', String(options.proxyPort)],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  createInterface({ input: child.stderr! }).on('line', (line) => options.log(line));
  const ready = await new Promise<{ ready: boolean; connectionString?: string; proxyPort?: number; error?: string }>((resolve) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => {
      try {
        resolve(JSON.parse(line));
      } catch {
        resolve({ ready: false, error: line });
      }
    });
    child.once('exit', (code) => resolve({ ready: false, error: `the database process exited with code ${code}` }));
  });
  if (!ready.ready || !ready.connectionString) {
    child.kill('SIGTERM');
    throw new UserFacingError(ready.error ?? 'the embedded database did not start');
  }
  return {
    url: ready.connectionString,
    neonProxy: `127.0.0.1:${ready.proxyPort}`,
    mode: 'embedded',
    stop: () => stopChild(child),
  };
}

/** Sends SIGTERM and waits for the process to exit (SIGKILL after `graceMs`). */
export function stopChild(child: ChildProcess, graceMs = 8_000, group = false): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => signal('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    function signal(name: NodeJS.Signals) {
      try {
        if (group && child.pid) process.kill(-child.pid, name);
        else child.kill(name);
      } catch {
        resolve();
      }
    }
    signal('SIGTERM');
  });
}

export async function waitForOk(url: string, timeoutMs: number, isAlive: () => boolean = () => true): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && isAlive()) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return false;
}
