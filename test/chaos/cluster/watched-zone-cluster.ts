// The chaos cluster's zone processes: a LocalZoneCluster that tells kills it was asked for from
// deaths it was not. A zone that exits on its own during a chaos run is a finding (a crash the
// faults provoked), so it is logged with the zone's last log lines, and counted.
import { LocalZoneCluster } from '../../../services/cli/zone/local-zone-cluster.ts';
import type { ZoneReady } from '../../../services/cli/zone/zone-launcher.ts';

/** Log lines of a zone shown when it exits on its own. */
const SHOWN_TAIL_LINES = 8;

export interface UnexpectedExit {
  zone: string;
  how: number | string;
  at: number;
  tail: string[];
}

export class WatchedZoneCluster extends LocalZoneCluster {
  /** Zones whose next exit was asked for (kill or stop). */
  private readonly expected = new Set<string>();
  readonly unexpectedExits: UnexpectedExit[] = [];
  log: (line: string) => void = () => {};

  override start(zone: string): Promise<ZoneReady> {
    const ready = super.start(zone);
    const proc = this.process(zone)!;
    this.expected.delete(zone);
    void proc.exited.then((how) => {
      // A later start replaced this process: its exit is old news.
      if (this.process(zone) !== proc) return;
      if (this.expected.delete(zone)) return;
      const exit = { zone, how, at: Date.now(), tail: proc.logTail().slice(-SHOWN_TAIL_LINES) };
      this.unexpectedExits.push(exit);
      this.log(`${zone} exited on its own (${how}); its last log lines:\n${exit.tail.join('\n')}`);
    });
    return ready;
  }

  override kill(zone: string, signal: NodeJS.Signals = 'SIGKILL'): Promise<number | string> {
    if (this.process(zone)?.running) this.expected.add(zone);
    return super.kill(zone, signal);
  }

  override stop(zone: string): Promise<number | string> {
    if (this.process(zone)?.running) this.expected.add(zone);
    return super.stop(zone);
  }

  override async stopAll(): Promise<void> {
    for (const s of this.specs) if (this.process(s.zone)?.running) this.expected.add(s.zone);
    await super.stopAll();
  }

  override killAllNow(): void {
    for (const s of this.specs) if (this.process(s.zone)?.running) this.expected.add(s.zone);
    super.killAllNow();
  }
}
