// ListObjects (v1), ListObjectsV2 and ListObjectVersions answers, rendered from meta's listing
// responses. Element order follows Amazon S3's own answers; keys, prefixes, delimiters and
// markers go through the encoding-type encoder, continuation tokens never do (they are ours).
import type { ListObjectsResponse, ListObjectVersionsResponse } from '../../common/gen/zonestore/meta/v1/meta_service_pb.ts';
import type { ObjectVersion } from '../../common/gen/zonestore/meta/v1/records_pb.ts';
import { STANDARD_STORAGE_CLASS } from '../../erasure/index.ts';
import { isoTime } from './s3-time.ts';
import { type KeyEncoder, keyEncoder, writeOwner } from './xml-fragments.ts';
import { XmlWriter } from './xml-writer.ts';

/** The fields of meta's ListObjects answer a listing document needs. */
export type ObjectListing = Pick<ListObjectsResponse, 'isTruncated' | 'nextContinuationToken' | 'nextMarker'> & {
  readonly objects: readonly ObjectVersion[];
  readonly commonPrefixes: readonly string[];
};

interface ListingRequest {
  readonly bucket: string;
  readonly prefix: string;
  readonly delimiter: string;
  /** max-keys as asked (after clamping), echoed back. */
  readonly maxKeys: number;
  /** The raw encoding-type query value. */
  readonly encodingType?: string;
  /** The bucket owner: objects written without an owner are shown as theirs. */
  readonly owner: string;
}

export interface ListObjectsV1Request extends ListingRequest {
  readonly marker: string;
}

export interface ListObjectsV2Request extends ListingRequest {
  readonly startAfter: string;
  readonly continuationToken: string;
  readonly fetchOwner: boolean;
}

export function renderListObjectsV1(res: ObjectListing, req: ListObjectsV1Request): string {
  const { encode, encodingType } = keyEncoder(req.encodingType);
  const w = XmlWriter.document('ListBucketResult')
    .leaf('Name', req.bucket)
    .leaf('Prefix', encode(req.prefix))
    .leaf('Marker', encode(req.marker));
  // S3 sends NextMarker only with a delimiter; without one the last Key is the next marker.
  if (req.delimiter !== '' && res.isTruncated) w.leaf('NextMarker', encode(res.nextMarker));
  w.leaf('MaxKeys', req.maxKeys).nonEmpty('Delimiter', encode(req.delimiter)).leaf('IsTruncated', res.isTruncated);
  for (const o of res.objects) writeContents(w, o, encode, req.owner);
  writeCommonPrefixes(w, res.commonPrefixes, encode);
  return w.optional('EncodingType', encodingType).toString();
}

export function renderListObjectsV2(res: ObjectListing, req: ListObjectsV2Request): string {
  const { encode, encodingType } = keyEncoder(req.encodingType);
  const w = XmlWriter.document('ListBucketResult')
    .leaf('Name', req.bucket)
    .leaf('Prefix', encode(req.prefix))
    .nonEmpty('ContinuationToken', req.continuationToken);
  if (res.isTruncated) w.leaf('NextContinuationToken', res.nextContinuationToken);
  w.nonEmpty('StartAfter', encode(req.startAfter))
    .leaf('KeyCount', res.objects.length + res.commonPrefixes.length)
    .leaf('MaxKeys', req.maxKeys)
    .nonEmpty('Delimiter', encode(req.delimiter))
    .leaf('IsTruncated', res.isTruncated);
  for (const o of res.objects) writeContents(w, o, encode, req.fetchOwner ? req.owner : undefined);
  writeCommonPrefixes(w, res.commonPrefixes, encode);
  return w.optional('EncodingType', encodingType).toString();
}

/** The fields of meta's ListObjectVersions answer the document needs. */
export type VersionListing = Pick<ListObjectVersionsResponse, 'isTruncated' | 'nextKeyMarker' | 'nextVersionIdMarker'> & {
  readonly versions: readonly ObjectVersion[];
  readonly commonPrefixes: readonly string[];
};

export interface ListObjectVersionsRequest extends ListingRequest {
  readonly keyMarker: string;
  readonly versionIdMarker: string;
}

export function renderListObjectVersions(res: VersionListing, req: ListObjectVersionsRequest): string {
  const { encode, encodingType } = keyEncoder(req.encodingType);
  const w = XmlWriter.document('ListVersionsResult')
    .leaf('Name', req.bucket)
    .leaf('Prefix', encode(req.prefix))
    .leaf('KeyMarker', encode(req.keyMarker))
    .leaf('VersionIdMarker', req.versionIdMarker);
  if (res.isTruncated) w.leaf('NextKeyMarker', encode(res.nextKeyMarker)).leaf('NextVersionIdMarker', res.nextVersionIdMarker);
  w.leaf('MaxKeys', req.maxKeys).nonEmpty('Delimiter', encode(req.delimiter)).leaf('IsTruncated', res.isTruncated);
  for (const v of res.versions) {
    w.start(v.deleteMarker ? 'DeleteMarker' : 'Version')
      .leaf('Key', encode(v.key))
      .leaf('VersionId', v.versionId || 'null')
      .leaf('IsLatest', v.isLatest)
      .leaf('LastModified', isoTime(v.lastModifiedMs));
    if (!v.deleteMarker) {
      w.leaf('ETag', `"${v.etag}"`).leaf('Size', v.size).leaf('StorageClass', storageClassOf(v));
    }
    writeOwner(w, v.attributes?.owner || req.owner);
    w.end();
  }
  writeCommonPrefixes(w, res.commonPrefixes, encode);
  return w.optional('EncodingType', encodingType).toString();
}

function writeContents(w: XmlWriter, o: ObjectVersion, encode: KeyEncoder, owner: string | undefined): void {
  w.start('Contents')
    .leaf('Key', encode(o.key))
    .leaf('LastModified', isoTime(o.lastModifiedMs))
    .leaf('ETag', `"${o.etag}"`)
    .leaf('Size', o.size)
    .leaf('StorageClass', storageClassOf(o));
  if (owner !== undefined) writeOwner(w, o.attributes?.owner || owner);
  w.end();
}

function writeCommonPrefixes(w: XmlWriter, prefixes: readonly string[], encode: KeyEncoder): void {
  for (const p of prefixes) w.start('CommonPrefixes').leaf('Prefix', encode(p)).end();
}

export function storageClassOf(o: { readonly attributes?: { readonly storageClass: string } }): string {
  return o.attributes?.storageClass || STANDARD_STORAGE_CLASS;
}
