// The zone processes of one local cluster, by zone name: start (again, on the same spec — a
// restarted zone comes back at the addresses its peers know), kill, stop. Used by `zonestore up`
// and the cluster tests.
import { dirname, join } from 'node:path';
import {
  ensureGatewayCertificate, ensureInternalCertificate, readTlsMaterial, useInternalTls, type TlsFiles,
} from '../../common/tls/index.ts';
import { loadOrCreateRootCredentials, type RootCredentials } from '../../gateway/credentials/root-credentials.ts';
import { loadOrCreateKmsRootKey } from '../../kms/root-key-file.ts';
import { ZoneProcess, type ZoneReady } from './zone-launcher.ts';
import type { ZoneSpec } from './zone-layout.ts';

export interface LocalZoneClusterOptions {
  /** More zone-main.ts flags for every zone. */
  extraArgs?: string[];
  env?: NodeJS.ProcessEnv;
  /** Start every zone with its control channel (see ZoneProcess.control). */
  control?: boolean;
  /**
   * TLS (`zonestore up` turns it on; default off for the test fixtures): the cluster CA and certificates are created in `tlsDir` on first start;
   * internal gRPC is mutual TLS, each gateway also serves HTTPS. false: everything insecure.
   */
  tls?: boolean;
  /** HTTPS port of each zone's gateway, in zone order (default 0: any free port). */
  gatewayHttpsPorts?: number[];
  /** false: the gateways serve HTTPS only. */
  plainHttp?: boolean;
  /** Access-log delivery interval of every zone's gateway (default: zone-main's, hourly). */
  accessLogIntervalMs?: number;
  /** The audit bucket (zone-main --audit-bucket). */
  auditBucket?: string;
}

/** The name of the certificate this launcher (and the test process) uses as a gRPC client. */
export const LAUNCHER_CERT_NAME = 'launcher';

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

  get tlsEnabled(): boolean {
    return this.opts.tls ?? false;
  }

  /** The cluster's TLS material (next to the root credentials): ca.pem is what clients trust. */
  get tlsDir(): string {
    return join(dirname(this.specs[0]!.credentialsFile), 'tls');
  }

  get caFile(): string {
    return join(this.tlsDir, 'ca.pem');
  }

  /**
   * Creates what is missing: the CA, the gateways' HTTPS certificate (localhost, 127.0.0.1, every
   * zone address), one internal certificate per zone and one for this launcher, which it installs
   * for this process's own gRPC clients (health checks, tests' MetaClients).
   */
  prepareTls(): { created: boolean; launcher: TlsFiles } | undefined {
    if (!this.tlsEnabled) return undefined;
    const hosts = [...new Set(this.specs.map((s) => s.host))];
    const gw = ensureGatewayCertificate(this.tlsDir, [...new Set(['localhost', '127.0.0.1', '::1', ...hosts])]);
    for (const s of this.specs) ensureInternalCertificate(this.tlsDir, s.zone, [s.host]);
    const launcher = ensureInternalCertificate(this.tlsDir, LAUNCHER_CERT_NAME);
    useInternalTls(readTlsMaterial(launcher));
    return { created: gw.created, launcher };
  }

  private tlsArgs(spec: ZoneSpec, index: number): string[] {
    if (!this.tlsEnabled) return [];
    this.prepareTls();
    const internal = ensureInternalCertificate(this.tlsDir, spec.zone, [spec.host]);
    const gw = ensureGatewayCertificate(this.tlsDir, []);
    return [
      '--tls-ca', internal.caFile, '--tls-cert', internal.certFile, '--tls-key', internal.keyFile,
      '--gateway-tls-cert', gw.certFile, '--gateway-tls-key', gw.keyFile,
      '--gateway-https-port', String(this.opts.gatewayHttpsPorts?.[index] ?? 0),
      ...(this.opts.plainHttp === false ? ['--no-gateway-http'] : []),
    ];
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
    const spec = this.spec(zone);
    this.kmsRootKey();
    const extraArgs = [...(this.opts.extraArgs ?? []), ...this.tlsArgs(spec, this.specs.indexOf(spec)), '--kms-root-key-file', this.kmsRootKeyFile,
      ...(this.opts.accessLogIntervalMs ? ['--access-log-interval-ms', String(this.opts.accessLogIntervalMs)] : []),
      ...(this.opts.auditBucket ? ['--audit-bucket', this.opts.auditBucket] : [])];
    const p = ZoneProcess.start(spec, {
      logFile: this.logFile(zone), extraArgs, env: this.opts.env, control: this.opts.control,
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

  /** The KMS root key's file, next to the root credentials (<data-dir>/kms/root.key). */
  get kmsRootKeyFile(): string {
    return join(dirname(this.specs[0]!.credentialsFile), 'kms', 'root.key');
  }

  /** The cluster's KMS root key, created on first use: every zone's gateway is handed the same file. */
  kmsRootKey(): { file: string; created: boolean } {
    return { file: this.kmsRootKeyFile, created: loadOrCreateKmsRootKey(this.kmsRootKeyFile).created };
  }

  /** Starts every zone at once (they find each other); fails if any zone fails. */
  startAll(): Promise<ZoneReady[]> {
    this.rootCredentials();
    this.kmsRootKey();
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
