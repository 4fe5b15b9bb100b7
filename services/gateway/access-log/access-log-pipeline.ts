// The gateway's access and audit logging: every finished request to a logged bucket (and, when
// an audit bucket is configured, every admin / KMS API request) becomes a record in the local
// write-ahead file (access-log-wal.ts) and in the recent-records index (for `logs query`);
// every `intervalMs` the file is sealed and delivered as log objects into the target buckets
// through the gateway's own write path. On start, whatever a previous run left (its live file
// and any sealed files) is delivered first.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Bucket } from '../../common/gen/zonestore/meta/v1/records_pb.ts';
import type { GatewayServices } from '../handlers/request-context.ts';
import type { AccessLogRecord } from './access-log-record.ts';
import { loggingOf } from './bucket-logging-config.ts';
import { deliverSealed } from './access-log-delivery.ts';
import { AccessLogWal } from './access-log-wal.ts';
import { storeLogObject } from './log-object-store.ts';
import { RecentLogIndex } from './recent-log-index.ts';
import { factsOf, recordOf, type RequestTrace } from './request-trace.ts';
import { setAccessLogDeliveryLag } from '../../common/metrics/index.ts';

/** How often the delivery-lag gauge is brought up to date between deliveries. */
const LAG_GAUGE_REFRESH_MS = 5_000;

/** One hour, as OSS and S3 deliver. */
export const DEFAULT_DELIVERY_INTERVAL_MS = 3_600_000;
export const AUDIT_PREFIX = 'audit/';

export interface AccessLogOptions {
  /** The write-ahead directory (one per gateway; never shared). */
  walDir: string;
  intervalMs?: number;
  /** Admin and KMS API actions are delivered into this bucket, under `audit/`; absent: no audit log. */
  auditBucket?: string;
}

const OBJECT_SIZE_OPERATIONS: ReadonlySet<string> = new Set(['GetObject', 'HeadObject', 'GetObjectMeta']);

export class AccessLogPipeline {
  private readonly wal: AccessLogWal;
  private seq = 0;
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<unknown> = Promise.resolve();
  private readonly listeners: Array<(r: AccessLogRecord) => void> = [];
  private stopped = false;
  private lagTimer: NodeJS.Timeout | undefined;
  /** Time of the oldest record in the live file, and in the sealed files awaiting delivery. */
  private liveOldestMs: number | undefined;
  private sealedOldestMs: number | undefined;
  readonly intervalMs: number;
  /** Records delivered since start (tests and metrics read it). */
  delivered = 0;
  /** The last hours of this gateway's records, for `logs query`. */
  readonly index = new RecentLogIndex();

  constructor(private readonly o: AccessLogOptions, private readonly services: GatewayServices, readonly hostId: string, private readonly log: Logger) {
    // The tag keeps the sealed-file names (and so the object keys) of two gateways apart.
    const tag = hostId.replace(/[^0-9a-z]/gi, '').toLowerCase().slice(-12) || 'gw';
    this.wal = new AccessLogWal(o.walDir, tag);
    this.intervalMs = o.intervalMs ?? DEFAULT_DELIVERY_INTERVAL_MS;
    this.onRecord((r) => this.index.add(r));
  }

  /** Seals what a previous run left and delivers it, then delivers every interval. */
  start(): void {
    this.wal.seal();
    // Undelivered records of a previous run are queryable again (delivered ones are gone with the old process's memory).
    for (const file of this.wal.sealed()) {
      for (const e of AccessLogWal.read(file.path)) {
        this.index.add(e.record);
        this.sealedOldestMs = Math.min(this.sealedOldestMs ?? e.record.timeMs, e.record.timeMs);
      }
    }
    this.lagTimer = setInterval(() => this.reportLag(), LAG_GAUGE_REFRESH_MS);
    this.lagTimer.unref();
    void this.deliverNow();
    this.schedule();
  }

