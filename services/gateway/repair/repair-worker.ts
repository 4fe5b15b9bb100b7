// A zone's background repair: a pass (repair-pass.ts) every interval, and one soon after a
// scrub finding on one of the zone's nodes (findings come in bursts, so they are gathered for a
// moment first). Passes never overlap; stop() aborts the one running and waits for it. What it
// did is logged per pass and summed in `counters` (what `zonestore status`-like tools and tests
// read).
//
//   const worker = RepairWorker.start({ meta, zone: 'zone-1', inProcessNodes, intervalMs: 60_000, log });
//   worker.noteDamage('zone-1-data-2', chunkId);   // from the scrubber's onFinding
//   await worker.stop();
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { ChunkClient } from '../../data/local-chunk-client.ts';
import { ReedSolomon } from '../../erasure/index.ts';
import type { DataNode } from '../../common/gen/zonestore/meta/v1/records_pb.ts';
import type { MetaClient } from '../../meta/client/meta-client.ts';
import { DataNodePool } from '../objects/data-node-pool.ts';
import { buildPlacementSnapshot, recoveredAddresses } from '../objects/placement-snapshot.ts';
import { createShardReader } from '../objects/shard-reader.ts';
import { runRepairPass, type RepairPassReport } from './repair-pass.ts';
import { repairSources } from '../../common/metrics/index.ts';

export const DEFAULT_REPAIR_INTERVAL_MS = 60_000;
/** A scrub finding starts a pass this soon (unless one is running: then right after it). */
export const SCRUB_FINDING_DELAY_MS = 500;
/** Shard checks in flight at once in a pass. */
export const REPAIR_CONCURRENCY = 8;
/** Objects a pass works on at once (each a chain of checks, reads and writes). */
export const REPAIR_OBJECT_CONCURRENCY = 8;
/** Deadline of one shard check or read. */
export const REPAIR_CALL_TIMEOUT_MS = 10_000;
/** Scrub findings remembered until a pass looks at them; more are dropped (the next pass sees every chunk anyway). */
export const MAX_QUEUED_FINDINGS = 10_000;

export interface RepairWorkerOptions {
  meta: MetaClient;
  /** The zone whose data nodes' shards this worker repairs. */
  zone: string;
  /** IP outgoing data node connections bind (the zone's). */
  localAddress?: string;
  /** Data nodes in this process, by address (reached without gRPC). */
  inProcessNodes?: ReadonlyMap<string, ChunkClient>;
  intervalMs?: number;
  /** Read this zone's shards whole each pass (default true); false only checks each is indexed. */
  verify?: boolean;
  log: Logger;
}

/** Every pass's report summed (the chunk set aside), plus the worker's own bookkeeping. */
export interface RepairCounters extends Omit<RepairPassReport, 'seenChunks' | 'degradedObjects'> {
  passes: number;
  /** Passes that ended in an error (meta unreachable ...); retried next interval. */
  failedPasses: number;
  lastPassFinishedUnixMs: number;
  lastPassMs: number;
  scrubFindings: number;
  /** Scrub findings for chunks no manifest names (garbage, left to garbage collection). */
  scrubFindingsUnreferenced: number;
}

/** One pass as reported outside the process: its report (the chunk set aside) and how long it took. */
export interface RepairPassSummary extends Omit<RepairPassReport, 'seenChunks'> {
  ms: number;
}

function emptyCounters(): RepairCounters {
  return {
    passes: 0, failedPasses: 0, lastPassFinishedUnixMs: 0, lastPassMs: 0, objectsChecked: 0, shardsChecked: 0, rewritten: 0,
    added: 0, alreadyHealthy: 0, unrepairable: 0, waiting: 0, lost: 0, failed: 0, bytesRebuilt: 0, scrubFindings: 0, scrubFindingsUnreferenced: 0,
  };
}

const SUMMED = ['objectsChecked', 'shardsChecked', 'rewritten', 'added', 'alreadyHealthy', 'unrepairable', 'waiting', 'lost', 'failed', 'bytesRebuilt'] as const;

export class RepairWorker {
  readonly counters: RepairCounters = emptyCounters();
  private readonly pool: DataNodePool;
  private readonly codecs = new Map<string, ReedSolomon>();
  private readonly stopping = new AbortController();
  /** Wakes the loop early (a scrub finding). */
  private wake = new AbortController();
  private readonly findings = new Set<string>();
  private previousNodes: DataNode[] | null = null;
  private running: Promise<RepairPassReport> | undefined;
  private loop: Promise<void> | undefined;
  /** What the last finished pass left degraded (what the degraded gauges show). */
  private lastLeftDegraded = { shards: 0, objects: 0 };
  private readonly unregisterMetrics: () => void;

  private constructor(private readonly o: RepairWorkerOptions) {
    this.pool = new DataNodePool(o.localAddress, o.inProcessNodes);
    this.unregisterMetrics = repairSources.add(o.zone, () => {
      const c = this.counters;
      return {
        queued: this.findings.size, passes: c.passes, failedPasses: c.failedPasses, rebuiltShards: c.rewritten + c.added,
        rebuiltBytes: c.bytesRebuilt, objectsChecked: c.objectsChecked, degradedShards: this.lastLeftDegraded.shards,
        degradedObjects: this.lastLeftDegraded.objects, lastPassFinishedUnixMs: c.lastPassFinishedUnixMs,
      };
    });
  }

