// The OSS dialect: the OSS codec (routing, header translation, XML, errors) with OSS
// signatures (V1 and V4) and OSS request bodies.
import { authenticateOss, isOssAuthenticated, openOssBody } from '../oss-auth/index.ts';
import { isOssRequest, OSS_CODEC } from '../oss/index.ts';
import type { RequestView } from '../auth/index.ts';
import type { Dialect } from './dialect.ts';
import { S3_DIALECT } from './s3-dialect.ts';

export const OSS_DIALECT: Dialect = {
  name: 'oss',
  ...OSS_CODEC,
  authenticate: (view, lookup, nowMs, request) => authenticateOss(view, lookup, nowMs, { bucket: request.bucket, key: request.key }),
  openBody: (source, headers, auth) => openOssBody(source, headers, auth),
};

/**
 * The dialect a request speaks: OSS when it is signed the OSS way (V1/V4 header or URL) or,
 * unsigned, carries x-oss-* headers or an aliyuncs.com Host; S3 otherwise.
 */
export function dialectOf(view: RequestView): Dialect {
  return isOssAuthenticated(view) || isOssRequest(view) ? OSS_DIALECT : S3_DIALECT;
}
