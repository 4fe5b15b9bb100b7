// What the numbers were measured on, printed with every run so RESULTS.md can quote it.
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';

export interface MachineInfo {
  nproc: number;
  cpuModel: string;
  node: string;
  v8: string;
  date: string;
  loadAverage: string;
}

export function machineInfo(): MachineInfo {
  let cpuModel = 'unknown';
  try {
    cpuModel = /^model name\s*:\s*(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpuModel;
  } catch { /* not Linux */ }
  return {
    nproc: availableParallelism(),
    cpuModel,
    node: process.version,
    v8: process.versions.v8,
    date: new Date().toISOString(),
    loadAverage: loadavg().map((l) => l.toFixed(2)).join(' '),
  };
}
