// Bucket stats against a model: random puts, deletes (markers or not), version removals,
// appends (right and wrong positions), tagging, multipart create/complete/abort, versioning
// changes, bucket re-creation and restarts over two buckets; after every step GetBucketStat
// equals what the model's versions say by definition. Also: the stats a rebuild computes from
// the records equal the ones kept by apply.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { create, toJson } from '@bufbuild/protobuf';
import { openHarness, type MetaHarness } from './meta-harness.ts';
import { op, stripeOf } from './records-fixture.ts';
import { BucketModel } from './bucket-stat-model.ts';
import type { Command } from '../../../services/common/gen/zonestore/meta/v1/command_pb.ts';
import { GetBucketStatRequestSchema, GetBucketStatResponseSchema } from '../../../services/common/gen/zonestore/meta/v1/oss_requests_pb.ts';
import {
  CompleteMultipartUploadRequestSchema, CreateMultipartUploadRequestSchema, PutObjectRequestSchema, PutPartRequestSchema,
  type CompleteMultipartUploadResponse, type CreateMultipartUploadResponse, type DeleteObjectResponse, type PutObjectResponse,
} from '../../../services/common/gen/zonestore/meta/v1/meta_service_pb.ts';
import { getBucketStat } from '../../../services/meta/queries/bucket-queries.ts';
import { ensureBucketStats } from '../../../services/meta/stats/bucket-stat-rebuild.ts';
import { BUCKET_STATS_MARKER_KEY } from '../../../services/meta/state/meta-keys.ts';

const BUCKETS = ['sta', 'stb'];
const keyArb = fc.constantFrom('a', 'b', 'c/d');
const bArb = fc.nat(1);
const sizeArb = fc.bigInt({ min: 0n, max: 1000n });

type Action =
  | { kind: 'put'; b: number; key: string; size: bigint }
  | { kind: 'del'; b: number; key: string }
  | { kind: 'delVersion'; b: number; key: string; pick: number }
  | { kind: 'append'; b: number; key: string; size: bigint; atEnd: boolean }
  | { kind: 'tag'; b: number; key: string }
  | { kind: 'upload'; b: number; key: string }
  | { kind: 'complete'; b: number; pick: number; size: bigint }
  | { kind: 'abort'; b: number; pick: number }
  | { kind: 'versioning'; b: number; enabled: boolean }
  | { kind: 'recreate'; b: number }
  | { kind: 'restart' };

const actionArb: fc.Arbitrary<Action> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('put' as const), b: bArb, key: keyArb, size: sizeArb }), weight: 4 },
  { arbitrary: fc.record({ kind: fc.constant('del' as const), b: bArb, key: keyArb }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('delVersion' as const), b: bArb, key: keyArb, pick: fc.nat(5) }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('append' as const), b: bArb, key: keyArb, size: sizeArb, atEnd: fc.boolean() }), weight: 4 },
  fc.record({ kind: fc.constant('tag' as const), b: bArb, key: keyArb }),
  { arbitrary: fc.record({ kind: fc.constant('upload' as const), b: bArb, key: keyArb }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('complete' as const), b: bArb, pick: fc.nat(5), size: sizeArb }), weight: 2 },
  fc.record({ kind: fc.constant('abort' as const), b: bArb, pick: fc.nat(5) }),
  fc.record({ kind: fc.constant('versioning' as const), b: bArb, enabled: fc.boolean() }),
  fc.record({ kind: fc.constant('recreate' as const), b: bArb }),
  fc.record({ kind: fc.constant('restart' as const) }),
);

const putSized = (bucket: string, key: string, size: bigint): Command['op'] =>
  ({ case: 'putObject', value: create(PutObjectRequestSchema, { bucket, key, size, etag: 'e' }) });

/** Time the harness stamped into the command it applied last. */
const lastTime = (h: MetaHarness) => BigInt(1_700_000_000_000 + h.index);

async function statOf(h: MetaHarness, bucket: string): Promise<Record<string, unknown>> {
  return toJson(GetBucketStatResponseSchema, await getBucketStat(h.store, create(GetBucketStatRequestSchema, { bucket }))) as Record<string, unknown>;
}

