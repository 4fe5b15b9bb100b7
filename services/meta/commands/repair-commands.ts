// Applying AddRepairedShards: repair rebuilt a shard for a stripe that records none of its index
// (the write was acknowledged while that shard's node or zone was down) and stored it as a new
// chunk; this records it in the version's manifest or the upload's part. Decided here, in the
// Raft apply, so it is ordered against overwrites, deletes, appends and part re-uploads: a shard
// is added only while its stripe still records the anchor chunk it was rebuilt from and no
// shard of its index. Anything refused is queued as garbage in the same batch — the command
// never throws for a changed target, so no repaired chunk is ever left unaccounted for.
import { create } from '@bufbuild/protobuf';
import {
  ChunkRefSchema, GarbageReason, ManifestSchema, MultipartUploadSchema, ObjectVersionSchema, ShardSchema, UploadPartSchema,
  type ManifestPart, type Scheme,
} from '../../common/gen/zonestore/meta/v1/records_pb.ts';
import {
  AddRepairedShardsResponseSchema, type AddRepairedShardsRequest, type AddRepairedShardsResponse, type RepairedShard,
} from '../../common/gen/zonestore/meta/v1/meta_service_pb.ts';
import { MetaError } from '../meta-error.ts';
import { effectiveCoding } from '../rules/part-coding.ts';
import { NULL_VERSION_ID, sequenceOfId } from '../rules/ids.ts';
import type { ApplyContext } from '../state/apply-context.ts';
import { key } from '../state/meta-keys.ts';
import { loadManifest, nullVersionSequence } from '../state/record-reads.ts';

/** Upper bound on shards in one command (a repair pass sends one object's worth at a time). */
export const MAX_REPAIRED_SHARDS_PER_COMMAND = 1000;

function totalShards(scheme: Scheme | undefined): number {
  const k = scheme?.kind;
  if (k?.case === 'erasure') return k.value.dataShards + k.value.parityShards;
  if (k?.case === 'replica') return k.value.copies;
  return 0;
}

function checkRequest(req: AddRepairedShardsRequest): void {
  const where = { bucket: req.bucket, key: req.key };
  if ((req.versionId === '') === (req.uploadId === '')) {
    throw new MetaError('InvalidArgument', 'AddRepairedShards names exactly one of version_id and upload_id', where);
  }
  if (req.shards.length > MAX_REPAIRED_SHARDS_PER_COMMAND) {
    throw new MetaError('InvalidArgument', `at most ${MAX_REPAIRED_SHARDS_PER_COMMAND} shards per AddRepairedShards`, where);
  }
  for (const r of req.shards) {
    if (!r.shard || r.shard.node === '' || r.shard.chunkId === '' || r.anchorChunkId === '') {
      throw new MetaError('InvalidArgument', 'a repaired shard needs its node, chunk id and anchor chunk id', where);
    }
  }
}

/**
 * Adds what fits to `parts` (in place) and returns the refused shards. `schemeOf` gives a
 * part's coding scheme (the index must be below its shard count).
 */
function addToParts(parts: ManifestPart[], shards: readonly RepairedShard[], schemeOf: (p: ManifestPart) => Scheme | undefined): {
  added: number; refused: RepairedShard[];
} {
  let added = 0;
  const refused: RepairedShard[] = [];
  for (const r of shards) {
    const shard = r.shard!;
    const part = parts.find((p) => p.number === r.partNumber);
    const stripe = part?.stripes[r.stripe];
    if (!part || !stripe || shard.index >= totalShards(schemeOf(part))) {
      refused.push(r);
      continue;
    }
    const same = stripe.shards.find((s) => s.chunkId === shard.chunkId && s.node === shard.node);
    if (same && same.index === shard.index) {
      added++; // recorded by an earlier attempt whose answer was lost
      continue;
    }
    const anchored = stripe.shards.some((s) => s.chunkId === r.anchorChunkId);
    const sized = stripe.shards.every((s) => s.size === 0n || shard.size === 0n || s.size === shard.size);
    if (!anchored || !sized || same || stripe.shards.some((s) => s.index === shard.index)) {
      refused.push(r);
      continue;
    }
    stripe.shards.push(create(ShardSchema, { ...shard }));
    stripe.shards.sort((a, b) => a.index - b.index);
    added++;
  }
  return { added, refused };
}

export async function applyAddRepairedShards(ctx: ApplyContext, req: AddRepairedShardsRequest): Promise<AddRepairedShardsResponse> {
  checkRequest(req);
  const outcome = req.versionId !== '' ? await addToVersion(ctx, req) : await addToUpload(ctx, req);
  ctx.garbage(outcome.refused.map((r) => create(ChunkRefSchema, { node: r.shard!.node, chunkId: r.shard!.chunkId })),
    GarbageReason.WRITE_REJECTED, req.bucket, req.key);
  return create(AddRepairedShardsResponseSchema, { added: outcome.added, refused: outcome.refused.length });
}

async function addToVersion(ctx: ApplyContext, req: AddRepairedShardsRequest): Promise<{ added: number; refused: RepairedShard[] }> {
  const none = { added: 0, refused: [...req.shards] };
  const seq = req.versionId === NULL_VERSION_ID ? await nullVersionSequence(ctx, req.bucket, req.key) : sequenceOfId(req.versionId);
  if (seq === undefined || seq === null) return none;
  const version = await ctx.get(ObjectVersionSchema, key.version(req.bucket, req.key, seq));
  if (!version || version.versionId !== req.versionId || version.deleteMarker) return none;
  // Decoded afresh by every read, so it is ours to change.
  const manifest = await loadManifest(ctx, seq);
  if (!manifest) return none;
  const result = addToParts(manifest.parts, req.shards,
    (p) => effectiveCoding({ scheme: manifest.scheme, blockSize: manifest.blockSize }, { scheme: p.scheme, blockSize: p.blockSize }).scheme);
  if (result.refused.length < req.shards.length) ctx.put(key.manifest(seq), ManifestSchema, manifest);
  return result;
}

async function addToUpload(ctx: ApplyContext, req: AddRepairedShardsRequest): Promise<{ added: number; refused: RepairedShard[] }> {
  const upload = await ctx.get(MultipartUploadSchema, key.upload(req.bucket, req.key, req.uploadId));
  if (!upload) return { added: 0, refused: [...req.shards] };
  let added = 0;
  const refused: RepairedShard[] = [];
  const byPart = new Map<number, RepairedShard[]>();
  for (const r of req.shards) byPart.set(r.partNumber, [...(byPart.get(r.partNumber) ?? []), r]);
  for (const [number, shards] of byPart) {
    const pkey = key.part(req.uploadId, number);
    const part = await ctx.get(UploadPartSchema, pkey);
    if (!part?.data) {
      refused.push(...shards);
      continue;
    }
    const result = addToParts([part.data!], shards, () => upload.scheme);
    added += result.added;
    refused.push(...result.refused);
    if (result.refused.length < shards.length) ctx.put(pkey, UploadPartSchema, part);
  }
  return { added, refused };
}
