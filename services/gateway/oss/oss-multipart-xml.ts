// Multipart answers in OSS's shapes: Initiate, Complete, UploadPartCopy's CopyPartResult,
// ListParts (with each part's CRC-64) and ListMultipartUploads.
import {
  type CompletedUpload, isoTime, type ListMultipartUploadsRequest, type ListPartsRequest, type PartListing, type UploadListing,
} from '../s3/index.ts';
import { CRC64_ECMA_CHECKSUM } from './oss-response-headers.ts';
import { ossStorageClass } from './oss-storage-class.ts';
import { ossKeyEncoder } from './oss-url-encoding.ts';
import { ossDocument } from './oss-xml-fragments.ts';

export function renderOssInitiateMultipartUpload(r: { bucket: string; key: string; uploadId: string }): string {
  return ossDocument('InitiateMultipartUploadResult').leaf('Bucket', r.bucket).leaf('Key', r.key).leaf('UploadId', r.uploadId).toString();
}

/** OSS names no S3 checksums here; the object's CRC-64 travels in x-oss-hash-crc64ecma. */
export function renderOssCompleteMultipartUpload(r: CompletedUpload): string {
  return ossDocument('CompleteMultipartUploadResult')
    .leaf('Location', r.location).leaf('Bucket', r.bucket).leaf('Key', r.key).leaf('ETag', `"${r.etag}"`).toString();
}

export function renderOssCopyPartResult(r: { etag: string; lastModifiedMs: number | bigint; checksums?: Readonly<Record<string, string>> }): string {
  return ossDocument('CopyPartResult').leaf('LastModified', isoTime(r.lastModifiedMs)).leaf('ETag', `"${r.etag}"`).toString();
}

export function renderOssListParts(res: PartListing, req: ListPartsRequest): string {
  const last = res.parts.at(-1)?.number;
  const w = ossDocument('ListPartsResult')
    .leaf('Bucket', req.bucket)
    .leaf('Key', req.key)
    .leaf('UploadId', req.uploadId)
    .leaf('StorageClass', ossStorageClass(res.upload?.attributes?.storageClass))
    .leaf('PartNumberMarker', req.partNumberMarker)
    .leaf('NextPartNumberMarker', res.nextPartNumberMarker || last || req.partNumberMarker)
    .leaf('MaxParts', req.maxParts)
    .leaf('IsTruncated', res.isTruncated);
  for (const p of res.parts) {
    w.start('Part')
      .leaf('PartNumber', p.number)
      .leaf('LastModified', isoTime(p.lastModifiedMs))
      .leaf('ETag', `"${p.etag}"`)
      .nonEmpty('HashCrc64ecma', p.checksums[CRC64_ECMA_CHECKSUM])
      .leaf('Size', p.size)
      .end();
  }
  return w.toString();
}

export function renderOssListMultipartUploads(res: UploadListing, req: ListMultipartUploadsRequest): string {
  const { encode, encodingType } = ossKeyEncoder(req.encodingType);
  const w = ossDocument('ListMultipartUploadsResult')
    .optional('EncodingType', encodingType)
    .leaf('Bucket', req.bucket)
    .leaf('KeyMarker', encode(req.keyMarker))
    .leaf('UploadIdMarker', req.uploadIdMarker)
    .leaf('NextKeyMarker', encode(res.isTruncated ? res.nextKeyMarker : ''))
    .leaf('NextUploadIdMarker', res.isTruncated ? res.nextUploadIdMarker : '')
    .leaf('Delimiter', encode(req.delimiter))
    .leaf('Prefix', encode(req.prefix))
    .leaf('MaxUploads', req.maxUploads)
    .leaf('IsTruncated', res.isTruncated);
  for (const u of res.uploads) {
    w.start('Upload').leaf('Key', encode(u.key)).leaf('UploadId', u.uploadId).leaf('Initiated', isoTime(u.initiatedMs)).end();
  }
  for (const p of res.commonPrefixes) w.start('CommonPrefixes').leaf('Prefix', encode(p)).end();
  return w.toString();
}
