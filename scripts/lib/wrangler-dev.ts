/**
 * The local Worker for `npm start`, run in its own process by scripts/start.ts: Wrangler's `startWorker` API with the
 * same bindings, persistence and scheduled-handler route as `wrangler dev`, and one switch the CLI lacks — watching
 * the sources can be turned off. Unattended runs (Playwright, benchmarks, CI) turn it off: esbuild's polling watcher
 * rebuilding in the middle of a run killed `wrangler dev` (docs/decisions/e2e.md).
 *
 * Unattended runs also skip Wrangler's dev proxy, which exists to hold requests across reloads: they are served by
 * the front door in front-door.ts, which never reuses a connection to the runtime.
 *
 * Usage: node scripts/lib/wrangler-dev.ts '<json options>' (see DevServerOptions).
 */
import { unstable_DevEnv } from 'wrangler';

import { serveFrontDoor } from './front-door.ts';

export interface DevServerOptions {
  port: number;
  persistTo: string;
  vars: Record<string, string>;
  watch: boolean;
}

const options = JSON.parse(process.argv[2] ?? '{}') as DevServerOptions;
const hostname = '127.0.0.1';

interface ReloadComplete {
  proxyData: { userWorkerUrl: { protocol: string; hostname: string; port: string } };
}

const devEnv = new unstable_DevEnv();
// Emitted once the runtime serves a build; without watching there is exactly one build.
const runtimeOrigin = new Promise<string>((resolve) =>
  devEnv.once('reloadComplete', ({ proxyData: { userWorkerUrl } }: ReloadComplete) =>
    resolve(`${userWorkerUrl.protocol}//${userWorkerUrl.hostname}:${userWorkerUrl.port}`),
  ),
);

const worker = await devEnv.startWorker({
  config: 'wrangler.toml',
  bindings: Object.fromEntries(Object.entries(options.vars).map(([name, value]) => [name, { type: 'plain_text', value }])),
  dev: {
    // With the front door in place, Wrangler's own proxy still starts (the API has no switch) on a port nobody uses.
    server: { hostname, port: options.watch ? options.port : 0 },
    persist: options.persistTo,
    watch: options.watch,
    testScheduled: true,
    inspector: false,
  },
});
await worker.ready;

const frontDoor = options.watch ? undefined : await serveFrontDoor({ hostname, port: options.port, target: await runtimeOrigin });
console.log(`Ready on http://${hostname}:${options.port} (${options.watch ? 'reloading on source changes' : 'sources not watched'})`);

const stop = () => {
  frontDoor?.closeAllConnections();
  frontDoor?.close();
  void worker.dispose().finally(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
