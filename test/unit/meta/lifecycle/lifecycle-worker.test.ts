// The lifecycle worker against a real meta state machine (commands applied in process, no Raft):
// a pass that loses leadership mid-bucket leaves a cursor in meta, and the next leader's worker
// resumes after it and clears it; a bucket's WORM policy keeps expiration away from its objects.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { create } from '@bufbuild/protobuf';
import { openHarness, silentLog, type MetaHarness } from '../meta-harness.ts';
import { op } from '../records-fixture.ts';
import { GetBucketRequestSchema, ListObjectVersionsRequestSchema, MetaService } from '../../../../services/common/gen/zonestore/meta/v1/meta_service_pb.ts';
import type { Command } from '../../../../services/common/gen/zonestore/meta/v1/command_pb.ts';
import type { BucketWormResponse } from '../../../../services/common/gen/zonestore/meta/v1/protection_pb.ts';
import { getBucket, listBuckets } from '../../../../services/meta/queries/bucket-queries.ts';
import { listObjectVersions } from '../../../../services/meta/queries/object-queries.ts';
import { listMultipartUploads } from '../../../../services/meta/queries/upload-queries.ts';
import { LIFECYCLE_CURSOR_KIND, LifecycleWorker, type LifecycleWorkerOptions } from '../../../../services/meta/lifecycle/lifecycle-worker.ts';
import { LIFECYCLE_CONFIG_KIND, lifecycleDocument } from '../../../../services/meta/lifecycle/lifecycle-model.ts';

const DAY = 1000;
const T0 = 1_700_000_000_000;

type Methods = typeof MetaService.method;
/** The worker's view of meta, answered by the harness: reads from the store, writes as commands. */
function metaOver(h: MetaHarness, clock: () => number, calls: Array<{ method: string; req: Record<string, unknown> }>): LifecycleWorkerOptions['meta'] {
  const reads: Record<string, (req: never) => Promise<unknown>> = {
    listBuckets: (req) => listBuckets(h.store, req),
    listObjectVersions: (req) => listObjectVersions(h.store, req),
    listMultipartUploads: (req) => listMultipartUploads(h.store, req),
  };
  return {
    async call(method: keyof Methods, req: Record<string, unknown>) {
      calls.push({ method, req });
      if (process.env.DEBUG_LC) console.log(method, JSON.stringify(req, (_k, v) => typeof v === 'bigint' ? String(v) : v instanceof Uint8Array ? '<bytes>' : v));
      const value = create(MetaService.method[method].input as never, req as never);
      if (reads[method]) return reads[method]!(value as never);
      const o = await h.run({ case: method, value } as unknown as Command['op'], { timeMs: clock() });
      if (!o.ok) throw o.error;
      return o.value;
    },
  } as unknown as LifecycleWorkerOptions['meta'];
}

async function bucketWithRule(h: MetaHarness, name: string, keys: string[]): Promise<void> {
  await h.ok(op.createBucket(name));
  for (const k of keys) await h.run(op.put(name, k), { timeMs: T0 });
  const doc = lifecycleDocument({ rules: [{ id: 'all', enabled: true, filter: { prefix: '', tags: {} }, expiration: { days: 1 }, transitions: [], noncurrentTransitions: [] }] });
  await h.ok({ case: 'putBucketConfig', value: { $typeName: 'zonestore.meta.v1.PutBucketConfigRequest', bucket: name, kind: LIFECYCLE_CONFIG_KIND, document: doc } });
}

test('leadership lost mid-bucket: the cursor stays in meta and the next leader resumes after it', async () => {
  const h = await openHarness();
  try {
    const keys = ['k1', 'k2', 'k3', 'k4', 'k5', 'k6'];
    await bucketWithRule(h, 'resume-me', keys);
    const clock = (): number => T0 + 2 * DAY;
    let leading = true;
    const calls: Array<{ method: string; req: Record<string, unknown> }> = [];
    const first = new LifecycleWorker({
      meta: metaOver(h, clock, calls), isLeader: () => leading, dayLengthMs: DAY, batchSize: 2, now: clock, log: silentLog,
      onBatch: () => { leading = false; }, // the zone loses leadership right after its first stored cursor
    });
    const r1 = await first.runPass();
    assert.equal(r1.interrupted, true);
    const cursor = new TextDecoder().decode((await getBucket(h.store, create(GetBucketRequestSchema, { name: 'resume-me' }))).bucket!.configs[LIFECYCLE_CURSOR_KIND]);
    assert.ok(keys.includes(cursor), `cursor ${cursor}`);
    const left = (await listObjectVersions(h.store, create(ListObjectVersionsRequestSchema, { bucket: 'resume-me', maxKeys: 100 }))).versions.map((v) => v.key);
    assert.ok(left.length > 0 && left.length < keys.length, `some but not all expired: ${left.join()}`);

    const calls2: Array<{ method: string; req: Record<string, unknown> }> = [];
    const second = new LifecycleWorker({ meta: metaOver(h, clock, calls2), isLeader: () => true, dayLengthMs: DAY, batchSize: 2, now: clock, log: silentLog });
    const r2 = await second.runPass();
    assert.equal(r2.interrupted, false);
    assert.equal(calls2.find((c) => c.method === 'listObjectVersions')?.req['keyMarker'], cursor, 'resumed after the cursor');
    assert.deepEqual((await listObjectVersions(h.store, create(ListObjectVersionsRequestSchema, { bucket: 'resume-me', maxKeys: 100 }))).versions.map((v) => v.key), []);
    assert.equal(r1.expired + r2.expired, keys.length, 'every key expired exactly once');
    assert.equal((await getBucket(h.store, create(GetBucketRequestSchema, { name: 'resume-me' }))).bucket!.configs[LIFECYCLE_CURSOR_KIND], undefined, 'cursor cleared');
  } finally {
    await h.close();
  }
});

test('a locked WORM policy keeps an expiration rule away from the bucket\'s objects', async () => {
  const h = await openHarness();
  try {
    await bucketWithRule(h, 'worm-kept', ['a', 'b']);
    const init = await h.ok<BucketWormResponse>({ case: 'initiateBucketWorm', value: { $typeName: 'zonestore.meta.v1.InitiateBucketWormRequest', bucket: 'worm-kept', retentionDays: 30 } });
    await h.ok({ case: 'completeBucketWorm', value: { $typeName: 'zonestore.meta.v1.CompleteBucketWormRequest', bucket: 'worm-kept', wormId: init.policy!.wormId } });
    // Two lifecycle "days" of 1 s, but WORM counts real days: the objects are 2 s old.
    const clock = (): number => T0 + 2 * DAY;
    const worker = new LifecycleWorker({ meta: metaOver(h, clock, []), isLeader: () => true, dayLengthMs: DAY, now: clock, log: silentLog });
    const r = await worker.runPass();
    assert.equal(r.expired, 0);
    assert.equal(r.skippedProtected, 2);
    assert.deepEqual((await listObjectVersions(h.store, create(ListObjectVersionsRequestSchema, { bucket: 'worm-kept', maxKeys: 100 }))).versions.map((v) => v.key), ['a', 'b']);
  } finally {
    await h.close();
  }
});
