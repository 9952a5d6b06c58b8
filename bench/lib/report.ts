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

/** Replaces (or appends) the section between this benchmark's markers in docs/BENCHMARKS.md. */
export function writeSection(name: string, markdown: string): void {
  const start = `<!-- bench:${name}:start -->`;
  const end = `<!-- bench:${name}:end -->`;
  const section = `${start}\n${markdown.trim()}\n\n_Measured ${new Date().toISOString()} on ${machineDescription()}._\n${end}`;
  let doc = existsSync(FILE) ? readFileSync(FILE, 'utf8') : HEADER;
  const from = doc.indexOf(start);
  const to = doc.indexOf(end);
  doc = from >= 0 && to > from ? doc.slice(0, from) + section + doc.slice(to + end.length) : `${doc.trimEnd()}\n\n${section}\n`;
  writeFileSync(FILE, doc);
  console.log(`wrote the ${name} section of docs/BENCHMARKS.md`);
}

export const ms = (value: number) => `${value.toFixed(1)} ms`;