  onRecord(listener: (r: AccessLogRecord) => void): void {
    this.listeners.push(listener);
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.seal();
      void this.deliverNow().finally(() => this.schedule());
    }, this.intervalMs);
    this.timer.unref();
  }

  /** Delivers every sealed file (rounds never overlap). */
  deliverNow(): Promise<unknown> {
    this.round = this.round.then(async () => {
      try {
        const { records } = await deliverSealed(this.wal, (bucket, key, body) => storeLogObject(this.services, bucket, key, body), this.log);
        this.delivered += records;
        if (this.wal.sealed().length === 0) this.sealedOldestMs = undefined;
      } catch (err) {
        this.log.warn({ err }, 'access log delivery failed; retried next interval');
      }
      this.reportLag();
    });
    return this.round;
  }

  /** Seals the live file now and delivers (the admin API's flush, and tests). */
  flush(): Promise<unknown> {
    this.seal();
    return this.deliverNow();
  }

  /**
   * Called once per request by the HTTP front. The record reaches the write-ahead file before the
   * response's last bytes are handed to the socket (res.end is held until it is written), so a
   * client that saw a response never finds its record missing after a crash. A response that
   * never ends (the client went away) is recorded when it closes.
   */
  watch(req: IncomingMessage, res: ServerResponse, trace: RequestTrace): void {
    let recorded = false;
    const pipeline = this;
    const end = res.end;
    res.end = function endAfterRecord(this: ServerResponse, ...args: unknown[]) {
      const finish = (): unknown => Reflect.apply(end, res, args);
      if (recorded) return finish();
      recorded = true;
      const pending = pipeline.record(req, res, trace, true);
      if (!pending) return finish();
      void pending.finally(finish);
      return res;
    } as typeof res.end;
    res.once('close', () => {
      if (recorded) return;
      recorded = true;
      void this.record(req, res, trace, false);
    });
  }

  /** Appends the request's record; a promise only while the bucket's logging configuration is being read. */
  private record(req: IncomingMessage, res: ServerResponse, trace: RequestTrace, ending: boolean): Promise<void> | undefined {
    const facts = { ...factsOf(req, res), ...(ending ? { finished: true } : {}) };
    const nowMs = Date.now();
    if (trace.kind === 'audit') {
      if (!this.o.auditBucket || facts.url.startsWith('/_zonestore/metrics')) return undefined;
      this.append(recordOf(this.nextId(), trace, facts, { nowMs, hostId: this.hostId, bucketOwner: '' }), this.o.auditBucket, AUDIT_PREFIX, 's3');
      return undefined;
    }
    const name = trace.parsed?.bucket;
    if (!name) return undefined;
    const write = (bucket: Bucket): void => {
      const logging = loggingOf(bucket.configs);
      if (!logging) return;
      const op = trace.parsed?.operation ?? '';
      const objectSize = OBJECT_SIZE_OPERATIONS.has(op) && facts.status < 300 ? facts.responseLength
        : op === 'PutObject' && facts.status < 300 ? Number(facts.headers['content-length']) || 0 : undefined;
      const record = recordOf(this.nextId(), trace, facts, { nowMs, hostId: this.hostId, bucketOwner: bucket.owner, objectSize });
      this.append(record, logging.targetBucket, logging.targetPrefix, logging.format);
    };
    // The handler has usually just read the same bucket: its cached record answers synchronously.
    const seen = this.services.buckets.peek(name);
    if (seen) {
      write(seen);
      return undefined;
    }
    return this.services.buckets.get(name).then(write, () => { /* no such bucket: nothing is logged for it */ });
  }

  private nextId(): string {
    this.seq += 1;
    return `${this.hostId}-${process.pid}-${Date.now().toString(36)}-${this.seq}`;
  }

  private seal(): void {
    this.wal.seal();
    if (this.liveOldestMs !== undefined) this.sealedOldestMs = Math.min(this.sealedOldestMs ?? this.liveOldestMs, this.liveOldestMs);
    this.liveOldestMs = undefined;
  }

  /** zonestore_access_log_delivery_lag_seconds: the age of the oldest record not yet delivered. */
  private reportLag(): void {
    const oldest = Math.min(this.liveOldestMs ?? Infinity, this.sealedOldestMs ?? Infinity);
    setAccessLogDeliveryLag(oldest === Infinity ? 0 : (Date.now() - oldest) / 1000);
  }

  private append(record: AccessLogRecord, targetBucket: string, targetPrefix: string, format: 'oss' | 's3'): void {
    this.wal.append({ record, targetBucket, targetPrefix, format });
    this.liveOldestMs ??= record.timeMs;
    for (const l of this.listeners) l(record);
  }

  /** Stops delivering; what is not delivered stays in the directory for the next start. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.lagTimer) clearInterval(this.lagTimer);
    await this.round;
    this.wal.close();
  }
}
