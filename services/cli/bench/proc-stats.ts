// Reading a server process's CPU time and memory from /proc (Linux): utime + stime of the whole
// thread group, resident set size now, and the kernel's own high-water mark. The parsers are
// pure; the readers return undefined once the process is gone (or off Linux).
import { readFileSync } from 'node:fs';

/** USER_HZ is 100 on every Linux this runs on; not worth a `getconf` child per read. */
export const CLOCK_TICKS_PER_SECOND = 100;

/** CPU ms (user + system) from the text of /proc/<pid>/stat. */
export function parseStatCpuMillis(stat: string): number {
  // Field 2, the command name, may hold spaces and parentheses: split after its last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
}

/** A `Vm…:  123 kB` line of /proc/<pid>/status, in bytes. */
export function parseStatusBytes(status: string, field: 'VmRSS' | 'VmHWM'): number | undefined {
  const m = new RegExp(`^${field}:\\s*(\\d+)\\s*kB`, 'm').exec(status);
  return m ? Number(m[1]) * 1024 : undefined;
}

/** Busy CPU ms of the whole machine (every core, every process) from the first line of /proc/stat. */
export function parseMachineBusyMillis(procStat: string): number {
  const [user, nice, system, , , irq, softirq, steal] = procStat.split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  return ((user! + nice! + system! + irq! + softirq! + (steal ?? 0)) * 1000) / CLOCK_TICKS_PER_SECOND;
}

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

export function processCpuMillis(pid: number): number | undefined {
  const s = read(`/proc/${pid}/stat`);
  return s === undefined ? undefined : parseStatCpuMillis(s);
}

export function processRssBytes(pid: number): { rss?: number; hwm?: number } {
  const s = read(`/proc/${pid}/status`);
  return s === undefined ? {} : { rss: parseStatusBytes(s, 'VmRSS'), hwm: parseStatusBytes(s, 'VmHWM') };
}

export function machineBusyMillis(): number | undefined {
  const s = read('/proc/stat');
  return s === undefined ? undefined : parseMachineBusyMillis(s);
}

/** This process (the load generator and the SDK): user + system CPU ms. */
export function ownCpuMillis(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}
