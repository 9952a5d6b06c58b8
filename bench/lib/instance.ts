import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

import { readDevVars, ROOT, stopChild, waitForOk } from '../../scripts/lib/platform.ts';
import type { AppEnv } from '../../workers/env.ts';
import { signAccessToken, type AccessClaims } from '../../workers/identity/tokens.ts';

export interface Instance {
  baseUrl: string;
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
  const started = performance.now();
  const child: ChildProcess = spawn(process.execPath, [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), join(ROOT, 'scripts/start.ts')], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, PORT: String(port), PG_PORT: String(port + 10), NEON_PROXY_PORT: String(port + 11), DATA_DIR: options.dataDir, ...options.env },
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  const ok = await waitForOk(`${baseUrl}/health/ready`, 120_000, () => child.exitCode === null);
  const readyMs = performance.now() - started;
  if (!ok) {
    await stopChild(child);
    throw new Error('the instance did not become ready');
  }
  const signToken = (claims: AccessClaims) => signAccessToken({ JWT_PRIVATE_KEY: readDevVars().JWT_PRIVATE_KEY } as AppEnv, claims);
  return { baseUrl, readyMs, stop: () => stopChild(child, 20_000), signToken };
}
