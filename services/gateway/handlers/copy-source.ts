// The source side of CopyObject and UploadPartCopy: which version is copied (conditions
// checked), and its bytes streamed from the data nodes through an MD5 (the copy's ETag).
import { createHash } from 'node:crypto';
import { Transform } from 'node:stream';
import type { ObjectVersion } from '../../common/gen/zonestore/meta/v1/records_pb.ts';
import { metaCall } from '../errors/meta-error-mapping.ts';
import { StoreError } from '../errors/store-error.ts';
import {
  evaluateCopySourceConditions, parseCopySource,
} from '../s3/index.ts';
import { addressedBucket } from './bucket-access.ts';
import { customerKeyOf, type ObjectSeal, openSeal, readPlaintext } from './object-encryption.ts';
import { header, type RequestContext } from './request-context.ts';

export interface CopySource {
  version: ObjectVersion;
  bucket: string;
  key: string;
  /** The source's encryption, opened (with the copy-source SSE-C headers when it is SSE-C). */
  seal: ObjectSeal | undefined;
}

export async function readCopySource(ctx: RequestContext): Promise<CopySource> {
  const src = parseCopySource(header(ctx, 'x-amz-copy-source'));
  const sourceBucket = await addressedBucket(ctx, src.bucket);
  const { version } = await metaCall(ctx.services.meta.call('getObject', { bucket: src.bucket, key: src.key, versionId: src.versionId ?? '' }));
  if (!version || version.deleteMarker) {
    throw new StoreError(src.versionId ? 'InvalidRequest' : 'NoSuchKey',
      src.versionId ? 'The source of a copy request may not specifically refer to a delete marker by version id.' : 'The specified key does not exist.',
      { Key: src.key });
  }
  const outcome = evaluateCopySourceConditions({
    ifMatch: header(ctx, 'x-amz-copy-source-if-match'), ifNoneMatch: header(ctx, 'x-amz-copy-source-if-none-match'),
    ifModifiedSince: header(ctx, 'x-amz-copy-source-if-modified-since'), ifUnmodifiedSince: header(ctx, 'x-amz-copy-source-if-unmodified-since'),
  }, { etag: version.etag, lastModifiedMs: Number(version.lastModifiedMs) });
  if (outcome !== 'ok') throw outcome;
  const seal = await openSeal(ctx, sourceBucket, version.manifest?.encryption, customerKeyOf(ctx, 'copy-source-'));
  return { version, bucket: src.bucket, key: src.key, seal };
}

/** Plaintext bytes [range] (or all) of the source, hashed as they pass; `md5Hex()` once they all have. */
export function copySourceBytes(ctx: RequestContext, source: CopySource, range?: { start: number; end: number }): { stream: Transform; md5Hex: () => string } {
  const version = source.version;
  const hash = createHash('md5');
  const stream = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      hash.update(chunk);
      cb(null, chunk);
    },
  });
  const empty = Number(version.size) === 0 || (range !== undefined && range.end < range.start);
  if (empty || !version.manifest) {
    stream.end();
  } else {
    const bytes = readPlaintext(ctx, version.manifest, source.seal, range);
    bytes.once('error', (err) => stream.destroy(err));
    bytes.pipe(stream);
  }
  return { stream, md5Hex: () => hash.digest('hex') };
}
