// PutSymlink / GetSymlink (OSS), and following a symlink on GET/HEAD. A symlink is a 0-byte
// object of type Symlink whose target key (same bucket) is kept with its attributes; reading
// it reads the target as it is at that moment, one level deep, as OSS does.
import type { ObjectVersion } from '../../common/gen/zonestore/meta/v1/records_pb.ts';
import { metaCall } from '../errors/meta-error-mapping.ts';
import { isStoreError, StoreError } from '../errors/store-error.ts';
import { checkKeyLength, objectAttributesFromHeaders } from '../s3/index.ts';
import { newObjectAcl } from './access-documents.ts';
import { objectKey, addressedBucket } from './bucket-access.ts';
import { preconditionsFrom } from './object-write-handlers.ts';
import { type Handler, header, sendEmpty } from './request-context.ts';
import type { MetaClient } from '../../meta/client/meta-client.ts';

export const SYMLINK_TARGET_HEADER = 'x-oss-symlink-target';
export const SYMLINK_OBJECT_TYPE = 'Symlink';

function targetOf(raw: string): string {
  let target: string;
  try {
    target = decodeURIComponent(raw);
  } catch {
    throw new StoreError('InvalidArgument', 'x-oss-symlink-target is not valid percent-encoding');
  }
  if (target === '') throw new StoreError('InvalidArgument', 'x-oss-symlink-target is missing');
  checkKeyLength(target);
  return target;
}

export const putSymlink: Handler = async (ctx) => {
  const bucket = await addressedBucket(ctx);
  const key = objectKey(ctx);
  const target = targetOf(header(ctx, SYMLINK_TARGET_HEADER));
  const fromHeaders = objectAttributesFromHeaders(ctx.req.headers);
  const attributes = { ...fromHeaders, headers: { ...fromHeaders.headers, [SYMLINK_TARGET_HEADER]: target }, owner: ctx.principal, acl: newObjectAcl(ctx.req.headers, ctx.dialect.name, bucket) };
  const { version } = await metaCall(ctx.services.meta.call('putObject', {
    bucket: bucket.name, key, size: 0n, etag: 'd41d8cd98f00b204e9800998ecf8427e', attributes, objectType: SYMLINK_OBJECT_TYPE,
    manifest: { parts: [] }, preconditions: preconditionsFrom(ctx),
  }));
  sendEmpty(ctx, 200, { etag: `"${version!.etag}"` }, version);
};

export const getSymlink: Handler = async (ctx) => {
  const bucket = await addressedBucket(ctx);
  const key = objectKey(ctx);
  const { version } = await metaCall(ctx.services.meta.call('getObject', { bucket: bucket.name, key, versionId: ctx.request.query.get('versionId') ?? '' }));
  if (!version || version.deleteMarker) throw new StoreError('NoSuchKey', 'The specified key does not exist.', { Key: key });
  if (version.objectType !== SYMLINK_OBJECT_TYPE) throw new StoreError('NotSymlink', 'The specified object is not a symlink.', { Key: key });
  sendEmpty(ctx, 200, {
    etag: `"${version.etag}"`, 'last-modified': new Date(Number(version.lastModifiedMs)).toUTCString(),
    [SYMLINK_TARGET_HEADER]: encodeURIComponent(version.attributes?.headers[SYMLINK_TARGET_HEADER] ?? ''),
  }, version);
};

/** The object a read of `version` serves: the target for a symlink (which must exist), else itself. */
export async function followSymlink(meta: MetaClient, bucket: string, version: ObjectVersion): Promise<ObjectVersion> {
  if (version.objectType !== SYMLINK_OBJECT_TYPE) return version;
  const target = version.attributes?.headers[SYMLINK_TARGET_HEADER] ?? '';
  try {
    const { version: t } = await metaCall(meta.call('getObject', { bucket, key: target, versionId: '' }));
    if (!t || t.deleteMarker || t.objectType === SYMLINK_OBJECT_TYPE) throw new StoreError('SymlinkTargetNotExist', 'The symlink target object does not exist', { Key: target });
    return t;
  } catch (err) {
    if (isStoreError(err, 'NoSuchKey')) throw new StoreError('SymlinkTargetNotExist', 'The symlink target object does not exist', { Key: target });
    throw err;
  }
}
