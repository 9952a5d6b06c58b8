/**
 * `npm run bench`: every benchmark in sequence, each in its own process (`npm run bench:<name>`, so
 * each starts and stops its own instance), then a summary printed and written at the top of
 * docs/BENCHMARKS.md: benchmark, our figure, the seed's published figure, goal, met?.
 * `bench:saga` and `bench:web` run too when package.json has them. Load phases are 10 s
 * (`BENCH_SECONDS`), the login load keeps its 20 s (`BENCH_LOGIN_SECONDS`), so the whole run stays under
 * 10 minutes on a 2-core machine. A failing benchmark is reported and the others still run.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

import { ROOT } from '../scripts/lib/platform.ts';
import { machineDescription, SUMMARY_PREFIX, writeSection, type SummaryEntry } from './lib/report.ts';

const ORDER = ['platform', 'login', 'stock', 'cart', 'search', 'suggest', 'relevance', 'saga', 'web'];

const scripts = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
const names = ORDER.filter((name) => scripts[`bench:${name}`]);
const env = { ...process.env, BENCH_SECONDS: process.env.BENCH_SECONDS ?? '10', BENCH_LOGIN_SECONDS: process.env.BENCH_LOGIN_SECONDS ?? '20' };

function run(name: string): Promise<{ code: number; summaries: SummaryEntry[]; seconds: number }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '--silent', `bench:${name}`], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const summaries: SummaryEntry[] = [];
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.startsWith(SUMMARY_PREFIX)) summaries.push(JSON.parse(line.slice(SUMMARY_PREFIX.length)) as SummaryEntry);
      else console.log(`  ${name} │ ${line}`);
    });
    child.once('exit', (code) => resolve({ code: code ?? 1, summaries, seconds: (performance.now() - started) / 1000 }));
  });
}

const rows: SummaryEntry[] = [];
const timings: string[] = [];
const started = performance.now();
for (const name of names) {
  console.log(`\n=== bench:${name} ===`);
  const result = await run(name);
  timings.push(`${name} ${result.seconds.toFixed(0)} s${result.code === 0 ? '' : ` (exit ${result.code})`}`);
  if (result.summaries.length > 0) rows.push(...result.summaries);
  else rows.push({ name, figure: result.code === 0 ? 'see its section' : `failed (exit ${result.code})`, seed: '—', goal: '—', met: result.code === 0 ? null : false });
}
const totalSeconds = (performance.now() - started) / 1000;

const mark = (met: boolean | null) => (met === null ? '—' : met ? '✅' : '❌');
console.log('\nSummary');
for (const row of rows) console.log(`  ${row.name.padEnd(9)} ${mark(row.met)}  ${row.figure}   (goal: ${row.goal}; seed: ${row.seed})`);
console.log(`  ran ${timings.join(', ')}; total ${totalSeconds.toFixed(0)} s on ${machineDescription()}`);

writeSection(
  'summary',
  `## Summary (\`npm run bench\`)

| benchmark | our figure | seed's figure | goal | met? |
|---|---|---|---|---|
${rows.map((row) => `| \`bench:${row.name}\` | ${row.figure} | ${row.seed} | ${row.goal} | ${mark(row.met)} |`).join('\n')}

One run of every \`bench:*\` script in sequence (${timings.join(', ')}; total ${totalSeconds.toFixed(0)} s). The seed's figures come from a
different machine and stack (M1 laptop, Docker); the sections below give each figure's conditions.`,
  { atTop: true },
);
if (rows.some((row) => row.figure.startsWith('failed'))) process.exitCode = 1;
