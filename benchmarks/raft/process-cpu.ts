// CPU time of other processes, read from /proc/<pid>/stat (utime + stime of the whole thread
// group), so the servers' and the load clients' cost can be compared in "% of one core".
import { readFileSync, readdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

let clockTicksPerSecond: number | undefined;

function ticksPerSecond(): number {
  if (clockTicksPerSecond === undefined) {
    try {
      clockTicksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicksPerSecond = 100; // the Linux default (USER_HZ)
    }
  }
  return clockTicksPerSecond;
}

/** utime + stime of `pid` in milliseconds; 0 when the process is gone. */
export function cpuMillis(pid: number): number {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return 0;
  }
  // The command name (field 2) may contain spaces and parens, so split after its closing ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state); utime is field 14 and stime field 15.
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) * 1000) / ticksPerSecond();
}

export type CpuSnapshot = Map<number, number>;

export function snapshotCpu(pids: readonly number[]): CpuSnapshot {
  return new Map(pids.map((pid) => [pid, cpuMillis(pid)]));
}

/** Percent of one core used by each pid between two snapshots taken `elapsedMs` apart. */
export function cpuPercentBetween(before: CpuSnapshot, after: CpuSnapshot, elapsedMs: number): Map<number, number> {
  const result = new Map<number, number>();
  for (const [pid, startMs] of before) {
    // A process that died in between reads as 0: count what we saw rather than going negative.
    const endMs = Math.max(after.get(pid) ?? startMs, startMs);
    result.set(pid, elapsedMs > 0 ? ((endMs - startMs) / elapsedMs) * 100 : 0);
  }
  return result;
}

/**
 * Milliseconds the threads of `pid` spent runnable but waiting for a CPU (from
 * /proc/<pid>/task/<tid>/schedstat). On a 2-core box shared with other work this, not CPU
 * use, is what explains a mostly idle server with high latency.
 */
export function runQueueWaitMillis(pid: number): number {
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return 0;
  }
  let waitNs = 0;
  for (const tid of tids) {
    try {
      waitNs += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[1]);
    } catch {
      // the thread ended between readdir and read
    }
  }
  return waitNs / 1e6;
}

/** CPU milliseconds the whole machine spent busy (all cores, every process), from /proc/stat. */
export function machineBusyMillis(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
  return ((user! + nice! + system! + irq! + softirq! + (steal ?? 0)) * 1000) / ticksPerSecond();
}
