import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100;

function children(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((task) =>
      readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8')
        .trim()
        .split(/\s+/)
        .filter(Boolean)
        .map(Number),
    );
  } catch {
    return [];
  }
}

function ownTicks(pid: number): number {
  try {
    // Fields after the command (which may hold spaces) start at ") "; utime and stime are the 12th and 13th of them.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

/**
 * CPU seconds used so far by a process and all its live descendants (Linux /proc; NaN elsewhere).
 * The difference of two readings is what the shop (database, proxy, wrangler, workerd) spent in
 * between: on a shared machine a steadier measure of the work per order than wall-clock time.
 */
export function processTreeCpuSeconds(rootPid: number | undefined): number {
  if (rootPid === undefined || process.platform !== 'linux') return Number.NaN;
  let ticks = 0;
  const seen = new Set<number>();
  const stack = [rootPid];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    if (seen.has(pid)) continue;
    seen.add(pid);
    ticks += ownTicks(pid);
    stack.push(...children(pid));
  }
  return ticks / TICKS_PER_SECOND;
}
