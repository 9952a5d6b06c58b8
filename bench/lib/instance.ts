import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

import { assertPortFree, readDevVars, ROOT, stopChild, waitForOk } from '../../scripts/lib/platform.ts';
import type { AppEnv } from '../../workers/env.ts';
import { signAccessToken, type AccessClaims } from '../../workers/identity/tokens.ts';

export interface Instance {
  baseUrl: string;
  /** `postgres://` URL of the instance's embedded database (its PG_PORT), for direct SQL from a benchmark. */
  databaseUrl: string;
  /** Process id of the instance's root process (its tree holds the database, the proxy and workerd). */
  pid: number | undefined;
  /** Milliseconds from spawning `npm start`'s script to the first 200 on /health/ready. */
  readyMs: number;
  stop(): Promise<void>;
  /** Signs an access token with the key the instance verifies (`.dev.vars`, written by `npm start`), as a login would. */
  signToken(claims: AccessClaims): Promise<string>;
}

/**
 * Starts the shop exactly as `npm start` does (scripts/start.ts) on benchmark ports, so benchmarks
 * never collide with a developer's running instance. `env` adds or overrides variables.
 */
export async function startInstance(options: { dataDir: string; port?: number; env?: Record<string, string> }): Promise<Instance> {
  const port = options.port ?? 8797;
  const pgPort = Number(options.env?.PG_PORT ?? port + 10);
  // A previous instance that has not quite gone would otherwise answer /health/ready for this one.
  if (!(await waitForPortFree(port, 30_000)) || !(await waitForPortFree(pgPort, 30_000))) {
    throw new Error(`port ${port} or ${pgPort} is still in use: stop whatever listens there first`);
  }
  const started = performance.now();
  const child: ChildProcess = spawn(process.execPath, [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), join(ROOT, 'scripts/start.ts')], {
    cwd: ROOT,
    // Its own process group, so stop() signals the tsx wrapper, scripts/start.ts and the database together
    // (start.ts then stops wrangler, which it runs in a group of its own).
    detached: true,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { READY_TIMEOUT_MS: '240000', ...process.env, PORT: String(port), PG_PORT: String(pgPort), NEON_PROXY_PORT: String(port + 11), DATA_DIR: options.dataDir, ...options.env },
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  const ok = await waitForOk(`${baseUrl}/health/ready`, 300_000, () => child.exitCode === null);
  const readyMs = performance.now() - started;
  const stop = async () => {
    await stopChild(child, 45_000, true);
    if (!(await waitForPortFree(port, 30_000))) console.error(`warning: port ${port} is still in use after stopping the instance`);
  };
  if (!ok) {
    await stop();
    throw new Error('the instance did not become ready');
  }
  const signToken = (claims: AccessClaims) => signAccessToken({ JWT_PRIVATE_KEY: readDevVars().JWT_PRIVATE_KEY } as AppEnv, claims);
  const databaseUrl = `postgres://postgres:postgres@127.0.0.1:${pgPort}/postgres`;
  return { baseUrl, databaseUrl, pid: child.pid, readyMs, stop, signToken };
}

async function waitForPortFree(port: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const free = await assertPortFree(port, 'port').then(
      () => true,
      () => false,
    );
    if (free || Date.now() > deadline) return free;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
