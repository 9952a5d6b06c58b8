/**
 * `npm run bench:web`: builds the SPA and reports, per route, the gzip size of the JavaScript and CSS a first visit
 * downloads — the entry (with its static imports) plus the route's lazy chunk (with the static imports it adds).
 * Goal: < 180 KiB of first-load JS (gzip) on every route. Writes the web section of docs/BENCHMARKS.md.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

import { build, type Manifest } from 'vite';

import { ROOT } from '../scripts/lib/platform.ts';
import { writeSection } from './lib/report.ts';

const GOAL_KIB = 180;
const ENTRY = 'index.html';

const outDir = mkdtempSync(join(os.tmpdir(), 'shop-bench-web-'));
try {
  console.log('building the SPA…');
  await build({
    configFile: join(ROOT, 'web/vite.config.ts'),
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true, manifest: true },
  });
  const manifest = JSON.parse(readFileSync(join(outDir, '.vite/manifest.json'), 'utf8')) as Manifest;
  const gzipKiB = (file: string) => gzipSync(readFileSync(join(outDir, file)), { level: 9 }).length / 1024;

  /** A chunk and everything it imports statically: what the browser must fetch before the chunk runs. */
  const closure = (key: string, seen = new Set<string>()): Set<string> => {
    if (seen.has(key)) return seen;
    seen.add(key);
    for (const dep of manifest[key]?.imports ?? []) closure(dep, seen);
    return seen;
  };
  const files = (keys: Set<string>, kind: 'js' | 'css') =>
    new Set([...keys].flatMap((key) => (kind === 'js' ? [manifest[key]!.file] : (manifest[key]?.css ?? []))));
  const size = (set: Set<string>) => [...set].reduce((sum, file) => sum + gzipKiB(file), 0);

  const entryKeys = closure(ENTRY);
  const entryJs = files(entryKeys, 'js');
  const entryCss = files(entryKeys, 'css');

  // Route paths come from the lazy imports of the route tables, e.g. `{ path: 'cart', lazy: () => import('@/app/routes/shop/cart') }`.
  // The operator console's table is a lazy chunk itself: its pages also download the table, the guard and the layout.
  const tables = [
    { file: 'web/src/app/router.tsx', extra: [] },
    { file: 'web/src/app/routes/admin/routes.ts', extra: ['routes.ts', 'guard.tsx', 'layout.tsx'].map((f) => `src/app/routes/admin/${f}`) },
  ];
  const routes = tables.flatMap(({ file, extra }) =>
    [...readFileSync(join(ROOT, file), 'utf8').matchAll(/(?:path: '([^']*)'|index: true), lazy: \(\) => import\('@\/app\/routes\/([^']+)'\)/g)].map(([, path, module]) => ({
      path: path === undefined ? '/' : path === '*' ? '(404)' : path.startsWith('/') ? path : `/${path}`,
      keys: [`src/app/routes/${module}.tsx`, ...extra],
    })),
  );
  if (!routes.some((r) => r.path.startsWith('/admin/'))) throw new Error('no console pages found in the route tables');

  const rows = routes.map(({ path, keys }) => {
    const missing = keys.find((key) => !manifest[key]);
    if (missing) throw new Error(`no chunk for ${missing} in the build manifest`);
    const routeKeys = new Set(keys.flatMap((key) => [...closure(key)]));
    const js = new Set([...entryJs, ...files(routeKeys, 'js')]);
    const css = new Set([...entryCss, ...files(routeKeys, 'css')]);
    return { path, js: size(js), css: size(css), routeOnly: size(new Set([...js].filter((f) => !entryJs.has(f)))) };
  });

  const entrySize = size(entryJs);
  const worst = Math.max(...rows.map((r) => r.js));
  for (const row of rows) console.log(`  ${row.path.padEnd(28)} JS ${row.js.toFixed(1)} KiB (route +${row.routeOnly.toFixed(1)}), CSS ${row.css.toFixed(1)} KiB`);
  console.log(`largest first-load JS: ${worst.toFixed(1)} KiB gzip (goal < ${GOAL_KIB} KiB)`);

  writeSection(
    'web',
    `## Web (\`npm run bench:web\`)

First-load size of each route: the entry chunk (React, router, TanStack Query, the chrome) with its static imports,
plus the route's lazy chunk and the shared chunks it adds (for the console's pages, also its lazily discovered route
table, guard and layout); gzip level 9. Goal: < ${GOAL_KIB} KiB of JavaScript on every route.

Entry alone: ${entrySize.toFixed(1)} KiB JS, ${size(entryCss).toFixed(1)} KiB CSS. Largest route: ${worst.toFixed(1)} KiB JS ${worst < GOAL_KIB ? '✅' : '❌'}.

| route | first-load JS (gzip) | of which route chunks | CSS (gzip) |
|---|---|---|---|
${rows.map((r) => `| \`${r.path}\` | ${r.js.toFixed(1)} KiB | ${r.routeOnly.toFixed(1)} KiB | ${r.css.toFixed(1)} KiB |`).join('\n')}`,
  );
  if (worst >= GOAL_KIB) process.exitCode = 1;
} finally {
  rmSync(outDir, { recursive: true, force: true });
}
