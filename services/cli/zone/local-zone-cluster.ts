// The zone processes of one local cluster, by zone name: start (again, on the same spec — a
// restarted zone comes back at the addresses its peers know), kill, stop. Used by `zonestore up`
// and the cluster tests.
import { join } from 'node:path';
import { loadOrCreateRootCredentials, type RootCredentials } from '../../gateway/credentials/root-credentials.ts';
import { ZoneProcess, type ZoneReady } from './zone-launcher.ts';
import type { ZoneSpec } from './zone-layout.ts';

export interface LocalZoneClusterOptions {
  /** More zone-main.ts flags for every zone. */
  extraArgs?: string[];
  env?: NodeJS.ProcessEnv;
  /** Start every zone with its control channel (see ZoneProcess.control). */
  control?: boolean;
}

export class LocalZoneCluster {
  private readonly procs = new Map<string, ZoneProcess>();

  constructor(readonly specs: readonly ZoneSpec[], private readonly opts: LocalZoneClusterOptions = {}) {}

  get metaApiAddresses(): string[] {
    return this.specs.map((s) => s.metaApiAddress);
  }

  spec(zone: string): ZoneSpec {
    const s = this.specs.find((x) => x.zone === zone);
    if (!s) throw new Error(`no zone ${zone}`);
    return s;
  }

  /** The zone's log: stderr of every run, appended. */
  logFile(zone: string): string {
    return join(this.spec(zone).dataDir, 'zone.log');
  }

  process(zone: string): ZoneProcess | undefined {
    return this.procs.get(zone);
  }

  /** Starts `zone` (again) and waits until it serves. */
  start(zone: string): Promise<ZoneReady> {
    if (this.procs.get(zone)?.running) throw new Error(`${zone} is already running`);
    const p = ZoneProcess.start(this.spec(zone), {
      logFile: this.logFile(zone), extraArgs: this.opts.extraArgs, env: this.opts.env, control: this.opts.control,
    });
    this.procs.set(zone, p);
    return p.ready;
  }

  /**
   * The cluster's root key: created (or taken from the environment) before any zone starts, so
   * every zone reads the same one.
   */
  rootCredentials(): { credentials: RootCredentials; created: boolean } {
    const file = this.specs[0]!.credentialsFile;
    return loadOrCreateRootCredentials(file, this.opts.env ?? process.env);
  }

  /** Starts every zone at once (they find each other); fails if any zone fails. */
  startAll(): Promise<ZoneReady[]> {
    this.rootCredentials();
    return Promise.all(this.specs.map((s) => this.start(s.zone)));
  }

  kill(zone: string, signal: NodeJS.Signals = 'SIGKILL'): Promise<number | string> {
    return this.procs.get(zone)?.kill(signal) ?? Promise.resolve('not running');
  }

  stop(zone: string): Promise<number | string> {
    return this.procs.get(zone)?.stop() ?? Promise.resolve('not running');
  }

  /** SIGTERM to every zone, SIGKILL after the grace period; safe to call any time, repeatedly. */
  async stopAll(): Promise<void> {
    await Promise.all([...this.procs.values()].map((p) => p.stop()));
  }

  /** Synchronous last resort for exit handlers: SIGKILL whatever still runs. */
  killAllNow(): void {
    for (const p of this.procs.values()) if (p.running) p.child.kill('SIGKILL');
  }
}
