// Which Host headers name a bucket in OSS's virtual-hosted style. Besides the configured base
// domains, any OSS endpoint name is one: ali-oss given an IP endpoint still sends
// `Host: <bucket>.oss-<region>.aliyuncs.com` (the region from its options), so a gateway
// reached by IP must read the bucket from that name whatever region the client was set up for.
import { hostName } from '../s3/request-target.ts';
import { ALIYUN_DOMAIN } from './oss-limits.ts';

// oss-<region>, oss-<region>-internal, and the VPC form vpc100-oss-<region>: the label in
// front of aliyuncs.com in every OSS endpoint name.
const OSS_ENDPOINT_LABEL = /^(?:[a-z0-9]+-)?oss-[a-z0-9-]+$/;

/**
 * The host name of a Host value (lowercase, no port), without leading dots: ali-oss given an
 * IP endpoint builds `<bucket>.<endpoint>` even for bucketless requests, sending
 * `.oss-<region>.aliyuncs.com` for ListBuckets, which means the endpoint itself.
 */
export function ossHostName(host: string): string {
  return hostName(withoutLeadingDots(host));
}

/** The Host value (port kept) without leading dots. */
export function withoutLeadingDots(host: string): string {
  return host.trim().replace(/^\.+/, '');
}

/**
 * The configured base domains plus the OSS endpoint the host is under, if any
 * (`x.oss-cn-hangzhou.aliyuncs.com` adds `oss-cn-hangzhou.aliyuncs.com`).
 */
export function ossBaseDomains(host: string | undefined, configured: readonly string[]): string[] {
  if (host === undefined) return [...configured];
  const labels = ossHostName(host).split('.');
  const suffix = ALIYUN_DOMAIN.split('.');
  if (labels.length < suffix.length + 1 || labels.slice(-suffix.length).join('.') !== ALIYUN_DOMAIN) return [...configured];
  const endpointLabel = labels[labels.length - suffix.length - 1]!;
  return OSS_ENDPOINT_LABEL.test(endpointLabel) ? [...configured, `${endpointLabel}.${ALIYUN_DOMAIN}`] : [...configured];
}

/** Whether a Host is aliyuncs.com or under it. */
export function isAliyunHost(host: string | undefined): boolean {
  if (host === undefined || host.trim() === '') return false;
  const name = ossHostName(host);
  return name === ALIYUN_DOMAIN || name.endsWith(`.${ALIYUN_DOMAIN}`);
}
