import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';

import { ROOT } from '../../scripts/lib/platform.ts';

const FILE = join(ROOT, 'docs/BENCHMARKS.md');
const HEADER = `# Benchmarks

Figures measured on one machine by the \`npm run bench:*\` scripts; each script rewrites its own section.
Everything (load generator, wrangler, workerd, the Neon proxy and the embedded database) shares the same cores,
so database-backed latencies are also given as a ratio to the \`SELECT 1\` route measured in the same run.
`;

export function machineDescription(): string {
  const cpus = os.cpus();
  return `${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, ${os.type()} ${os.release()}, Node ${process.version}`;
}

/**
 * Replaces the section between this benchmark's markers in docs/BENCHMARKS.md, or adds it: at the end,
 * or with `atTop` right after the file's header (before the first section).
 */
export function writeSection(name: string, markdown: string, options: { atTop?: boolean } = {}): void {
  const start = `<!-- bench:${name}:start -->`;
  const end = `<!-- bench:${name}:end -->`;
  const load = os.loadavg()[0]!.toFixed(1);
  const section = `${start}\n${markdown.trim()}\n\n_Measured ${new Date().toISOString()} on ${machineDescription()}; 1-minute load average ${load} when written._\n${end}`;
  let doc = existsSync(FILE) ? readFileSync(FILE, 'utf8') : HEADER;
  const from = doc.indexOf(start);
  const to = doc.indexOf(end);
  if (from >= 0 && to > from) doc = doc.slice(0, from) + section + doc.slice(to + end.length);
  else if (options.atTop && doc.includes('<!-- bench:')) {
    const first = doc.indexOf('<!-- bench:');
    doc = `${doc.slice(0, first)}${section}\n\n${doc.slice(first)}`;
  } else doc = `${doc.trimEnd()}\n\n${section}\n`;
  writeFileSync(FILE, doc);
  console.log(`wrote the ${name} section of docs/BENCHMARKS.md`);
}

export const ms = (value: number) => (Number.isFinite(value) ? `${value.toFixed(1)} ms` : '—');

export interface SummaryEntry {
  name: string;
  /** Our headline figure, as printed. */
  figure: string;
  /** The seed's published figure or '—'. */
  seed: string;
  goal: string;
  /** null when the benchmark has no pass/fail goal. */
  met: boolean | null;
}

export const SUMMARY_PREFIX = 'BENCH-SUMMARY ';

/** Prints the one line `npm run bench` (bench/all.ts) collects into the summary table. */
export function reportSummary(entry: SummaryEntry): void {
  console.log(`${SUMMARY_PREFIX}${JSON.stringify(entry)}`);
}
