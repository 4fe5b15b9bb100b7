// The OSS dialect as a pure codec: request line and headers → ParsedRequest, OSS header names
// ⇄ internal ones, stored records → OSS XML documents, StoreError → OSS error document. No
// I/O anywhere in this folder. See README.md for the tables.
export { OSS_CODEC, OSS_XML, type OssCodec } from './oss-codec.ts';
export { checkOssKey, isOssRequest, type OssAddressingOptions, parseOssRequest } from './parse-oss-request.ts';
export { OSS_COPY_SOURCE_HEADER, OSS_NOT_IMPLEMENTED_SUBRESOURCES, routeOssOperation } from './oss-routes.ts';
export { isAliyunHost, ossBaseDomains } from './oss-hosts.ts';
export { normalizeOssRequestHeaders } from './oss-request-headers.ts';
export { CRC64_ECMA_CHECKSUM, ossResponseHeaders, type OssResponseContext, SYMLINK_TARGET_HEADER } from './oss-response-headers.ts';
export { ossObjectType, type OssObjectType } from './oss-object-type.ts';
export { ossStorageClass, storedStorageClass } from './oss-storage-class.ts';
export { ossKeyEncoder, ossUrlEncode } from './oss-url-encoding.ts';
export { ossCodeName, ossErrorCode, type OssErrorContext, renderOssError, renderOssErrorDocument } from './oss-error-response.ts';
export { parseOssCreateBucketConfiguration, parseOssTagging } from './oss-request-bodies.ts';
export * from './oss-limits.ts';
export {
  type OssListBucketsOptions, renderOssAccessControlPolicy, renderOssBucketInfo, renderOssBucketStat, renderOssListBuckets,
  renderOssLocationConstraint, renderOssVersioningConfiguration,
} from './oss-bucket-xml.ts';
export { renderOssListObjectsV1, renderOssListObjectsV2, renderOssListObjectVersions } from './oss-list-xml.ts';
export {
  renderOssCompleteMultipartUpload, renderOssCopyPartResult, renderOssInitiateMultipartUpload, renderOssListMultipartUploads,
  renderOssListParts,
} from './oss-multipart-xml.ts';
export { renderOssCopyObjectResult, renderOssDeleteResult, renderOssTagging } from './oss-object-xml.ts';
export {
  parseOssPublicAccessBlockConfiguration, parseOssRefererConfiguration, renderOssPublicAccessBlockConfiguration, renderOssRefererConfiguration,
} from './oss-access-settings-xml.ts';
