// Applying AppendObject (OSS appendable objects). The rules are decided here, in the apply, so
// racing appends are ordered by the log and exactly one wins each position (rules/
// append-position.ts). Appendable objects live only in unversioned buckets: there an append
// rewrites the key's one "null" version in place — same version id, a longer manifest — and the
// earlier parts' chunks stay referenced, so nothing is queued as garbage.
import { create } from '@bufbuild/protobuf';
import {
  ChangeKind, ManifestPartSchema, ManifestSchema, ObjectVersionSchema, VersioningState,
  type Manifest, type ManifestPart, type ObjectVersion,
} from '../../common/gen/zonestore/meta/v1/records_pb.ts';
import {
  AppendObjectResponseSchema, type AppendObjectRequest, type AppendObjectResponse,
} from '../../common/gen/zonestore/meta/v1/oss_requests_pb.ts';
import { MetaError } from '../meta-error.ts';
import { decideAppend } from '../rules/append-position.ts';
import { normalizeEtag } from '../rules/etag.ts';
import { OBJECT_TYPE } from '../rules/object-type.ts';
import { partCoding, type Coding } from '../rules/part-coding.ts';
import type { ApplyContext } from '../state/apply-context.ts';
import { key, u64 } from '../state/meta-keys.ts';
import { currentVersion, loadManifest, requireBucket, summaryOf } from '../state/record-reads.ts';
import { assertObjectKey } from '../validation/object-key.ts';
import { checkUserMeta, writeVersion } from './object-versions.ts';
import { assertVersionRemovable } from './protection-guard.ts';

export const VERSIONED_APPEND_MESSAGE = 'appendable objects are not supported in versioned buckets';

/** The coding the new bytes were written with: the part's own, else the request's. */
function writtenCoding(req: AppendObjectRequest, part: ManifestPart): Coding {
  return part.scheme ? { scheme: part.scheme, blockSize: part.blockSize } : { scheme: req.scheme, blockSize: req.blockSize };
}

function partWith(part: ManifestPart, number: number, etag: string, coding: Coding): ManifestPart {
  return create(ManifestPartSchema, { ...part, number, etag, scheme: coding.scheme, blockSize: coding.blockSize });
}

export async function applyAppendObject(ctx: ApplyContext, req: AppendObjectRequest): Promise<AppendObjectResponse> {
  const where = { bucket: req.bucket, key: req.key };
  const bucket = await requireBucket(ctx, req.bucket);
  assertObjectKey(req.bucket, req.key);
  // A versioned append would have to keep every intermediate state as a version, or break
  // the rule that a version never changes; OSS refuses it too.
  if (bucket.versioning !== VersioningState.UNSPECIFIED) throw new MetaError('InvalidArgument', VERSIONED_APPEND_MESSAGE, where);
  const part = req.part ?? create(ManifestPartSchema, {});
  if (part.stripes.length > 0) {
    const sum = part.stripes.reduce((s, st) => s + st.size, 0n);
    if (sum !== part.size) throw new MetaError('InvalidArgument', `stripes hold ${sum} bytes, part size is ${part.size}`, where);
  }
  const current = await currentVersion(ctx, req.bucket, req.key);
  const manifest = current ? await loadManifest(ctx, Number(current.sequence)) : undefined;
  const decision = decideAppend(
    current && { size: current.size, objectType: current.objectType, parts: manifest?.parts.length ?? 0 }, req.position, part.size, where);
  const etag = normalizeEtag(req.etag);
  const partEtag = normalizeEtag(part.etag);
  const written = writtenCoding(req, part);

  if (decision.kind === 'create') {
    checkUserMeta(req.bucket, req.key, req.attributes?.userMeta);
    const m = create(ManifestSchema, {
      scheme: written.scheme, blockSize: written.blockSize, encryption: req.encryption,
      parts: [partWith(part, 1, partEtag, { scheme: undefined, blockSize: 0n })],
    });
    const version = await writeVersion(ctx, bucket, create(ObjectVersionSchema, {
      key: req.key, size: part.size, etag, checksums: req.checksums, attributes: req.attributes, objectType: OBJECT_TYPE.appendable,
    }), m);
    return create(AppendObjectResponseSchema, { version: { ...summaryOf(version), isLatest: true } });
  }

  // Growing rewrites the version (size, ETag, last-modified): under a retention policy the
  // object may not be modified before its time, as OSS's WORM says, so an append is refused too.
  await assertVersionRemovable(ctx, req.bucket, current!);
  const m = manifest ?? create(ManifestSchema, {});
  const grownManifest: Manifest = create(ManifestSchema, {
    ...m,
    parts: [...m.parts, partWith(part, decision.partNumber, partEtag, partCoding({ scheme: m.scheme, blockSize: m.blockSize }, written))],
  });
  const grown = growInPlace(ctx, req.bucket, current!, create(ObjectVersionSchema, {
    ...current!, size: decision.size, etag, checksums: req.checksums, lastModifiedMs: ctx.stamp.timeMs,
  }), grownManifest);
  ctx.change({
    kind: ChangeKind.OBJECT_APPENDED, bucket: req.bucket, key: req.key, versionId: grown.versionId,
    size: grown.size, etag: grown.etag, detail: String(req.position),
  });
  return create(AppendObjectResponseSchema, { version: { ...grown, isLatest: true } });
}

/**
 * Moves the version to this command's sequence (its v/, x/, n/ and c/ records) with the grown
 * manifest, so the sequence still names the command that last wrote it. The old records go
 * without queueing chunks: the grown manifest still uses every one of them.
 */
function growInPlace(ctx: ApplyContext, bucket: string, old: ObjectVersion, grown: ObjectVersion, manifest: Manifest): ObjectVersion {
  const oldSeq = Number(old.sequence);
  const seq = ctx.stamp.index;
  const stored = create(ObjectVersionSchema, { ...summaryOf(grown), sequence: BigInt(seq) });
  ctx.del(key.version(bucket, old.key, oldSeq));
  ctx.del(key.manifest(oldSeq));
  ctx.put(key.version(bucket, old.key, seq), ObjectVersionSchema, stored);
  ctx.put(key.manifest(seq), ManifestSchema, manifest);
  ctx.putRaw(key.nullVersion(bucket, old.key), u64(seq));
  ctx.put(key.current(bucket, old.key), ObjectVersionSchema, stored);
  return stored;
}
