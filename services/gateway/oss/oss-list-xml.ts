// ListObjects (GetBucket), ListObjectsV2 (GetBucketV2) and ListObjectVersions
// (GetBucketVersions) in OSS's shapes: each entry carries its object Type and an OSS storage
// class name. With encoding-type=url, keys, prefixes, delimiters, markers and tokens are
// percent-encoded (our tokens are URL-safe already).
import type { ObjectVersion } from '../../common/gen/zonestore/meta/v1/records_pb.ts';
import {
  isoTime, type ListObjectsV1Request, type ListObjectsV2Request, type ListObjectVersionsRequest, type ObjectListing,
  type VersionListing,
} from '../s3/index.ts';
import type { XmlWriter } from '../s3/xml-writer.ts';
import { ossObjectType } from './oss-object-type.ts';
import { ossStorageClass } from './oss-storage-class.ts';
import { ossKeyEncoder, type TextEncoding } from './oss-url-encoding.ts';
import { ossDocument, writeOssOwner } from './oss-xml-fragments.ts';

/** v1 always names owners (ali-oss reads Owner.ID unconditionally); NextMarker comes with every truncated page. */
export function renderOssListObjectsV1(res: ObjectListing, req: ListObjectsV1Request): string {
  const { encode, encodingType } = ossKeyEncoder(req.encodingType);
  const w = ossDocument('ListBucketResult')
    .leaf('Name', req.bucket)
    .leaf('Prefix', encode(req.prefix))
    .leaf('Marker', encode(req.marker))
    .leaf('MaxKeys', req.maxKeys)
    .leaf('Delimiter', encode(req.delimiter))
    .optional('EncodingType', encodingType)
    .leaf('IsTruncated', res.isTruncated);
  if (res.isTruncated) w.leaf('NextMarker', encode(res.nextMarker));
  for (const o of res.objects) writeContents(w, o, encode, req.owner);
  writeCommonPrefixes(w, res.commonPrefixes, encode);
  return w.toString();
}

/** v2 names owners only when asked (fetch-owner=true). */
export function renderOssListObjectsV2(res: ObjectListing, req: ListObjectsV2Request): string {
  const { encode, encodingType } = ossKeyEncoder(req.encodingType);
  const w = ossDocument('ListBucketResult')
    .leaf('Name', req.bucket)
    .leaf('Prefix', encode(req.prefix))
    .nonEmpty('StartAfter', encode(req.startAfter))
    .nonEmpty('ContinuationToken', encode(req.continuationToken))
    .leaf('MaxKeys', req.maxKeys)
    .leaf('Delimiter', encode(req.delimiter))
    .optional('EncodingType', encodingType)
    .leaf('IsTruncated', res.isTruncated);
  if (res.isTruncated) w.leaf('NextContinuationToken', encode(res.nextContinuationToken));
  w.leaf('KeyCount', res.objects.length + res.commonPrefixes.length);
  for (const o of res.objects) writeContents(w, o, encode, req.fetchOwner ? req.owner : undefined);
  writeCommonPrefixes(w, res.commonPrefixes, encode);
  return w.toString();
}

export function renderOssListObjectVersions(res: VersionListing, req: ListObjectVersionsRequest): string {
  const { encode, encodingType } = ossKeyEncoder(req.encodingType);
  const w = ossDocument('ListVersionsResult')
    .leaf('Name', req.bucket)
    .leaf('Prefix', encode(req.prefix))
    .leaf('KeyMarker', encode(req.keyMarker))
    .leaf('VersionIdMarker', req.versionIdMarker)
    .leaf('MaxKeys', req.maxKeys)
    .leaf('Delimiter', encode(req.delimiter))
    .optional('EncodingType', encodingType)
    .leaf('IsTruncated', res.isTruncated);
  if (res.isTruncated) w.leaf('NextKeyMarker', encode(res.nextKeyMarker)).leaf('NextVersionIdMarker', res.nextVersionIdMarker);
  for (const v of res.versions) {
    w.start(v.deleteMarker ? 'DeleteMarker' : 'Version')
      .leaf('Key', encode(v.key))
      .leaf('VersionId', v.versionId || 'null')
      .leaf('IsLatest', v.isLatest)
      .leaf('LastModified', isoTime(v.lastModifiedMs));
    if (!v.deleteMarker) {
      w.leaf('ETag', `"${v.etag}"`).leaf('Type', ossObjectType(v)).leaf('Size', v.size)
        .leaf('StorageClass', ossStorageClass(v.attributes?.storageClass));
    }
    writeOssOwner(w, v.attributes?.owner || req.owner);
    w.end();
  }
  writeCommonPrefixes(w, res.commonPrefixes, encode);
  return w.toString();
}

function writeContents(w: XmlWriter, o: ObjectVersion, encode: TextEncoding, owner: string | undefined): void {
  w.start('Contents')
    .leaf('Key', encode(o.key))
    .leaf('LastModified', isoTime(o.lastModifiedMs))
    .leaf('ETag', `"${o.etag}"`)
    .leaf('Type', ossObjectType(o))
    .leaf('Size', o.size)
    .leaf('StorageClass', ossStorageClass(o.attributes?.storageClass));
  if (owner !== undefined) writeOssOwner(w, o.attributes?.owner || owner);
  w.end();
}

function writeCommonPrefixes(w: XmlWriter, prefixes: readonly string[], encode: TextEncoding): void {
  for (const p of prefixes) w.start('CommonPrefixes').leaf('Prefix', encode(p)).end();
}
