// PutObject, CopyObject, DeleteObject and DeleteObjects. A write stores its bytes first (shards
// durable under the zone-safe acknowledgement rule), then commits the manifest through meta;
// only the commit makes the object visible. A refused commit leaves garbage that meta queues
// for deletion, never a half-visible object.
import { bypassGovernance, lockFromWriteHeaders } from './object-lock-handlers.ts';
import type { ObjectAttributes } from '../../common/gen/zonestore/meta/v1/records_pb.ts';
import { VersioningState } from '../../common/gen/zonestore/meta/v1/records_pb.ts';
import type { MessageInitShape } from '@bufbuild/protobuf';
import type { ObjectAttributesSchema } from '../../common/gen/zonestore/meta/v1/records_pb.ts';
import { readBodyFully } from '../auth/index.ts';
import { fromMetaError, metaCall } from '../errors/meta-error-mapping.ts';
import { isStoreError, StoreError } from '../errors/store-error.ts';
import { MAX_PUT_OBJECT_BYTES, MAX_XML_BODY_BYTES, MULTI_DELETE_CONCURRENCY } from '../http/gateway-limits.ts';
import {
  checkCopyToItself, objectAttributesFromHeaders, parseCopySource, parseDeleteObjects, parseMetadataDirective, type DeleteOutcome,
} from '../s3/index.ts';
import { parseSseWrite } from '../encryption/sse-request.ts';
import { newObjectAcl } from './access-documents.ts';
import { objectKey, addressedBucket } from './bucket-access.ts';
import { copySourceBytes, readCopySource } from './copy-source.ts';
import { sealedEtag, sealedPart, sealNew, sseHeaders, sseWriteFor } from './object-encryption.ts';
import { CRC64_ECMA, crc64Tap } from './crc64-tap.ts';
import { type Handler, header, type RequestContext, sendEmpty, sendXml } from './request-context.ts';

type AttributesInit = MessageInitShape<typeof ObjectAttributesSchema>;

function versionHeaders(versioned: boolean, version: { versionId: string }): Record<string, string> {
  return versioned && version.versionId ? { 'x-amz-version-id': version.versionId } : {};
}

/** The declared body size, which every object write needs up front (placement depends on it). */
export function declaredSize(size: number | undefined, max: number): number {
  if (size === undefined) throw new StoreError('MissingContentLength', 'You must provide the Content-Length HTTP header.');
  if (size > max) {
    throw new StoreError('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', { MaxSizeAllowed: String(max), ProposedSize: String(size) });
  }
  return size;
}

export function preconditionsFrom(ctx: RequestContext): { ifMatch: string; ifNoneMatch: string } {
  return { ifMatch: header(ctx, 'if-match'), ifNoneMatch: header(ctx, 'if-none-match') };
}

export const putObject: Handler = async (ctx) => {
  const bucket = await addressedBucket(ctx);
  const key = objectKey(ctx);
  const attributes: AttributesInit = { ...objectAttributesFromHeaders(ctx.req.headers), owner: ctx.principal, acl: newObjectAcl(ctx.req.headers, ctx.dialect.name, bucket) };
  const body = ctx.body();
  const lock = lockFromWriteHeaders(ctx);
  const size = declaredSize(body.size, MAX_PUT_OBJECT_BYTES);
  const sse = sseWriteFor(ctx, bucket);
  const seal = sse ? await sealNew(ctx, bucket, key, sse) : undefined;
  const crc = crc64Tap(body.stream);
  // Checksums and the CRC-64 are of the plaintext (what clients see); the data path stores blocks.
  const stored = seal ? sealedPart(seal, 1, size, crc.stream) : { stream: crc.stream, storedSize: size };
  const written = await ctx.services.data.write(stored.stream, { size: stored.storedSize, storageClass: attributes.storageClass || undefined });
  const digests = body.digests();
  const etag = sealedEtag(seal, digests.md5Hex);
  const commit = () => metaCall(ctx.services.meta.call('putObject', {
    bucket: bucket.name, key, size: BigInt(size), etag, checksums: { ...digests.checksums, [CRC64_ECMA]: crc.value() }, attributes,
    manifest: {
      scheme: written.scheme, blockSize: BigInt(written.blockSize), encryption: seal?.envelope,
      parts: [{ number: 1, size: BigInt(stored.storedSize), etag, stripes: written.stripes }],
    },
    preconditions: preconditionsFrom(ctx),
    lock,
  }));
  const headers: Record<string, string> = { etag: `"${etag}"`, ...sseHeaders(seal) };
  for (const [alg, value] of Object.entries(digests.checksums)) if (value) headers[`x-amz-checksum-${alg}`] = value;
  const deferred = ctx.services.unsafeDeferredCommits;
  if (deferred) {
    // The planted bug (test-only, debug/unsafe-flags.ts): answered before anything is committed.
    deferred.defer({ bucket: bucket.name, key, requestId: ctx.requestId }, commit);
    sendEmpty(ctx, 200, headers);
    return;
  }
  const { version } = await commit();
  sendEmpty(ctx, 200, { ...headers, ...versionHeaders(bucket.versioning !== VersioningState.UNSPECIFIED, version!) }, version);
};

