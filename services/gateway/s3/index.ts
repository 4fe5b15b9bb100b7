// The S3 dialect as a pure codec: request line and headers → S3Request, request headers and
// XML bodies → plain values, stored records → response headers and XML documents, and
// StoreError → error document. No I/O anywhere in this folder.
export { type AddressingStyle, S3_OPERATIONS, type S3Operation, type S3Request } from './s3-request.ts';
export { type HttpRequestHead, parseS3Request, type S3AddressingOptions } from './parse-s3-request.ts';
export { NOT_IMPLEMENTED_SUBRESOURCES } from './operation-routes.ts';
export { type HeaderBag, headerValue } from './header-bag.ts';
export * from './s3-limits.ts';
export { checkKeyLength } from './object-key.ts';

export {
  type EncodingType, parseEncodingType, parseListLimit, parsePartNumber, parsePartNumberMarker,
} from './query-params.ts';
export { type ByteRange, contentRange, parseCopySourceRange, parseRange, unsatisfiedContentRange } from './byte-range.ts';
export {
  bareEtag, type ConditionHeaders, type ConditionOutcome, type ConditionTarget, evaluateConditions,
  evaluateCopySourceConditions, readConditionHeaders, readCopySourceConditionHeaders,
} from './conditional-request.ts';
export {
  objectAttributesFromHeaders, type ObjectWriteAttributes, parseStorageClass, readContentHeaders, readUserMetadata,
  STORED_CONTENT_HEADERS, USER_METADATA_PREFIX,
} from './object-write-headers.ts';
export {
  checkCopyToItself, type CopySource, type MetadataDirective, parseCopySource, parseMetadataDirective, type SelfCopyCheck,
} from './copy-request.ts';
export { DEFAULT_CONTENT_TYPE, type ObjectHeaderOptions, objectHeaders, responseOverrides } from './object-response-headers.ts';
export {
  checksumElementName, checksumHeaderName, isS3ChecksumAlgorithm, S3_CHECKSUM_ALGORITHMS, type S3ChecksumAlgorithm,
} from './checksum-names.ts';
export { httpDate, isoTime, parseHttpDate } from './s3-time.ts';

export { escapeXml, S3_XMLNS, XmlWriter } from './xml-writer.ts';
export { s3UrlDecode, s3UrlEncode } from './s3-url-encoding.ts';
export {
  type ListBucketsOptions, renderListBuckets, renderLocationConstraint, renderVersioningConfiguration,
} from './bucket-xml.ts';
export {
  type ListObjectsV1Request, type ListObjectsV2Request, type ListObjectVersionsRequest, type ObjectListing,
  renderListObjectsV1, renderListObjectsV2, renderListObjectVersions, type VersionListing,
} from './list-objects-xml.ts';
export {
  type CompletedUpload, type ListMultipartUploadsRequest, type ListPartsRequest, objectUrl, type PartListing,
  renderCompleteMultipartUpload, renderCopyPartResult, renderInitiateMultipartUpload, renderListMultipartUploads,
  renderListParts, type UploadListing,
} from './multipart-xml.ts';
export { type DeleteOutcome, renderCopyObjectResult, renderDeleteResult } from './object-xml.ts';
export { asStoreError, renderS3Error, type S3ErrorContext, s3ErrorHasBody, s3ErrorStatus } from './s3-error-response.ts';

export {
  type CompletedPartInput, type DeleteObjectsInput, parseCompleteMultipartUpload, parseCreateBucketConfiguration,
  parseDeleteObjects, parseVersioningConfiguration, type VersioningStatus,
} from './request-bodies.ts';
export { parseRequestXml } from './request-xml.ts';
export { type AclDocument, type AclDocumentGrant, parseAccessControlPolicy, renderAccessControlPolicy } from './acl-xml.ts';
export {
  isObjectOwnership, OBJECT_OWNERSHIP_VALUES, type ObjectOwnershipValue, parseOwnershipControls, parsePublicAccessBlockConfiguration,
  parseXmlBoolean, type PublicAccessBlockDocument, renderOwnershipControls, renderPublicAccessBlockConfiguration,
} from './bucket-access-settings-xml.ts';
