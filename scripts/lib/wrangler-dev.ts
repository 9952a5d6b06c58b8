/**
 * The local Worker for `npm start`, run in its own process by scripts/start.ts: Wrangler's `startWorker` API with the
 * same bindings, persistence and scheduled-handler route as `wrangler dev`, and one switch the CLI lacks — watching
 * the sources can be turned off. Unattended runs (Playwright, benchmarks, CI) turn it off: esbuild's polling watcher
 * rebuilding in the middle of a run killed `wrangler dev` (docs/decisions/e2e.md).
 *
 * Usage: node scripts/lib/wrangler-dev.ts '<json options>' (see DevServerOptions).
 */
import { unstable_startWorker } from 'wrangler';

export interface DevServerOptions {
  port: number;
  persistTo: string;
  vars: Record<string, string>;
  watch: boolean;
}

const options = JSON.parse(process.argv[2] ?? '{}') as DevServerOptions;

const worker = await unstable_startWorker({
  config: 'wrangler.toml',
  bindings: Object.fromEntries(Object.entries(options.vars).map(([name, value]) => [name, { type: 'plain_text', value }])),
  dev: {
    server: { hostname: '127.0.0.1', port: options.port },
    persist: options.persistTo,
    watch: options.watch,
    testScheduled: true,
    inspector: false,
  },
});
await worker.ready;
console.log(`Ready on http://127.0.0.1:${options.port} (${options.watch ? 'reloading on source changes' : 'sources not watched'})`);

const stop = () => void worker.dispose().finally(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
