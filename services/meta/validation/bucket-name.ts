// S3 bucket naming rules (general purpose buckets), checked before anything is stored.
import { MetaError } from '../meta-error.ts';

export const MIN_BUCKET_NAME_LENGTH = 3;
export const MAX_BUCKET_NAME_LENGTH = 63;

const ALLOWED = /^[a-z0-9][a-z0-9.-]*[a-z0-9]$/;
const IPV4_FORM = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;
const RESERVED_PREFIXES = ['xn--', 'sthree-', 'amzn-s3-demo-'];
const RESERVED_SUFFIXES = ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'];

/** Why `name` is not a valid bucket name, or null when it is. */
export function bucketNameProblem(name: string): string | null {
  if (name.length < MIN_BUCKET_NAME_LENGTH || name.length > MAX_BUCKET_NAME_LENGTH) {
    return `must be ${MIN_BUCKET_NAME_LENGTH} to ${MAX_BUCKET_NAME_LENGTH} characters long`;
  }
  if (!ALLOWED.test(name)) {
    return 'may contain only lowercase letters, digits, dots and hyphens, and must begin and end with a letter or digit';
  }
  if (name.includes('..')) return 'must not contain two adjacent periods';
  // Dots next to hyphens make the virtual-host name an invalid DNS label.
  if (name.includes('.-') || name.includes('-.')) return 'must not contain a period next to a hyphen';
  if (IPV4_FORM.test(name)) return 'must not be formatted as an IP address';
  for (const p of RESERVED_PREFIXES) if (name.startsWith(p)) return `must not start with "${p}"`;
  for (const s of RESERVED_SUFFIXES) if (name.endsWith(s)) return `must not end with "${s}"`;
  return null;
}

export function assertBucketName(name: string): void {
  const problem = bucketNameProblem(name);
  if (problem) throw new MetaError('InvalidBucketName', `bucket name ${JSON.stringify(name)} ${problem}`, { bucket: name });
}