  /** Starts the loop; the first pass runs one interval from now. */
  static start(o: RepairWorkerOptions): RepairWorker {
    const w = new RepairWorker(o);
    w.loop = w.runLoop();
    return w;
  }

  /** A scrub (or read) found `chunkId` damaged on `node`: a pass starts soon. */
  noteDamage(node: string, chunkId: string): void {
    this.counters.scrubFindings++;
    if (this.findings.size < MAX_QUEUED_FINDINGS) this.findings.add(`${node}/${chunkId}`);
    this.wake.abort();
  }

  /** Runs a pass now, or joins the one running. */
  runPass(): Promise<RepairPassReport> {
    this.running ??= this.pass().finally(() => { this.running = undefined; });
    return this.running;
  }

  /**
   * A pass that starts after this call (the one running, if any, started before the caller's
   * damage may have happened, so it is waited for first), summarised.
   */
  async runFreshPass(): Promise<RepairPassSummary> {
    await this.running?.catch(() => undefined);
    const started = Date.now();
    const { seenChunks: _, ...report } = await this.runPass();
    return { ...report, ms: Date.now() - started };
  }

  async stop(): Promise<void> {
    this.unregisterMetrics();
    this.stopping.abort();
    await this.loop;
    await this.running?.catch(() => undefined);
    this.pool.close();
  }

  private async runLoop(): Promise<void> {
    const interval = this.o.intervalMs ?? DEFAULT_REPAIR_INTERVAL_MS;
    while (!this.stopping.signal.aborted) {
      const woken = this.wake.signal;
      try {
        await sleep(interval, undefined, { signal: AbortSignal.any([this.stopping.signal, woken]) });
      } catch {
        if (this.stopping.signal.aborted) return;
        // Woken by a finding: let the burst gather.
        await sleep(SCRUB_FINDING_DELAY_MS, undefined, { signal: this.stopping.signal }).catch(() => undefined);
      }
      if (woken.aborted) this.wake = new AbortController();
      if (this.stopping.signal.aborted) return;
      await this.runPass().catch(() => undefined);
    }
  }

  private async pass(): Promise<RepairPassReport> {
    const started = Date.now();
    const queued = new Set(this.findings);
    this.findings.clear();
    const log = this.o.log;
    try {
      const nodes = (await this.o.meta.call('getPlacementMap', {})).nodes;
      // A node back from DOWN gets a fresh channel (grpc-js would keep failing it fast).
      for (const address of recoveredAddresses(nodes, this.previousNodes)) this.pool.reset(address);
      this.previousNodes = nodes;
      const { map, nodes: entries } = buildPlacementSnapshot(nodes, new Set());
      const report = await runRepairPass({
        meta: this.o.meta, zone: this.o.zone, map, nodes: entries,
        clientOf: (address) => this.pool.client(address),
        reader: createShardReader({
          clientOf: (node) => { const e = entries.get(node); return e ? this.pool.client(e.address) : undefined; },
          nodeFailed: () => {}, timeoutMs: REPAIR_CALL_TIMEOUT_MS,
        }),
        codec: (k, m) => this.codec(k, m), concurrency: REPAIR_CONCURRENCY, objectConcurrency: REPAIR_OBJECT_CONCURRENCY, verify: this.o.verify ?? true,
        timeoutMs: REPAIR_CALL_TIMEOUT_MS, log, signal: this.stopping.signal,
      });
      const unreferenced = [...queued].filter((c) => !report.seenChunks.has(c));
      this.counters.scrubFindingsUnreferenced += unreferenced.length;
      if (unreferenced.length > 0) log.info({ chunks: unreferenced.slice(0, 20), count: unreferenced.length }, 'repair: damaged chunks no manifest names (garbage; not repaired)');
      for (const k of SUMMED) this.counters[k] += report[k];
      this.counters.passes++;
      this.lastLeftDegraded = { shards: report.waiting + report.unrepairable + report.lost + report.failed, objects: report.degradedObjects };
      this.counters.lastPassFinishedUnixMs = Date.now();
      this.counters.lastPassMs = Date.now() - started;
      const { seenChunks: _, ...summary } = report;
      const acted = report.rewritten + report.added + report.unrepairable + report.waiting + report.lost + report.failed > 0;
      log[acted ? 'info' : 'debug']({ ...summary, ms: this.counters.lastPassMs }, 'repair pass finished');
      return report;
    } catch (err) {
      // Findings not looked at wait for the next pass.
      for (const c of queued) if (this.findings.size < MAX_QUEUED_FINDINGS) this.findings.add(c);
      if (!this.stopping.signal.aborted) {
        this.counters.failedPasses++;
        log.warn({ err: (err as Error).message }, 'repair pass failed; retried next interval');
      }
      throw err;
    }
  }

  private codec(k: number, m: number): ReedSolomon {
    const key = `${k}+${m}`;
    let c = this.codecs.get(key);
    if (!c) this.codecs.set(key, (c = new ReedSolomon(k, m)));
    return c;
  }
}
