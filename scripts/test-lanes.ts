/**
 * `vitest run` as two processes side by side (`npm test` uses it; `npm run test:unit` alone). One Vitest process
 * runs its files one after another on a 2-core machine (its default `maxWorkers` is cores − 1), so a second core
 * sat mostly idle. Files of one Workers project must not run at the same time against the same database, so the
 * split is between processes, each with its own global setup (its own PGlite or PostgreSQL and Neon proxy) — never
 * `maxWorkers: 2` inside one. Extra arguments go to every lane (e.g. `-- --reporter=verbose`).
 *
 * Lanes are balanced by measured time (docs/decisions/tests.md): the `workers` project is split by file, its
 * write-route fuzz (a third of its time) going beside the real-PostgreSQL project and the small ones.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** The write-route fuzz files: a glob for `--exclude`, a file-name filter to run only them. */
const FUZZ_GLOB = 'test/security/fuzz-write-routes-*.test.ts';
const FUZZ_FILTER = 'test/security/fuzz-write-routes-';

/** Each lane runs its Vitest commands one after another; the lanes run side by side. */
export const LANES: Record<string, string[][]> = {
  workers: [['--project', 'workers', '--exclude', FUZZ_GLOB]],
  'pg-fuzz': [
    ['--project', 'workers-pg', '--project', 'node', '--project', 'web'],
    ['--project', 'workers', FUZZ_FILTER],
  ],
};

const vitest = join(import.meta.dirname, '../node_modules/.bin/vitest');
const extra = process.argv.slice(2);
const REPORT_DIR = process.env.VITEST_LANES_REPORT_DIR;
const children: ChildProcess[] = [];

function runVitest(name: string, args: string[]): Promise<number> {
  const child = spawn(vitest, ['run', ...args, ...extra], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: process.env.FORCE_COLOR ?? (process.stdout.isTTY ? '1' : '0') } });
  children.push(child);
  const prefix = `[${name}] `;
  for (const [stream, out] of [
    [child.stdout!, process.stdout],
    [child.stderr!, process.stderr],
  ] as const) {
    createInterface({ input: stream }).on('line', (line) => out.write(`${prefix}${line}\n`));
  }
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
}

async function runLane(name: string, commands: string[][]): Promise<number> {
  let failed = 0;
  for (const [i, args] of commands.entries()) {
    // A JSON report per command, for measuring the lanes (docs/decisions/tests.md).
    const report = REPORT_DIR ? ['--reporter=default', '--reporter=json', `--outputFile.json=${join(REPORT_DIR, `${name}-${i + 1}.json`)}`] : [];
    const code = await runVitest(name, [...args, ...report]);
    failed ||= code;
  }
  return failed;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    for (const child of children) child.kill(signal);
  });
}

const started = Date.now();
const codes = await Promise.all(Object.entries(LANES).map(([name, commands]) => runLane(name, commands)));
const failed = Object.keys(LANES).filter((_, i) => codes[i] !== 0);
console.log(`\nvitest lanes finished in ${((Date.now() - started) / 1000).toFixed(0)} s${failed.length ? `; failed: ${failed.join(', ')}` : ''}`);
process.exit(failed.length ? 1 : 0);
