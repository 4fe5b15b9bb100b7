// Scrub: walks every indexed chunk at a bounded rate, reads it whole and judges it (the
// judging is pure, in scrub-decision.ts), and reports bitrot and missing files through
// counters and a callback — the hook a repair service attaches to.
import { setTimeout as sleep } from 'node:timers/promises';
import { ChunkError } from './chunk-error.ts';
import type { ChunkStore } from './chunk-store.ts';
import { ScrubPacer, emptyScrubMetrics, judgeChunk, type ScrubMetrics } from './scrub-decision.ts';

export const DEFAULT_SCRUB_RATE_BYTES_PER_SEC = 16 * 1024 * 1024;
export const DEFAULT_SCRUB_INTERVAL_MS = 60 * 60 * 1000;
/** Unused budget carried over after idling: one second's worth. */
export const SCRUB_BURST_MS = 1000;
/** Index entries fetched per step of the walk. */
const SCRUB_PAGE = 256;
/** Findings kept in one pass report; the rest are only counted (and still reported by callback). */
export const MAX_FINDINGS_PER_REPORT = 1000;

export interface ScrubFinding {
  chunkId: string;
  kind: 'corrupt' | 'missing';
  detail: string;
}

export interface ScrubPassReport {
  chunksChecked: number;
  bytesChecked: number;
  findings: ScrubFinding[];
  findingsTotal: number;
}

export interface ScrubberOptions {
  rateBytesPerSec?: number;
  /** Pause between background passes. */
  intervalMs?: number;
  onFinding?: (finding: ScrubFinding) => void;
  now?: () => number;
}

class ScrubStopped extends Error {}

export class Scrubber {
  readonly metrics: ScrubMetrics = emptyScrubMetrics();
  private readonly pacer: ScrubPacer;
  private readonly stopSignal = new AbortController();
  private running: Promise<ScrubPassReport> | undefined;
  private queued: Promise<ScrubPassReport> | undefined;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly store: ChunkStore,
    private readonly opts: ScrubberOptions = {},
  ) {
    this.pacer = new ScrubPacer(opts.rateBytesPerSec ?? DEFAULT_SCRUB_RATE_BYTES_PER_SEC, SCRUB_BURST_MS);
  }

  /** Starts background passes, the first one interval after now. */
  start(): void {
    if (this.loop !== undefined) return;
    const interval = this.opts.intervalMs ?? DEFAULT_SCRUB_INTERVAL_MS;
    this.loop = (async () => {
      while (!this.stopSignal.signal.aborted) {
        try {
          await sleep(interval, undefined, { signal: this.stopSignal.signal });
          await this.runPass();
        } catch {
          // Stopped, or the store closed under the pass: the loop condition decides.
        }
      }
    })();
  }

  /**
   * A full pass that starts no earlier than now: waits for a pass already running, then runs
   * a fresh one (shared by everyone asking meanwhile), so it sees every chunk as of the call.
   */
  runPass(): Promise<ScrubPassReport> {
    if (this.queued !== undefined) return this.queued;
    if (this.running === undefined) return this.startWalk();
    this.queued = this.running.catch(() => undefined).then(() => {
      this.queued = undefined;
      return this.startWalk();
    });
    return this.queued;
  }

  private startWalk(): Promise<ScrubPassReport> {
    const pass = this.walk().finally(() => {
      if (this.running === pass) this.running = undefined;
    });
    this.running = pass;
    return pass;
  }

  async stop(): Promise<void> {
    this.stopSignal.abort();
    await this.loop;
    await this.running?.catch(() => undefined);
  }

  private async walk(): Promise<ScrubPassReport> {
    const report: ScrubPassReport = { chunksChecked: 0, bytesChecked: 0, findings: [], findingsTotal: 0 };
    const now = this.opts.now ?? Date.now;
    const pace = async (bytes: number): Promise<void> => {
      if (this.stopSignal.signal.aborted) throw new ScrubStopped();
      const waitMs = this.pacer.reserve(bytes, now());
      if (waitMs > 0) await sleep(waitMs, undefined, { signal: this.stopSignal.signal });
    };
    let after = '';
    for (;;) {
      if (this.stopSignal.signal.aborted) throw new ScrubStopped('scrub stopped');
      const page = await this.store.list(after, SCRUB_PAGE);
      for (const entry of page) {
        const obs = await this.store.observe(entry, pace);
        if (this.stopSignal.signal.aborted) throw new ScrubStopped('scrub stopped');
        const verdict = judgeChunk(entry, obs);
        report.chunksChecked++;
        report.bytesChecked += entry.length;
        this.metrics.chunksChecked++;
        this.metrics.bytesChecked += entry.length;
        if (verdict.kind === 'healthy') continue;
        // A chunk deleted (or deleted and re-put) while it was being read is not damage.
        const current = await this.store.lookup(entry.chunkId);
        if (current === undefined || current.createdUnixMs !== entry.createdUnixMs || current.crc32c !== entry.crc32c) continue;
        const finding: ScrubFinding = { chunkId: entry.chunkId, kind: verdict.kind, detail: verdict.detail };
        if (finding.kind === 'corrupt') this.metrics.corruptFound++;
        else this.metrics.missingFound++;
        report.findingsTotal++;
        if (report.findings.length < MAX_FINDINGS_PER_REPORT) report.findings.push(finding);
        this.opts.onFinding?.(finding);
      }
      if (page.length < SCRUB_PAGE) break;
      after = page[page.length - 1]!.chunkId;
    }
    this.metrics.passesCompleted++;
    this.metrics.lastPassFinishedUnixMs = now();
    return report;
  }
}

/** True for the errors that just mean "the scrubber or its store was shut down". */
export function isScrubShutdown(err: unknown): boolean {
  return err instanceof ScrubStopped || (err instanceof ChunkError && err.code === 'StoreClosed')
    || (err instanceof Error && err.name === 'AbortError');
}