export const copyObject: Handler = async (ctx) => {
  const bucket = await addressedBucket(ctx);
  const key = objectKey(ctx);
  const source = await readCopySource(ctx);
  const src = source.version;
  const directive = parseMetadataDirective(header(ctx, 'x-amz-metadata-directive'));
  const fromHeaders = objectAttributesFromHeaders(ctx.req.headers);
  const asked = parseSseWrite(ctx.req.headers, ctx.dialect.name);
  checkCopyToItself({
    // Copying a named older version over the key restores it: a change S3 allows.
    sameObject: source.bucket === bucket.name && source.key === key && (parseCopySource(header(ctx, 'x-amz-copy-source')).versionId ?? '') === '',
    directive, storageClassChanged: fromHeaders.storageClass !== '' && fromHeaders.storageClass !== (src.attributes?.storageClass ?? ''),
    redirectChanged: fromHeaders.headers['x-amz-website-redirect-location'] !== undefined,
    encryptionChanged: asked !== undefined,
  });
  const size = Number(src.size);
  if (size > MAX_PUT_OBJECT_BYTES) {
    throw new StoreError('InvalidRequest', `The specified copy source is larger than the maximum allowable size for a copy source: ${MAX_PUT_OBJECT_BYTES}`);
  }
  const attributes: AttributesInit = directive === 'REPLACE'
    ? { ...fromHeaders, owner: ctx.principal, acl: newObjectAcl(ctx.req.headers, ctx.dialect.name, bucket) }
    : {
      contentType: src.attributes?.contentType ?? '', userMeta: { ...src.attributes?.userMeta }, headers: { ...src.attributes?.headers },
      tags: { ...src.attributes?.tags }, storageClass: fromHeaders.storageClass || src.attributes?.storageClass || '', owner: ctx.principal, acl: newObjectAcl(ctx.req.headers, ctx.dialect.name, bucket),
    };
  // The copy is encrypted as a new write would be (its own headers, else the bucket's default), whatever the source's.
  const sse = sseWriteFor(ctx, bucket);
  const seal = sse ? await sealNew(ctx, bucket, key, sse) : undefined;
  const bytes = copySourceBytes(ctx, source);
  const crc = crc64Tap(bytes.stream);
  const stored = seal ? sealedPart(seal, 1, size, crc.stream) : { stream: crc.stream, storedSize: size };
  const written = await ctx.services.data.write(stored.stream, { size: stored.storedSize, storageClass: attributes.storageClass || undefined });
  const etag = sealedEtag(seal, bytes.md5Hex());
  // Whole-object checksums stay true of identical bytes; a multipart source's are per part.
  const checksums = { ...(src.partsCount === 0 ? src.checksums : {}), [CRC64_ECMA]: crc.value() };
  const { version } = await metaCall(ctx.services.meta.call('putObject', {
    bucket: bucket.name, key, size: BigInt(size), etag, checksums, attributes,
    manifest: {
      scheme: written.scheme, blockSize: BigInt(written.blockSize), encryption: seal?.envelope,
      parts: [{ number: 1, size: BigInt(stored.storedSize), etag, stripes: written.stripes }],
    },
    preconditions: preconditionsFrom(ctx),
    lock: lockFromWriteHeaders(ctx),
  }));
  const headers: Record<string, string> = { ...versionHeaders(bucket.versioning !== VersioningState.UNSPECIFIED, version!), ...sseHeaders(seal) };
  if (src.versionId && src.versionId !== 'null') headers['x-amz-copy-source-version-id'] = src.versionId;
  sendXml(ctx, 200, ctx.dialect.xml.renderCopyObjectResult({ etag, lastModifiedMs: Number(version!.lastModifiedMs), checksums: src.partsCount === 0 ? src.checksums : {} }), headers, version);
};

async function deleteOne(ctx: RequestContext, bucket: string, key: string, versionId: string): Promise<{ versionId: string; deleteMarker: boolean }> {
  try {
    return await ctx.services.meta.call('deleteObject', { bucket, key, versionId, bypassGovernance: await bypassGovernance(ctx, key) });
  } catch (raw) {
    const err = fromMetaError(raw);
    // Deleting what is not there succeeds, as in S3.
    if (isStoreError(err) && (err.code === 'NoSuchKey' || err.code === 'NoSuchVersion')) return { versionId: '', deleteMarker: false };
    throw err;
  }
}

export const deleteObject: Handler = async (ctx) => {
  const bucket = await addressedBucket(ctx);
  const key = objectKey(ctx);
  const res = await deleteOne(ctx, bucket.name, key, ctx.request.query.get('versionId') ?? '');
  const headers: Record<string, string> = {};
  if (res.deleteMarker) headers['x-amz-delete-marker'] = 'true';
  if (bucket.versioning !== VersioningState.UNSPECIFIED && res.versionId) headers['x-amz-version-id'] = res.versionId;
  sendEmpty(ctx, 204, headers);
};

export const deleteObjects: Handler = async (ctx) => {
  const bucket = await addressedBucket(ctx);
  const request = parseDeleteObjects(await readBodyFully(ctx.body(), MAX_XML_BODY_BYTES));
  const outcomes: DeleteOutcome[] = new Array(request.objects.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < request.objects.length) {
      const i = next++;
      const o = request.objects[i]!;
      try {
        await ctx.access.checkEachKey(o.key, o.versionId);
        const res = await deleteOne(ctx, bucket.name, o.key, o.versionId ?? '');
        outcomes[i] = { key: o.key, versionId: o.versionId, deleteMarker: res.deleteMarker, deleteMarkerVersionId: res.deleteMarker ? res.versionId : undefined };
      } catch (err) {
        const e = isStoreError(err) ? err : new StoreError('InternalError', 'We encountered an internal error. Please try again.');
        outcomes[i] = { key: o.key, versionId: o.versionId, error: { code: e.code, message: e.message } };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(MULTI_DELETE_CONCURRENCY, request.objects.length) }, worker));
  sendXml(ctx, 200, ctx.dialect.xml.renderDeleteResult(outcomes, { quiet: request.quiet }));
};