async function step(h: MetaHarness, models: BucketModel[], a: Action): Promise<void> {
  if (a.kind === 'restart') return h.reopen();
  const bucket = BUCKETS[a.b]!;
  const m = models[a.b]!;
  switch (a.kind) {
    case 'put': {
      const r = await h.ok<PutObjectResponse>(putSized(bucket, a.key, a.size));
      m.write(a.key, { id: r.version!.versionId, marker: false, size: a.size, appendable: false });
      return m.touch(lastTime(h));
    }
    case 'del': {
      const r = await h.ok<DeleteObjectResponse>(op.del(bucket, a.key));
      if (m.deleteCurrent(a.key, r.versionId)) m.touch(lastTime(h));
      return;
    }
    case 'delVersion': {
      const vs = m.keys.get(a.key);
      if (!vs) return;
      const victim = vs[a.pick % vs.length]!;
      await h.ok(op.del(bucket, a.key, victim.id));
      m.removeVersion(a.key, victim.id);
      return m.touch(lastTime(h));
    }
    case 'append': {
      const cur = m.current(a.key);
      const size = cur?.size ?? 0n;
      const o = await h.run(op.append(bucket, a.key, a.atEnd ? size : size + 1n, { size: a.size }));
      const want = m.versioning !== 'off' ? 'InvalidArgument'
        : cur && !cur.appendable ? 'ObjectNotAppendable' : !a.atEnd ? 'PositionNotEqualToLength' : 'ok';
      assert.equal(o.ok ? 'ok' : o.error.code, want);
      if (!o.ok) return;
      if (cur) cur.size += a.size;
      else m.write(a.key, { id: 'null', marker: false, size: a.size, appendable: true });
      return m.touch(lastTime(h));
    }
    case 'tag': {
      const o = await h.run(op.tag(bucket, a.key, { t: '1' }));
      const want = m.current(a.key) ? 'ok' : m.keys.has(a.key) ? 'MethodNotAllowed' : 'NoSuchKey';
      assert.equal(o.ok ? 'ok' : o.error.code, want);
      return;
    }
    case 'upload': {
      const r = await h.ok<CreateMultipartUploadResponse>({ case: 'createMultipartUpload', value: create(CreateMultipartUploadRequestSchema, { bucket, key: a.key }) });
      m.uploads.push({ key: a.key, id: r.upload!.uploadId });
      return m.touch(lastTime(h));
    }
    case 'complete': {
      if (m.uploads.length === 0) return;
      const [u] = m.uploads.splice(a.pick % m.uploads.length, 1);
      await h.ok({ case: 'putPart', value: create(PutPartRequestSchema, { bucket, key: u!.key, uploadId: u!.id, partNumber: 1, size: a.size, etag: 'p', stripes: [stripeOf(['c'], a.size)] }) });
      const r = await h.ok<CompleteMultipartUploadResponse>({ case: 'completeMultipartUpload', value: create(CompleteMultipartUploadRequestSchema, { bucket, key: u!.key, uploadId: u!.id, parts: [{ partNumber: 1, etag: 'p' }] }) });
      m.write(u!.key, { id: r.version!.versionId, marker: false, size: a.size, appendable: false });
      return m.touch(lastTime(h));
    }
    case 'abort': {
      if (m.uploads.length === 0) return;
      const [u] = m.uploads.splice(a.pick % m.uploads.length, 1);
      await h.ok({ case: 'abortMultipartUpload', value: { $typeName: 'zonestore.meta.v1.AbortMultipartUploadRequest', bucket, key: u!.key, uploadId: u!.id } });
      return m.touch(lastTime(h));
    }
    case 'versioning':
      await h.ok(op.versioning(bucket, a.enabled ? 1 : 2));
      m.versioning = a.enabled ? 'enabled' : 'suspended';
      return;
    case 'recreate': {
      if (m.hasVersions()) {
        assert.equal((await h.refused(op.deleteBucket(bucket))).code, 'BucketNotEmpty');
        return;
      }
      await h.ok(op.deleteBucket(bucket));
      await h.ok(op.createBucket(bucket));
      models[a.b] = new BucketModel();
      return;
    }
  }
}

test('GetBucketStat equals the model after every step', async () => {
  await fc.assert(fc.asyncProperty(fc.array(actionArb, { maxLength: 40 }), async (actions) => {
    const h = await openHarness();
    try {
      for (const b of BUCKETS) await h.ok(op.createBucket(b));
      const models = BUCKETS.map(() => new BucketModel());
      for (const [i, a] of actions.entries()) {
        await step(h, models, a);
        for (const [b, bucket] of BUCKETS.entries()) {
          const want = toJson(GetBucketStatResponseSchema, create(GetBucketStatResponseSchema, models[b]!.stats()));
          assert.deepEqual(await statOf(h, bucket), want, `${bucket} after step ${i}: ${JSON.stringify(a, (_, v) => (typeof v === 'bigint' ? String(v) : v))}`);
        }
      }
      // A rebuild from the records agrees, except that it cannot know when something was removed.
      const kept = await Promise.all(BUCKETS.map((b) => statOf(h, b)));
      await h.store.commit([{ type: 'del', key: BUCKET_STATS_MARKER_KEY }], h.store.appliedIndex);
      assert.equal(await ensureBucketStats(h.store), true);
      assert.equal(await ensureBucketStats(h.store), false, 'once');
      const rebuilt = await Promise.all(BUCKETS.map((b) => statOf(h, b)));
      const withoutTime = (s: Record<string, unknown>) => ({ ...s, lastModifiedMs: undefined });
      assert.deepEqual(rebuilt.map(withoutTime), kept.map(withoutTime));
    } finally {
      await h.close();
    }
  }), { numRuns: 80 });
});
