import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

import { ROOT } from './lib/platform.ts';

const DIST = join(ROOT, 'web/dist');
const SOURCES = ['web/src', 'web/public', 'web/index.html', 'web/vite.config.ts', 'contract'].map((path) => join(ROOT, path));
const SCALAR = join(ROOT, 'node_modules/@scalar/api-reference/dist/browser/standalone.js');

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

/** True when web/dist is missing or older than any SPA source, so `npm start` only rebuilds when needed. */
export function webBuildIsStale(): boolean {
  const index = join(DIST, 'index.html');
  if (!existsSync(index) || !existsSync(join(DIST, 'vendor/scalar/standalone.js'))) return true;
  return Math.max(...SOURCES.map(newestMtime)) > statSync(index).mtimeMs;
}

/** Builds the SPA into web/dist and adds the API reference UI's script, served by the shop itself. */
export function buildWeb(): void {
  const result = spawnSync(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error('the SPA build failed (see the output above)');
  mkdirSync(join(DIST, 'vendor/scalar'), { recursive: true });
  copyFileSync(SCALAR, join(DIST, 'vendor/scalar/standalone.js'));
}

if (import.meta.url === `file://${process.argv[1]}`) buildWeb();
