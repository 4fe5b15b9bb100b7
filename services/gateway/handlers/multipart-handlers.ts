// Multipart uploads. Every part is stored with the scheme chosen when the upload began (the
// completed manifest has one scheme), then recorded in meta; completion checks the part list
// and ETags in the state machine, so two racing completions cannot both win.
import { lockFromWriteHeaders } from './object-lock-handlers.ts';
import { VersioningState } from '../../common/gen/zonestore/meta/v1/records_pb.ts';
import { readBodyFully } from '../auth/index.ts';
import { metaCall } from '../errors/meta-error-mapping.ts';
import { StoreError } from '../errors/store-error.ts';
import { MAX_PART_BYTES, MAX_XML_BODY_BYTES } from '../http/gateway-limits.ts';
import {
  objectAttributesFromHeaders, parseCompleteMultipartUpload, parseCopySourceRange, parsePartNumber, objectUrl,
} from '../s3/index.ts';
import { newObjectAcl } from './access-documents.ts';
import { objectKey, addressedBucket } from './bucket-access.ts';
import { copySourceBytes, readCopySource } from './copy-source.ts';
import { combineObjectCrc64, CRC64_ECMA, crc64Tap } from './crc64-tap.ts';
import { declaredSize, preconditionsFrom } from './object-write-handlers.ts';
import { customerKeyOf, envelopeHeaders, openSeal, sealedEtag, sealedPart, sealNew, sseHeaders, sseWriteFor } from './object-encryption.ts';
import { type Handler, header, type RequestContext, sendEmpty, sendXml } from './request-context.ts';

const CHECKSUM_ALGORITHMS = new Set(['crc32', 'crc32c', 'crc64nvme', 'sha1', 'sha256']);

function uploadIdOf(ctx: RequestContext): string {
  const id = ctx.request.query.get('uploadId');
  if (!id) throw new StoreError('InvalidArgument', 'This operation needs an uploadId');
  return id;
}

export const createMultipartUpload: Handler = async (ctx) => {
  const bucket = await addressedBucket(ctx);
  const key = objectKey(ctx);
  const attributes = { ...objectAttributesFromHeaders(ctx.req.headers), owner: ctx.principal, acl: newObjectAcl(ctx.req.headers, ctx.dialect.name, bucket) };
  const checksumAlgorithm = header(ctx, 'x-amz-checksum-algorithm').toLowerCase();
  if (checksumAlgorithm && !CHECKSUM_ALGORITHMS.has(checksumAlgorithm)) {
    throw new StoreError('InvalidRequest', `Checksum algorithm ${checksumAlgorithm} is not supported`);
  }
  const { scheme, blockSize } = ctx.services.data.uploadScheme({ storageClass: attributes.storageClass || undefined });
  // The upload's encryption (mode, key, salt) is fixed now; every part is encrypted with it.
  const sse = sseWriteFor(ctx, bucket);
  const seal = sse ? await sealNew(ctx, bucket, key, sse) : undefined;
  const { upload } = await metaCall(ctx.services.meta.call('createMultipartUpload', {
    bucket: bucket.name, key, attributes, scheme, blockSize: BigInt(blockSize), checksumAlgorithm, encryption: seal?.envelope,
    lock: lockFromWriteHeaders(ctx),
  }));
  const headers: Record<string, string> = { ...sseHeaders(seal) };
  if (checksumAlgorithm) headers['x-amz-checksum-algorithm'] = checksumAlgorithm.toUpperCase();
  sendXml(ctx, 200, ctx.dialect.xml.renderInitiateMultipartUpload({ bucket: bucket.name, key, uploadId: upload!.uploadId }), headers);
};

async function uploadOf(ctx: RequestContext, bucket: string, key: string) {
  const { upload } = await metaCall(ctx.services.meta.call('getMultipartUpload', { bucket, key, uploadId: uploadIdOf(ctx) }));
  if (!upload) throw new StoreError('NoSuchUpload', 'The specified multipart upload does not exist.');
  return upload;
}

function requirePartNumber(ctx: RequestContext): number {
  const n = parsePartNumber(ctx.request.query.get('partNumber'));
  if (n === undefined) throw new StoreError('InvalidArgument', 'Part number must be an integer between 1 and 10000, inclusive');
  return n;
}

export const uploadPart: Handler = async (ctx) => {
  const bucket = await addressedBucket(ctx);
  const key = objectKey(ctx);
  const partNumber = requirePartNumber(ctx);
  const upload = await uploadOf(ctx, bucket.name, key);
  const body = ctx.body();
  const size = declaredSize(body.size, MAX_PART_BYTES);
  // An SSE-C upload needs its key again with every part.
  const seal = await openSeal(ctx, bucket, upload.encryption, customerKeyOf(ctx));
  const crc = crc64Tap(body.stream);
  const stored = seal ? sealedPart(seal, partNumber, size, crc.stream) : { stream: crc.stream, storedSize: size };
  const written = await ctx.services.data.write(stored.stream, { size: stored.storedSize, scheme: upload.scheme, blockSize: Number(upload.blockSize) });
  const digests = body.digests();
  const etag = sealedEtag(seal, digests.md5Hex);
  await metaCall(ctx.services.meta.call('putPart', {
    bucket: bucket.name, key, uploadId: upload.uploadId, partNumber, size: BigInt(size), etag,
    checksums: { ...digests.checksums, [CRC64_ECMA]: crc.value() }, stripes: written.stripes,
  }));
  const headers: Record<string, string> = { etag: `"${etag}"`, ...sseHeaders(seal) };
  for (const [alg, value] of Object.entries(digests.checksums)) if (value) headers[`x-amz-checksum-${alg}`] = value;
  sendEmpty(ctx, 200, headers);
};

