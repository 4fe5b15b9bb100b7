// End to end through the state machine and classic-level: random puts and deletes (plain and
// versioned buckets), then ListObjects / ListObjectVersions with random prefix, delimiter and
// page size, paged to the end with continuation tokens / markers, equal the model's answer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { create } from '@bufbuild/protobuf';
import { openHarness } from './meta-harness.ts';
import { op } from './records-fixture.ts';
import { modelListing, type ModelEntry } from './listing-model.ts';
import {
  ListObjectVersionsRequestSchema, ListObjectsRequestSchema, type DeleteObjectResponse, type PutObjectResponse,
} from '../../../services/common/gen/zonestore/meta/v1/meta_service_pb.ts';
import { listObjectVersions, listObjects } from '../../../services/meta/queries/object-queries.ts';

const char = fc.constantFrom('a', 'b', '/', 'é', '😀', '.');
const keyArb = fc.array(char, { minLength: 1, maxLength: 5 }).map((c) => c.join(''));
type Action = { kind: 'put' | 'del'; key: string } | { kind: 'delVersion'; key: string; pick: number };
const actionArb: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ kind: fc.constant('put' as const), key: keyArb }),
  fc.record({ kind: fc.constant('del' as const), key: keyArb }),
  fc.record({ kind: fc.constant('delVersion' as const), key: keyArb, pick: fc.nat(5) }),
);
const queryArb = fc.record({
  prefix: fc.array(char, { maxLength: 2 }).map((c) => c.join('')),
  delimiter: fc.constantFrom('', '/', '😀'),
  page: fc.integer({ min: 1, max: 6 }),
});

interface ModelVersion { id: string; marker: boolean }

test('listings through the store equal the model', async () => {
  await fc.assert(fc.asyncProperty(fc.boolean(), fc.array(actionArb, { maxLength: 40 }), fc.array(queryArb, { minLength: 1, maxLength: 4 }),
    async (versioned, actions, queries) => {
      const h = await openHarness();
      try {
        await h.ok(op.createBucket('model', 'o', versioned ? 1 : 0));
        const model = new Map<string, ModelVersion[]>();
        for (const a of actions) {
          const vs = model.get(a.key) ?? [];
          if (a.kind === 'put') {
            const r = await h.ok<PutObjectResponse>(op.put('model', a.key));
            model.set(a.key, versioned ? [{ id: r.version!.versionId, marker: false }, ...vs] : [{ id: 'null', marker: false }]);
          } else if (a.kind === 'del') {
            const r = await h.ok<DeleteObjectResponse>(op.del('model', a.key));
            if (versioned) model.set(a.key, [{ id: r.versionId, marker: true }, ...vs]);
            else model.delete(a.key);
          } else if (a.kind === 'delVersion' && vs.length > 0) {
            const victim = vs[a.pick % vs.length]!;
            await h.ok(op.del('model', a.key, victim.id));
            const rest = vs.filter((v) => v !== victim);
            if (rest.length > 0) model.set(a.key, rest);
            else model.delete(a.key);
          }
        }
        const current = [...model].filter(([, vs]) => !vs[0]!.marker).map(([k]) => k);
        const withVersions = [...model].flatMap(([k, vs]) => vs.map(() => k));

        for (const q of queries) {
          // ListObjects, paged with continuation tokens.
          const want = modelListing(current, { prefix: q.prefix, delimiter: q.delimiter, startAfter: '', maxEntries: Infinity });
          const got: ModelEntry[] = [];
          let token = '';
          for (let i = 0; i < 100; i++) {
            const r = await listObjects(h.store, create(ListObjectsRequestSchema, {
              bucket: 'model', prefix: q.prefix, delimiter: q.delimiter, maxKeys: q.page, continuationToken: token,
            }));
            assert.ok(r.objects.length + r.commonPrefixes.length <= q.page);
            // Within a page, keys and prefixes interleave in order; rebuild that order.
            const page: ModelEntry[] = [
              ...r.objects.map((o) => ({ kind: 'item' as const, key: o.key, n: 0 })),
              ...r.commonPrefixes.map((p) => ({ kind: 'prefix' as const, prefix: p })),
            ].sort((x, y) => Buffer.compare(Buffer.from(x.kind === 'item' ? x.key : x.prefix), Buffer.from(y.kind === 'item' ? y.key : y.prefix)));
            got.push(...page);
            if (!r.isTruncated) break;
            token = r.nextContinuationToken;
          }
          assert.deepEqual(got, want.entries);

          // ListObjectVersions, paged with key / version-id markers.
          const wantV = modelListing(withVersions, { prefix: q.prefix, delimiter: q.delimiter, startAfter: '', maxEntries: Infinity }).entries
            .map((e) => (e.kind === 'prefix' ? e.prefix : `${e.key}@${model.get(e.key)![e.n]!.id}${e.n === 0 ? '*' : ''}`));
          const gotV: string[] = [];
          let keyMarker = '';
          let versionIdMarker = '';
          for (let i = 0; i < 200; i++) {
            const r = await listObjectVersions(h.store, create(ListObjectVersionsRequestSchema, {
              bucket: 'model', prefix: q.prefix, delimiter: q.delimiter, maxKeys: q.page, keyMarker, versionIdMarker,
            }));
            const page = [
              ...r.versions.map((v) => ({ at: v.key, s: `${v.key}@${v.versionId}${v.isLatest ? '*' : ''}` })),
              ...r.commonPrefixes.map((p) => ({ at: p, s: p })),
            ].sort((x, y) => Buffer.compare(Buffer.from(x.at), Buffer.from(y.at)));
            gotV.push(...page.map((p) => p.s));
            if (!r.isTruncated) break;
            keyMarker = r.nextKeyMarker;
            versionIdMarker = r.nextVersionIdMarker;
          }
          assert.deepEqual(gotV, wantV);
        }
      } finally {
        await h.close();
      }
    }), { numRuns: 60 });
});
