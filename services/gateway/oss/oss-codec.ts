// The OSS dialect as a codec: everything a Dialect is except authentication and body decoding
// (services/gateway/oss-auth/), which the gateway joins to this to make the OSS dialect.
import type { Dialect, OssOnlyRenderers, XmlRenderers } from '../dialect/dialect.ts';
import {
  renderOssAccessControlPolicy, renderOssBucketInfo, renderOssBucketStat, renderOssListBuckets, renderOssLocationConstraint,
  renderOssVersioningConfiguration,
} from './oss-bucket-xml.ts';
import {
  parseOssPublicAccessBlockConfiguration, parseOssRefererConfiguration, renderOssPublicAccessBlockConfiguration, renderOssRefererConfiguration,
} from './oss-access-settings-xml.ts';
import { renderOssError } from './oss-error-response.ts';
import { renderOssListObjectsV1, renderOssListObjectsV2, renderOssListObjectVersions } from './oss-list-xml.ts';
import {
  renderOssCompleteMultipartUpload, renderOssCopyPartResult, renderOssInitiateMultipartUpload, renderOssListMultipartUploads,
  renderOssListParts,
} from './oss-multipart-xml.ts';
import { renderOssCopyObjectResult, renderOssDeleteResult, renderOssTagging } from './oss-object-xml.ts';
import { parseOssCreateBucketConfiguration, parseOssTagging } from './oss-request-bodies.ts';
import { normalizeOssRequestHeaders } from './oss-request-headers.ts';
import { ossResponseHeaders } from './oss-response-headers.ts';
import { parseOssRequest } from './parse-oss-request.ts';

/** Every document handlers render, with the S3 renderers' signatures, in OSS's shapes. */
export const OSS_XML: XmlRenderers & OssOnlyRenderers = {
  renderListBuckets: renderOssListBuckets,
  renderLocationConstraint: renderOssLocationConstraint,
  renderVersioningConfiguration: renderOssVersioningConfiguration,
  renderAccessControlPolicy: renderOssAccessControlPolicy,
  renderListObjectsV1: renderOssListObjectsV1,
  renderListObjectsV2: renderOssListObjectsV2,
  renderListObjectVersions: renderOssListObjectVersions,
  renderInitiateMultipartUpload: renderOssInitiateMultipartUpload,
  renderCompleteMultipartUpload: renderOssCompleteMultipartUpload,
  renderCopyPartResult: renderOssCopyPartResult,
  renderListParts: renderOssListParts,
  renderListMultipartUploads: renderOssListMultipartUploads,
  renderCopyObjectResult: renderOssCopyObjectResult,
  renderDeleteResult: renderOssDeleteResult,
  renderBucketInfo: renderOssBucketInfo,
  renderBucketStat: renderOssBucketStat,
  renderTagging: renderOssTagging,
  parseTagging: parseOssTagging,
  parseRefererConfiguration: parseOssRefererConfiguration,
  renderRefererConfiguration: renderOssRefererConfiguration,
  parsePublicAccessBlockConfiguration: parseOssPublicAccessBlockConfiguration,
  renderPublicAccessBlockConfiguration: renderOssPublicAccessBlockConfiguration,
  // OSS bodies name a storage class S3's parser would ignore.
  parseCreateBucketConfiguration: parseOssCreateBucketConfiguration,
};

export type OssCodec = Omit<Dialect, 'name' | 'authenticate' | 'openBody'>;

export const OSS_CODEC: OssCodec = {
  parse: (view, o) => parseOssRequest(view, o),
  normalizeRequestHeaders: (headers, method) => normalizeOssRequestHeaders(headers, method),
  responseHeaders: ossResponseHeaders,
  xml: OSS_XML,
  renderError: renderOssError,
};
