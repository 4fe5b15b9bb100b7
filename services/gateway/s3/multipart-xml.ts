// Multipart upload answers: Initiate, Complete, ListParts, ListMultipartUploads, and the
// CopyPartResult of UploadPartCopy.
import type { ListMultipartUploadsResponse, ListPartsResponse } from '../../common/gen/zonestore/meta/v1/meta_service_pb.ts';
import type { MultipartUpload, UploadPart } from '../../common/gen/zonestore/meta/v1/records_pb.ts';
import { isS3ChecksumAlgorithm } from './checksum-names.ts';
import { storageClassOf } from './list-objects-xml.ts';
import { isoTime } from './s3-time.ts';
import { keyEncoder, writeChecksums, writeOwner } from './xml-fragments.ts';
import { XmlWriter } from './xml-writer.ts';

export function renderInitiateMultipartUpload(r: { bucket: string; key: string; uploadId: string }): string {
  return XmlWriter.document('InitiateMultipartUploadResult')
    .leaf('Bucket', r.bucket).leaf('Key', r.key).leaf('UploadId', r.uploadId).toString();
}

export interface CompletedUpload {
  /** The object's URL (or path), as the caller addresses it. */
  readonly location: string;
  readonly bucket: string;
  readonly key: string;
  /** Unquoted, as stored (`<md5 of part md5s>-<n>`). */
  readonly etag: string;
  readonly checksums?: Readonly<Record<string, string>>;
}

export function renderCompleteMultipartUpload(r: CompletedUpload): string {
  const w = XmlWriter.document('CompleteMultipartUploadResult')
    .leaf('Location', r.location).leaf('Bucket', r.bucket).leaf('Key', r.key).leaf('ETag', `"${r.etag}"`);
  writeChecksums(w, r.checksums);
  return w.toString();
}

/** The Location of a completed upload: the object's path-style URL under `origin` (e.g. `http://host:port`). */
export function objectUrl(origin: string, bucket: string, key: string): string {
  const path = key.split('/').map((segment) => encodeURIComponent(segment)).join('/');
  return `${origin}/${encodeURIComponent(bucket)}/${path}`;
}

export function renderCopyPartResult(r: { etag: string; lastModifiedMs: number | bigint; checksums?: Readonly<Record<string, string>> }): string {
  const w = XmlWriter.document('CopyPartResult').leaf('LastModified', isoTime(r.lastModifiedMs)).leaf('ETag', `"${r.etag}"`);
  writeChecksums(w, r.checksums);
  return w.toString();
}

export type PartListing = Pick<ListPartsResponse, 'isTruncated' | 'nextPartNumberMarker'> & {
  readonly upload?: MultipartUpload;
  readonly parts: readonly UploadPart[];
};

export interface ListPartsRequest {
  readonly bucket: string;
  readonly key: string;
  readonly uploadId: string;
  readonly partNumberMarker: number;
  readonly maxParts: number;
  /** The bucket owner, shown when the upload records none. */
  readonly owner: string;
}

export function renderListParts(res: PartListing, req: ListPartsRequest): string {
  const owner = res.upload?.attributes?.owner || req.owner;
  const w = XmlWriter.document('ListPartsResult').leaf('Bucket', req.bucket).leaf('Key', req.key).leaf('UploadId', req.uploadId);
  writeOwner(w, owner, 'Initiator');
  writeOwner(w, owner);
  w.leaf('StorageClass', storageClassOf(res.upload ?? {}));
  const algorithm = res.upload?.checksumAlgorithm.toLowerCase() ?? '';
  if (isS3ChecksumAlgorithm(algorithm)) w.leaf('ChecksumAlgorithm', algorithm.toUpperCase());
  const last = res.parts.at(-1)?.number;
  w.leaf('PartNumberMarker', req.partNumberMarker)
    .leaf('NextPartNumberMarker', res.nextPartNumberMarker || last || req.partNumberMarker)
    .leaf('MaxParts', req.maxParts)
    .leaf('IsTruncated', res.isTruncated);
  for (const p of res.parts) {
    w.start('Part')
      .leaf('PartNumber', p.number)
      .leaf('LastModified', isoTime(p.lastModifiedMs))
      .leaf('ETag', `"${p.etag}"`)
      .leaf('Size', p.size);
    writeChecksums(w, p.checksums);
    w.end();
  }
  return w.toString();
}

export type UploadListing = Pick<ListMultipartUploadsResponse, 'isTruncated' | 'nextKeyMarker' | 'nextUploadIdMarker'> & {
  readonly uploads: readonly MultipartUpload[];
  readonly commonPrefixes: readonly string[];
};

export interface ListMultipartUploadsRequest {
  readonly bucket: string;
  readonly prefix: string;
  readonly delimiter: string;
  readonly keyMarker: string;
  readonly uploadIdMarker: string;
  readonly maxUploads: number;
  /** The raw encoding-type query value. */
  readonly encodingType?: string;
  readonly owner: string;
}

export function renderListMultipartUploads(res: UploadListing, req: ListMultipartUploadsRequest): string {
  const { encode, encodingType } = keyEncoder(req.encodingType);
  const w = XmlWriter.document('ListMultipartUploadsResult')
    .leaf('Bucket', req.bucket)
    .leaf('KeyMarker', encode(req.keyMarker))
    .leaf('UploadIdMarker', req.uploadIdMarker)
    .leaf('NextKeyMarker', encode(res.isTruncated ? res.nextKeyMarker : ''))
    .leaf('NextUploadIdMarker', res.isTruncated ? res.nextUploadIdMarker : '')
    .nonEmpty('Delimiter', encode(req.delimiter))
    .leaf('Prefix', encode(req.prefix))
    .leaf('MaxUploads', req.maxUploads)
    .leaf('IsTruncated', res.isTruncated);
  for (const u of res.uploads) {
    const owner = u.attributes?.owner || req.owner;
    w.start('Upload').leaf('Key', encode(u.key)).leaf('UploadId', u.uploadId);
    writeOwner(w, owner, 'Initiator');
    writeOwner(w, owner);
    w.leaf('StorageClass', storageClassOf(u)).leaf('Initiated', isoTime(u.initiatedMs));
    const algorithm = u.checksumAlgorithm.toLowerCase();
    if (isS3ChecksumAlgorithm(algorithm)) w.leaf('ChecksumAlgorithm', algorithm.toUpperCase());
    w.end();
  }
  for (const p of res.commonPrefixes) w.start('CommonPrefixes').leaf('Prefix', encode(p)).end();
  return w.optional('EncodingType', encodingType).toString();
}
