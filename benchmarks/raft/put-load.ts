// Closed-loop Put load inside one client process: `concurrency` lanes, each keeping exactly one
// unary Put in flight (the next is issued from the previous one's callback), spread round-robin
// over `channels` independent HTTP/2 connections. Callbacks rather than async/await keep the
// client's own CPU per call low, since at c=256 the client is itself close to a core.
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import * as grpc from '@grpc/grpc-js';
import { PUT_PROTOCOLS, openChannel, waitForChannelReady, type SystemName } from './put-rpc.ts';
import { newLatencyHistogram, recordMicros, encodeHistogram, type LatencyHistogram } from './latency-histogram.ts';

/** A failing server is retried after this pause instead of in a hot loop. */
const ERROR_BACKOFF_MS = 10;

export interface PutLoadOptions {
  system: SystemName;
  address: string;
  concurrency: number;
  channels: number;
  valueSize: number;
  /** Makes keys distinct across cells, systems and client processes. */
  keyPrefix: string;
  callDeadlineMs: number;
}

export interface WindowResult {
  puts: number;
  errors: number;
  errorCodes: Record<string, number>;
  firstError?: string;
  elapsedMs: number;
  histogram: string;
}

export class PutLoad {
  private readonly protocol;
  private readonly clients: grpc.Client[] = [];
  private readonly value: Buffer;
  private histogram: LatencyHistogram = newLatencyHistogram();
  private running = false;
  private measuring = false;
  private windowStart = 0;
  private puts = 0;
  private errors = 0;
  private errorCodes: Record<string, number> = {};
  private firstError: string | undefined;
  private lanesActive = 0;
  private onAllLanesIdle: (() => void) | undefined;

  constructor(private readonly options: PutLoadOptions) {
    this.protocol = PUT_PROTOCOLS[options.system];
    this.value = randomBytes(options.valueSize);
  }

  async connect(timeoutMs: number): Promise<void> {
    const count = Math.max(1, Math.min(this.options.channels, this.options.concurrency));
    for (let i = 0; i < count; i++) this.clients.push(openChannel(this.options.address, i));
    await Promise.all(this.clients.map((c) => waitForChannelReady(c, timeoutMs)));
  }

  start(): void {
    this.running = true;
    for (let lane = 0; lane < this.options.concurrency; lane++) {
      this.lanesActive++;
      this.issue(lane, this.clients[lane % this.clients.length]!, 0);
    }
  }

  /** Starts counting: everything that completes from now on is in the window. */
  beginWindow(): void {
    this.histogram = newLatencyHistogram();
    this.puts = 0;
    this.errors = 0;
    this.errorCodes = {};
    this.firstError = undefined;
    this.windowStart = performance.now();
    this.measuring = true;
  }

  endWindow(): WindowResult {
    this.measuring = false;
    return {
      puts: this.puts,
      errors: this.errors,
      errorCodes: this.errorCodes,
      firstError: this.firstError,
      elapsedMs: performance.now() - this.windowStart,
      histogram: encodeHistogram(this.histogram),
    };
  }

  /** Stops issuing, waits (bounded) for in-flight calls, closes the connections. */
  async stop(drainTimeoutMs: number): Promise<void> {
    this.running = false;
    if (this.lanesActive > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, drainTimeoutMs);
        this.onAllLanesIdle = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    for (const c of this.clients) c.close();
  }

  private issue(lane: number, client: grpc.Client, seq: number): void {
    if (!this.running) {
      this.lanesActive--;
      if (this.lanesActive === 0) this.onAllLanesIdle?.();
      return;
    }
    const key = Buffer.from(`${this.options.keyPrefix}/${lane}/${seq}`);
    const request = this.protocol.encodePut(key, this.value);
    const started = performance.now();
    client.makeUnaryRequest(
      this.protocol.methodPath,
      passThrough,
      passThrough,
      request,
      new grpc.Metadata(),
      { deadline: Date.now() + this.options.callDeadlineMs },
      (err, reply) => {
        if (err || !reply) {
          this.countError(err);
          setTimeout(() => this.issue(lane, client, seq + 1), ERROR_BACKOFF_MS);
          return;
        }
        this.protocol.decodePut(reply);
        if (this.measuring) {
          this.puts++;
          recordMicros(this.histogram, (performance.now() - started) * 1000);
        }
        this.issue(lane, client, seq + 1);
      },
    );
  }

  private countError(err: grpc.ServiceError | null): void {
    if (!this.measuring) return;
    this.errors++;
    const code = err ? grpc.status[err.code] ?? String(err.code) : 'EMPTY_REPLY';
    this.errorCodes[code] = (this.errorCodes[code] ?? 0) + 1;
    this.firstError ??= err?.message ?? 'empty reply';
  }
}

const passThrough = (b: Buffer): Buffer => b;
