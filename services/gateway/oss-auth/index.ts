// Public surface of OSS authentication: signature V1 and V4 (Authorization header and signed
// URLs) and the request body reader for OSS requests.
export { authenticateOss, isOssAuthenticated } from './authenticate-oss.ts';
export { MAX_OSS_CLOCK_SKEW_MS, MAX_OSS_V4_EXPIRES_SECONDS } from './oss-auth-limits.ts';
export { OSS_QUERY, OSS_V1_ALGORITHM, OSS_V4_ALGORITHM } from './oss-claim.ts';
export { openOssBody } from './oss-request-body.ts';
export { isV1SignedParameter, OSS_V1_SIGNED_PARAMETERS, type OssSignedTarget } from './oss-signed-resource.ts';
