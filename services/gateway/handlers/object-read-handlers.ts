// GetObject and HeadObject: a linearizable metadata read, then (GET) the bytes streamed from
// the data nodes. The first bytes are fetched before the status line goes out, so an object
// that cannot be read at all gets a proper error document instead of a cut-off 200.
import { lockResponseHeaders } from './object-lock-handlers.ts';
import type { Readable } from 'node:stream';
import type { Bucket, ObjectVersion } from '../../common/gen/zonestore/meta/v1/records_pb.ts';
import { VersioningState } from '../../common/gen/zonestore/meta/v1/records_pb.ts';
import { metaCall } from '../errors/meta-error-mapping.ts';
import { StoreError } from '../errors/store-error.ts';
import {
  evaluateConditions, objectHeaders, parsePartNumber, parseRange, responseOverrides,
} from '../s3/index.ts';
import { objectKey, addressedBucket } from './bucket-access.ts';
import { customerKeyOf, envelopeHeaders, type ObjectSeal, openSeal, plainPartSizes, readPlaintext, sseHeaders } from './object-encryption.ts';
import { followSymlink } from './symlink-handlers.ts';
import { type Handler, header, type RequestContext, writeHead } from './request-context.ts';

interface ReadPlan {
  version: ObjectVersion;
  bucket: Bucket;
  status: number;
  headers: Record<string, string>;
  range?: { start: number; end: number };
}

async function planRead(ctx: RequestContext): Promise<ReadPlan> {
  const bucket = await addressedBucket(ctx);
  const key = objectKey(ctx);
  const versionId = ctx.request.query.get('versionId') ?? '';
  const { version: found } = await metaCall(ctx.services.meta.call('getObject', { bucket: bucket.name, key, versionId }));
  if (!found) throw new StoreError('NoSuchKey', 'The specified key does not exist.', { Key: key });
  const version = found.deleteMarker ? found : await followSymlink(ctx.services.meta, bucket.name, found);
  if (version.deleteMarker) {
    // A delete marker named by version id is "method not allowed"; as the latest it hides the key.
    if (versionId) throw new StoreError('MethodNotAllowed', 'The specified method is not allowed against this resource.', { Key: key });
    throw new StoreError('NoSuchKey', 'The specified key does not exist.', { Key: key });
  }
  const size = Number(version.size);
  const lastModifiedMs = Number(version.lastModifiedMs);
  const outcome = evaluateConditions({
    ifMatch: header(ctx, 'if-match'), ifNoneMatch: header(ctx, 'if-none-match'),
    ifModifiedSince: header(ctx, 'if-modified-since'), ifUnmodifiedSince: header(ctx, 'if-unmodified-since'),
  }, { etag: version.etag, lastModifiedMs });
  if (outcome !== 'ok') throw outcome;

  const versioned = bucket.versioning !== VersioningState.UNSPECIFIED;
  let range: { start: number; end: number } | undefined;
  const partNumber = parsePartNumber(ctx.request.query.get('partNumber'));
  const extra: Record<string, string> = {};
  if (partNumber !== undefined) {
    range = partRange(version, partNumber);
    if (version.partsCount > 0) extra['x-amz-mp-parts-count'] = String(version.partsCount);
  } else {
    range = parseRange(header(ctx, 'range'), size);
  }
  const ranged = range !== undefined && !(partNumber !== undefined && version.partsCount === 0);
  const headers: Record<string, string> = {
    ...objectHeaders(version, {
      versioned,
      // Whole-object checksums describe the whole object only.
      checksumMode: !ranged && header(ctx, 'x-amz-checksum-mode').toUpperCase() === 'ENABLED',
    }),
    ...responseOverrides(ctx.request.query),
    ...extra,
    ...envelopeHeaders(version.manifest?.encryption),
    ...lockResponseHeaders(version),
  };
  if (ranged && range) {
    headers['content-range'] = `bytes ${range.start}-${range.end}/${size}`;
    headers['content-length'] = String(range.end - range.start + 1);
    return { version, bucket, status: 206, headers, range };
  }
  headers['content-length'] = String(size);
  return { version, bucket, status: 200, headers, range: undefined };
}

/** The byte range of part `n` of a multipart object (part 1 of a plain object is all of it). */
function partRange(version: ObjectVersion, n: number): { start: number; end: number } | undefined {
  const size = Number(version.size);
  if (version.partsCount === 0) {
    if (n !== 1) throw new StoreError('InvalidPartNumber', 'The requested partnumber is not satisfiable');
    return size === 0 ? undefined : { start: 0, end: size - 1 };
  }
  let start = 0;
  const parts = version.manifest?.parts ?? [];
  const sizes = version.manifest ? plainPartSizes(version.manifest) : [];
  for (const [i, p] of parts.entries()) {
    const len = sizes[i]!;
    if (p.number === n) return { start, end: start + len - 1 };
    start += len;
  }
  throw new StoreError('InvalidPartNumber', 'The requested partnumber is not satisfiable');
}

/**
 * The object's encryption, opened as far as the answer needs: HEAD checks an SSE-C key (S3
 * asks for it there too) but unwraps no KMS key; GET opens the seal to decrypt.
 */
async function sealFor(ctx: RequestContext, plan: ReadPlan, decrypting: boolean): Promise<ObjectSeal | undefined> {
  const envelope = plan.version.manifest?.encryption;
  const customer = customerKeyOf(ctx);
  if (!decrypting && envelope?.mode !== 'SSE-C' && !customer) return undefined;
  return openSeal(ctx, plan.bucket, envelope, customer);
}

export const headObject: Handler = async (ctx) => {
  const plan = await planRead(ctx);
  const seal = await sealFor(ctx, plan, false);
  writeHead(ctx, plan.status, { ...plan.headers, ...sseHeaders(seal) }, plan.version);
  ctx.res.end();
};

export const getObject: Handler = async (ctx) => {
  const plan = await planRead(ctx);
  const seal = await sealFor(ctx, plan, true);
  const headers = { ...plan.headers, ...sseHeaders(seal) };
  const size = Number(plan.version.size);
  if (size === 0 || !plan.version.manifest) {
    writeHead(ctx, plan.status, headers, plan.version);
    ctx.res.end();
    return;
  }
  await streamToResponse(ctx, readPlaintext(ctx, plan.version.manifest, seal, plan.range), plan.status, headers, plan.version);
};

/** Writes the status line only once the first bytes are in hand, then streams with backpressure. */
export async function streamToResponse(
  ctx: RequestContext, stream: Readable, status: number, headers: Record<string, string>, version?: ObjectVersion,
): Promise<void> {
  const res = ctx.res;
  const it = stream[Symbol.asyncIterator]() as AsyncIterator<Uint8Array>;
  let next: IteratorResult<Uint8Array>;
  try {
    next = await it.next();
  } catch (err) {
    stream.destroy();
    throw err;
  }
  writeHead(ctx, status, headers, version);
  const gone = new Promise<void>((resolve) => res.once('close', resolve));
  try {
    while (!next.done) {
      if (!res.write(next.value)) {
        await Promise.race([new Promise<void>((resolve) => res.once('drain', resolve)), gone]);
      }
      if (res.destroyed) {
        stream.destroy();
        return;
      }
      next = await it.next();
    }
    res.end();
  } catch (err) {
    stream.destroy();
    throw err;
  }
}
