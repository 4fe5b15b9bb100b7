// AppendObject (OSS): bytes added at the end of an appendable object. The position check is
// the metadata service's, decided in the Raft apply, so two racing appends cannot both land at
// the same offset. Appendable objects are stored as one replica per zone: they usually grow by
// small pieces (logs), every piece is written with the object's one scheme, and replicas keep
// appends possible while a zone is down.
import { createHash } from 'node:crypto';
import { metaCall } from '../errors/meta-error-mapping.ts';
import { isStoreError, StoreError } from '../errors/store-error.ts';
import { MAX_PUT_OBJECT_BYTES } from '../http/gateway-limits.ts';
import { objectAttributesFromHeaders } from '../s3/index.ts';
import { REPLICATED_STORAGE_CLASS } from '../../erasure/index.ts';
import { newObjectAcl } from './access-documents.ts';
import { objectKey, addressedBucket } from './bucket-access.ts';
import { combineObjectCrc64, crc64Tap } from './crc64-tap.ts';
import { type Handler, sendEmpty } from './request-context.ts';
import { declaredSize } from './object-write-handlers.ts';
import { sseWriteFor } from './object-encryption.ts';

function appendPosition(raw: string | undefined): number {
  if (raw === undefined || !/^\d{1,16}$/.test(raw)) throw new StoreError('InvalidArgument', 'position must be a non-negative integer');
  return Number(raw);
}

export const appendObject: Handler = async (ctx) => {
  const bucket = await addressedBucket(ctx);
  const key = objectKey(ctx);
  const position = appendPosition(ctx.request.query.get('position'));
  const current = await ctx.services.meta.call('getObject', { bucket: bucket.name, key, versionId: '' })
    .then((r) => r.version, (err: unknown) => {
      const e = metaErrorCode(err);
      if (e === 'NoSuchKey') return undefined;
      throw err;
    });
  const existing = current && !current.deleteMarker ? current : undefined;
  if (existing && existing.objectType !== 'Appendable') {
    throw new StoreError('ObjectNotAppendable', 'The object is not appendable', { Key: key });
  }
  // Appendable objects are stored unencrypted: refused rather than stored in the clear when encryption is asked for.
  if (sseWriteFor(ctx, bucket) || existing?.manifest?.encryption?.mode) {
    throw new StoreError('InvalidArgument', 'AppendObject is not supported with server-side encryption (the request asks for it or the bucket encrypts by default).', { Key: key });
  }
  const currentSize = existing ? Number(existing.size) : 0;
  if (position !== currentSize) {
    throw new StoreError('PositionNotEqualToLength', 'Position is not equal to file length', { Key: key, NextAppendPosition: String(currentSize) });
  }
  const body = ctx.body();
  const size = declaredSize(body.size, MAX_PUT_OBJECT_BYTES);
  const { scheme, blockSize } = existing?.manifest?.scheme
    ? { scheme: existing.manifest.scheme, blockSize: Number(existing.manifest.blockSize) }
    : ctx.services.data.uploadScheme({ storageClass: REPLICATED_STORAGE_CLASS });
  const crc = crc64Tap(body.stream);
  const written = await ctx.services.data.write(crc.stream, { size, scheme, blockSize });
  const digests = body.digests();
  const pieceCrc = crc.value();
  const crc64ecma = existing ? combineObjectCrc64(existing.checksums['crc64ecma'], pieceCrc, size) : pieceCrc;
  // An appendable object's ETag names its content so far: each append folds the piece's MD5 in.
  const etag = createHash('md5').update(`${existing?.etag ?? ''}:${digests.md5Hex}`).digest('hex');
  const attributes = { ...objectAttributesFromHeaders(ctx.req.headers), owner: ctx.principal, acl: newObjectAcl(ctx.req.headers, ctx.dialect.name, bucket) };
  const { version } = await metaCall(ctx.services.meta.call('appendObject', {
    bucket: bucket.name, key, position: BigInt(position),
    part: { size: BigInt(size), etag: digests.md5Hex, stripes: written.stripes },
    scheme, blockSize: BigInt(blockSize), etag, checksums: crc64ecma === undefined ? {} : { crc64ecma }, attributes,
  }));
  sendEmpty(ctx, 200, { etag: `"${version!.etag}"`, 'x-oss-next-append-position': String(version!.size) }, version);
};

function metaErrorCode(err: unknown): string | undefined {
  if (isStoreError(err)) return err.code;
  return (err as { code?: string })?.code;
}
