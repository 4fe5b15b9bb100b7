// CPU and memory of a target's server processes while it is measured: CPU is read at the start
// and end of each slice and summed over the slices (a target is idle while the other runs, and
// that idle time must not dilute its figure); RSS is polled during slices for its peak.
import { machineBusyMillis, ownCpuMillis, processCpuMillis, processRssBytes } from './proc-stats.ts';

/** How often resident memory is read during a slice: a peak shorter than this can be missed. */
export const RSS_POLL_MS = 250;

export interface ServerProcess {
  name: string;
  pid: number;
}

export interface ServerUsage {
  name: string;
  pid: number;
  cpuMs: number;
  /** Highest resident set seen while measured. */
  peakRssBytes: number;
  /** The kernel's lifetime peak (VmHWM), read at the end: includes preparation. */
  lifetimePeakRssBytes: number;
}

export interface SliceUsage {
  clientCpuMs: number;
  /** CPU of every process outside this benchmark: other users of a shared machine. */
  othersCpuMs: number;
}

export class ServerSampler {
  readonly usage: ServerUsage[];
  clientCpuMs = 0;
  othersCpuMs = 0;
  private timer: NodeJS.Timeout | undefined;
  private before: { cpu: Array<number | undefined>; client: number; machine?: number; all: Array<number | undefined> } | undefined;

  /**
   * `servers`: this target's processes; `allBenchmarkPids`: every server process of the run
   * (all targets), so the machine's remaining CPU can be charged to "others".
   */
  constructor(servers: readonly ServerProcess[], private readonly allBenchmarkPids: () => readonly number[]) {
    this.usage = servers.map((s) => ({ ...s, cpuMs: 0, peakRssBytes: 0, lifetimePeakRssBytes: 0 }));
  }

  startSlice(): void {
    this.before = {
      cpu: this.usage.map((u) => processCpuMillis(u.pid)), client: ownCpuMillis(), machine: machineBusyMillis(),
      all: this.allBenchmarkPids().map(processCpuMillis),
    };
    this.pollRss();
    this.timer = setInterval(() => this.pollRss(), RSS_POLL_MS);
    this.timer.unref();
  }

  endSlice(): void {
    clearInterval(this.timer);
    const b = this.before;
    if (!b) return;
    this.before = undefined;
    this.pollRss();
    this.usage.forEach((u, i) => { u.cpuMs += Math.max(0, (processCpuMillis(u.pid) ?? b.cpu[i] ?? 0) - (b.cpu[i] ?? 0)); });
    const client = ownCpuMillis() - b.client;
    this.clientCpuMs += client;
    const machine = machineBusyMillis();
    if (machine !== undefined && b.machine !== undefined) {
      const servers = this.allBenchmarkPids().reduce((s, pid, i) => s + Math.max(0, (processCpuMillis(pid) ?? 0) - (b.all[i] ?? 0)), 0);
      this.othersCpuMs += Math.max(0, machine - b.machine - client - servers);
    }
  }

  private pollRss(): void {
    for (const u of this.usage) {
      const { rss, hwm } = processRssBytes(u.pid);
      if (rss !== undefined) u.peakRssBytes = Math.max(u.peakRssBytes, rss);
      if (hwm !== undefined) u.lifetimePeakRssBytes = Math.max(u.lifetimePeakRssBytes, hwm);
    }
  }
}