export const uploadPartCopy: Handler = async (ctx) => {
  const bucket = await addressedBucket(ctx);
  const key = objectKey(ctx);
  const partNumber = requirePartNumber(ctx);
  const upload = await uploadOf(ctx, bucket.name, key);
  const source = await readCopySource(ctx);
  const srcSize = Number(source.version.size);
  const range = parseCopySourceRange(header(ctx, 'x-amz-copy-source-range'), srcSize);
  const size = range ? range.end - range.start + 1 : srcSize;
  if (size > MAX_PART_BYTES) throw new StoreError('InvalidRequest', `The specified copy range is larger than the maximum part size ${MAX_PART_BYTES}`);
  const seal = await openSeal(ctx, bucket, upload.encryption, customerKeyOf(ctx));
  const bytes = copySourceBytes(ctx, source, range);
  const crc = crc64Tap(bytes.stream);
  const stored = seal ? sealedPart(seal, partNumber, size, crc.stream) : { stream: crc.stream, storedSize: size };
  const written = await ctx.services.data.write(stored.stream, { size: stored.storedSize, scheme: upload.scheme, blockSize: Number(upload.blockSize) });
  const etag = sealedEtag(seal, bytes.md5Hex());
  const { part } = await metaCall(ctx.services.meta.call('putPart', {
    bucket: bucket.name, key, uploadId: upload.uploadId, partNumber, size: BigInt(size), etag, stripes: written.stripes,
    checksums: { [CRC64_ECMA]: crc.value() },
  }));
  // OSS clients read a copied part's ETag from the header (S3 clients from the document).
  const headers: Record<string, string> = { etag: `"${etag}"`, ...sseHeaders(seal) };
  if (source.version.versionId && source.version.versionId !== 'null') headers['x-amz-copy-source-version-id'] = source.version.versionId;
  sendXml(ctx, 200, ctx.dialect.xml.renderCopyPartResult({ etag, lastModifiedMs: Number(part?.lastModifiedMs ?? BigInt(Date.now())) }), headers);
};

export const completeMultipartUpload: Handler = async (ctx) => {
  const bucket = await addressedBucket(ctx);
  const key = objectKey(ctx);
  const uploadId = uploadIdOf(ctx);
  const parts = parseCompleteMultipartUpload(await readBodyFully(ctx.body(), MAX_XML_BODY_BYTES));
  // Only for the encryption headers of the answer; whether the upload exists is the completion's to say.
  const upload = await uploadOf(ctx, bucket.name, key).catch(() => undefined);
  const crc64ecma = await completedCrc64(ctx, bucket.name, key, uploadId, parts.map((p) => p.partNumber));
  const { version } = await metaCall(ctx.services.meta.call('completeMultipartUpload', {
    bucket: bucket.name, key, uploadId, parts: parts.map((p) => ({ partNumber: p.partNumber, etag: p.etag })),
    preconditions: preconditionsFrom(ctx), checksums: crc64ecma === undefined ? {} : { [CRC64_ECMA]: crc64ecma },
  }));
  const headers: Record<string, string> = { ...envelopeHeaders(upload?.encryption) };
  if (bucket.versioning !== VersioningState.UNSPECIFIED && version?.versionId) headers['x-amz-version-id'] = version.versionId;
  sendXml(ctx, 200, ctx.dialect.xml.renderCompleteMultipartUpload({
    location: objectUrl(`http://${header(ctx, 'host') || 'localhost'}`, bucket.name, key), bucket: bucket.name, key, etag: version!.etag,
  }), headers, version);
};

/**
 * The completed object's CRC-64/ECMA, combined from its parts' (in the order given); undefined
 * when a part has none (the completion itself then reports the part errors).
 */
async function completedCrc64(ctx: RequestContext, bucket: string, key: string, uploadId: string, numbers: readonly number[]): Promise<string | undefined> {
  const byNumber = new Map<number, { crc: string | undefined; size: number }>();
  let marker = 0;
  for (;;) {
    const page = await metaCall(ctx.services.meta.call('listParts', { bucket, key, uploadId, partNumberMarker: marker, maxParts: 1000 }));
    for (const p of page.parts) byNumber.set(p.number, { crc: p.checksums[CRC64_ECMA], size: Number(p.size) });
    if (!page.isTruncated || page.parts.length === 0) break;
    marker = page.nextPartNumberMarker;
  }
  let crc: string | undefined;
  for (const [i, n] of numbers.entries()) {
    const part = byNumber.get(n);
    if (!part?.crc) return undefined;
    crc = i === 0 ? part.crc : combineObjectCrc64(crc, part.crc, part.size);
  }
  return crc;
}

export const abortMultipartUpload: Handler = async (ctx) => {
  const bucket = await addressedBucket(ctx);
  const key = objectKey(ctx);
  await metaCall(ctx.services.meta.call('abortMultipartUpload', { bucket: bucket.name, key, uploadId: uploadIdOf(ctx) }));
  sendEmpty(ctx, 204);
};
