// The lifecycle worker: on the meta leader only, it walks every bucket that has lifecycle rules
// in bounded batches, asks the pure evaluator what is due, and proposes the due removals as
// ordinary metadata commands (DeleteObject of an exact version, DeleteObject with If-Match for a
// current version, AbortMultipartUpload). Those commands re-check WORM retention, object lock
// and legal hold in apply with the command's own time (commands/protection-guard.ts), so even
// a stale decision cannot remove a protected version; the worker also skips protected versions
// itself so it never even asks.
//
// Progress is stored in meta, per bucket, as the config kind "lifecycle-cursor": the last key
// whose versions were all handled. A new leader resumes after it instead of starting the bucket
// over; a finished pass clears it.
import type { Logger } from 'pino';
import type { Bucket, ObjectVersion } from '../../common/gen/zonestore/meta/v1/records_pb.ts';
import type { MetaClient } from '../client/meta-client.ts';
import { protectableOf, wormPolicyOf } from '../rules/protection-records.ts';
import { isVersionProtected } from '../rules/retention.ts';
import { DEFAULT_DAY_LENGTH_MS, dueUploadAbort, dueVersionAction, storedTransitionClass, type LifecycleAction, type VersionFacts } from './lifecycle-evaluator.ts';
import { lifecycleOf, type LifecycleConfiguration } from './lifecycle-model.ts';

export const LIFECYCLE_CURSOR_KIND = 'lifecycle-cursor';
export const DEFAULT_LIFECYCLE_INTERVAL_MS = 60_000;
/** Versions (and uploads) read per listing call. */
export const LIFECYCLE_BATCH_SIZE = 200;
/** A key with more versions than this is handled on its newest ones this pass (bounded memory). */
export const MAX_VERSIONS_PER_KEY_PER_PASS = 10_000;

export interface LifecycleWorkerOptions {
  meta: Pick<MetaClient, 'call'>;
  /** Whether this replica leads right now; checked before every batch and every action. */
  isLeader(): boolean;
  /** Test knob: the length of a lifecycle "day" (default 86 400 000). */
  dayLengthMs?: number;
  batchSize?: number;
  now?: () => number;
  log: Logger;
  /** After each batch (tests): the bucket and the cursor just stored. */
  onBatch?: (bucket: string, cursor: string) => void;
}

export interface LifecyclePassReport {
  expired: number;
  deletedVersions: number;
  abortedUploads: number;
  skippedProtected: number;
  transitioned: number;
  /** The pass stopped early: leadership was lost or the worker stopped. */
  interrupted: boolean;
}

class Interrupted extends Error {}

export class LifecycleWorker {
  private stopped = false;
  private readonly dayLengthMs: number;
  private readonly batchSize: number;
  private readonly now: () => number;

  constructor(private readonly o: LifecycleWorkerOptions) {
    this.dayLengthMs = o.dayLengthMs ?? DEFAULT_DAY_LENGTH_MS;
    this.batchSize = o.batchSize ?? LIFECYCLE_BATCH_SIZE;
    this.now = o.now ?? Date.now;
  }

  stop(): void {
    this.stopped = true;
  }

  /** One pass over every bucket with lifecycle rules; a no-op on a follower. */
  async runPass(): Promise<LifecyclePassReport> {
    const report: LifecyclePassReport = { expired: 0, deletedVersions: 0, abortedUploads: 0, skippedProtected: 0, transitioned: 0, interrupted: false };
    try {
      this.checkLeading();
      let startAfter = '';
      for (;;) {
        const page = await this.o.meta.call('listBuckets', { startAfter, maxBuckets: 1000 });
        for (const b of page.buckets) {
          const config = lifecycleOf(b.configs);
          if (config) await this.processBucket(b, config, report);
        }
        if (!page.isTruncated || page.buckets.length === 0) break;
        startAfter = page.buckets[page.buckets.length - 1]!.name;
      }
    } catch (err) {
      if (!(err instanceof Interrupted)) throw err;
      report.interrupted = true;
    }
    return report;
  }

  private checkLeading(): void {
    if (this.stopped || !this.o.isLeader()) throw new Interrupted();
  }

  private async processBucket(bucket: Bucket, config: LifecycleConfiguration, report: LifecyclePassReport): Promise<void> {
    const name = bucket.name;
    const cursorDoc = bucket.configs[LIFECYCLE_CURSOR_KIND];
    const resumeAfter = cursorDoc && cursorDoc.length > 0 ? new TextDecoder().decode(cursorDoc) : '';
    if (resumeAfter) this.o.log.info({ bucket: name, after: resumeAfter }, 'lifecycle pass resumes after the stored cursor');
    const versioned = bucket.versioning !== 0;
    let keyMarker = resumeAfter;
    let versionIdMarker = '';
    let pending: ObjectVersion[] = [];
    for (;;) {
      this.checkLeading();
      const page = await this.o.meta.call('listObjectVersions', { bucket: name, keyMarker, versionIdMarker, maxKeys: this.batchSize });
      let lastComplete = '';
      for (const v of page.versions) {
        if (pending.length > 0 && pending[0]!.key !== v.key) {
          await this.processKey(bucket, config, versioned, pending, report);
          lastComplete = pending[0]!.key;
          pending = [];
        }
        if (pending.length < MAX_VERSIONS_PER_KEY_PER_PASS) pending.push(v);
      }
      if (!page.isTruncated) break;
      if (lastComplete) await this.saveCursor(name, lastComplete);
      keyMarker = page.nextKeyMarker;
      versionIdMarker = page.nextVersionIdMarker;
    }
    if (pending.length > 0) await this.processKey(bucket, config, versioned, pending, report);
    await this.processUploads(name, config, report);
    if (resumeAfter || bucket.configs[LIFECYCLE_CURSOR_KIND]) await this.saveCursor(name, '');
  }

