// What a run was measured on, for reports: a 2-core machine shared with other work reads very
// differently from a quiet one, so the load average goes in at start and end.
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg, release, totalmem } from 'node:os';

export interface MachineDescription {
  cores: number;
  cpu: string;
  memoryGiB: number;
  node: string;
  kernel: string;
  /** 1, 5 and 15 minute load averages. */
  loadAverage: [number, number, number];
}

function cpuModel(): string {
  try {
    return /^model name\s*:\s*(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? 'unknown CPU';
  } catch {
    return 'unknown CPU';
  }
}

export function describeMachine(): MachineDescription {
  const [a, b, c] = loadavg();
  return {
    cores: availableParallelism(), cpu: cpuModel(), memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version, kernel: release(), loadAverage: [a!, b!, c!].map((x) => Math.round(x * 100) / 100) as [number, number, number],
  };
}

export function machineLine(m: MachineDescription): string {
  return `${m.cores} cores (${m.cpu}), ${m.memoryGiB} GiB RAM, Node ${m.node}, Linux ${m.kernel}`;
}

export function loadLine(load: readonly number[]): string {
  return load.map((l) => l.toFixed(2)).join(' ');
}
