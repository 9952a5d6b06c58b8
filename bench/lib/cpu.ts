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

function ownTicks(pid: number): { command: string; ticks: number } {
  try {
    // Fields after the command (which may hold spaces) start at ") "; utime and stime are the 12th and 13th of them.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { command: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')), ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return { command: '?', ticks: 0 };
  }
}

/** CPU seconds used so far by each live process of a tree, by process id (Linux /proc; empty elsewhere). */
export function processTreeCpu(rootPid: number | undefined): Map<number, { command: string; seconds: number }> {
  const byPid = new Map<number, { command: string; seconds: number }>();
  if (rootPid === undefined || process.platform !== 'linux') return byPid;
  const stack = [rootPid];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    if (byPid.has(pid)) continue;
    const { command, ticks } = ownTicks(pid);
    byPid.set(pid, { command, seconds: ticks / TICKS_PER_SECOND });
    stack.push(...children(pid));
  }
  return byPid;
}

/**
 * CPU seconds used so far by a process and all its live descendants (Linux /proc; NaN elsewhere).
 * The difference of two readings is what the shop (database, proxy, wrangler, workerd) spent in
 * between: on a shared machine a steadier measure of the work per order than wall-clock time.
 */
export function processTreeCpuSeconds(rootPid: number | undefined): number {
  if (rootPid === undefined || process.platform !== 'linux') return Number.NaN;
  return [...processTreeCpu(rootPid).values()].reduce((sum, { seconds }) => sum + seconds, 0);
}