  private async saveCursor(bucket: string, afterKey: string): Promise<void> {
    this.checkLeading();
    await this.o.meta.call('putBucketConfig', { bucket, kind: LIFECYCLE_CURSOR_KIND, document: new TextEncoder().encode(afterKey) });
    this.o.onBatch?.(bucket, afterKey);
  }

  /** All versions of one key, newest first. */
  private async processKey(bucket: Bucket, config: LifecycleConfiguration, versioned: boolean, versions: ObjectVersion[], report: LifecyclePassReport): Promise<void> {
    const now = this.now();
    const worm = wormPolicyOf(bucket);
    let noncurrentSeen = 0;
    for (let i = 0; i < versions.length; i++) {
      const v = versions[i]!;
      const newer = i > 0 ? versions[i - 1] : undefined;
      const facts: VersionFacts = {
        key: v.key, size: Number(v.size), tags: v.attributes?.tags ?? {}, lastModifiedMs: Number(v.lastModifiedMs),
        deleteMarker: v.deleteMarker, isLatest: i === 0, storageClass: v.attributes?.storageClass ?? '',
        ...(newer ? { noncurrentSinceMs: Number(newer.lastModifiedMs), newerNoncurrentVersions: noncurrentSeen } : {}),
        otherVersions: versions.length - 1, versioned,
      };
      if (i > 0) noncurrentSeen++;
      const action = dueVersionAction(config, facts, now, this.dayLengthMs);
      if (!action) continue;
      if (action.kind === 'transition') {
        await this.transition(bucket.name, v, action.storageClass, action.ruleId, report);
        continue;
      }
      if (!v.deleteMarker && isVersionProtected(protectableOf(v), worm, now)) {
        report.skippedProtected++;
        continue;
      }
      await this.act(bucket.name, v, action, report);
    }
  }

  private async act(bucket: string, v: ObjectVersion, action: LifecycleAction, report: LifecyclePassReport): Promise<void> {
    this.checkLeading();
    try {
      if (action.kind === 'expire-current') {
        // If-Match: a version written since the listing is not what the rule judged.
        await this.o.meta.call('deleteObject', { bucket, key: v.key, ifMatch: v.etag });
        report.expired++;
      } else {
        await this.o.meta.call('deleteObject', { bucket, key: v.key, versionId: v.versionId });
        report.deletedVersions++;
      }
      this.o.log.info({ bucket, key: v.key, versionId: v.versionId, action: action.kind, rule: action.ruleId }, 'lifecycle action applied');
    } catch (err) {
      // Refused in apply (ObjectLocked, PreconditionFailed, NoSuchVersion): the state moved on.
      this.o.log.info({ bucket, key: v.key, versionId: v.versionId, err: (err as Error).message }, 'lifecycle action refused');
    }
  }

  /** Only the class changes (meta); the bytes stay where they are. */
  private async transition(bucket: string, v: ObjectVersion, to: 'IA' | 'Archive', ruleId: string, report: LifecyclePassReport): Promise<void> {
    this.checkLeading();
    try {
      const r = await this.o.meta.call('transitionObject', {
        bucket, key: v.key, versionId: v.versionId, storageClass: storedTransitionClass(to), fromStorageClass: v.attributes?.storageClass ?? '',
      });
      if (r.transitioned) report.transitioned++;
      this.o.log.info({ bucket, key: v.key, versionId: v.versionId, storageClass: to, rule: ruleId, applied: r.transitioned }, 'lifecycle transition');
    } catch (err) {
      this.o.log.info({ bucket, key: v.key, versionId: v.versionId, err: (err as Error).message }, 'lifecycle transition refused');
    }
  }

  private async processUploads(bucket: string, config: LifecycleConfiguration, report: LifecyclePassReport): Promise<void> {
    if (!config.rules.some((r) => r.abortIncompleteUpload)) return;
    const now = this.now();
    let keyMarker = '';
    let uploadIdMarker = '';
    for (;;) {
      this.checkLeading();
      const page = await this.o.meta.call('listMultipartUploads', { bucket, keyMarker, uploadIdMarker, maxUploads: this.batchSize });
      for (const u of page.uploads) {
        const rule = dueUploadAbort(config, { key: u.key, initiatedMs: Number(u.initiatedMs) }, now, this.dayLengthMs);
        if (!rule) continue;
        this.checkLeading();
        try {
          await this.o.meta.call('abortMultipartUpload', { bucket, key: u.key, uploadId: u.uploadId });
          report.abortedUploads++;
          this.o.log.info({ bucket, key: u.key, uploadId: u.uploadId, rule }, 'lifecycle aborted an incomplete upload');
        } catch (err) {
          this.o.log.info({ bucket, key: u.key, uploadId: u.uploadId, err: (err as Error).message }, 'lifecycle abort refused');
        }
      }
      if (!page.isTruncated) break;
      keyMarker = page.nextKeyMarker;
      uploadIdMarker = page.nextUploadIdMarker;
    }
  }
}
