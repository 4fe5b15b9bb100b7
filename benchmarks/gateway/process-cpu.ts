// CPU time of server processes from /proc/<pid>/stat (utime + stime of the whole thread group),
// so each cell can say how much server CPU an operation cost: on a shared 2-core machine that
// holds up better than throughput does, and it shows where zonestore spends its time.
import { readFileSync } from 'node:fs';

/** USER_HZ: 100 on every Linux this runs on; not worth a getconf child per read. */
const CLOCK_TICKS_PER_SECOND = 100;

/** utime + stime of `pid` in milliseconds; 0 when the process is gone (or not on Linux). */
export function cpuMillis(pid: number): number {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return 0;
  }
  // The command name (field 2) may hold spaces and parens, so split after its closing ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
}

/** This process's own CPU (the load generator and the SDK), in milliseconds. */
export function ownCpuMillis(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** CPU milliseconds the whole machine spent busy (all cores, every process), from /proc/stat. */
export function machineBusyMillis(): number {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
    return ((user! + nice! + system! + irq! + softirq! + (steal ?? 0)) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}
