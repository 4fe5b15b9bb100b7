// A bucket's logging configuration (pure): where its access-log records go. Stored as JSON in
// the bucket's "logging" config document; an empty document means logging is off.
import type { AccessLogFormat } from './access-log-record.ts';

export const LOGGING_CONFIG_KIND = 'logging';

export interface BucketLogging {
  targetBucket: string;
  targetPrefix: string;
  /** The line format of the delivered objects: S3 buckets get S3's, OSS buckets OSS's (whichever dialect configured it). */
  format: AccessLogFormat;
}

export function loggingDocument(config: BucketLogging): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(JSON.stringify(config));
}

/** The bucket's logging configuration, or undefined when logging is off (or the document unreadable). */
export function loggingOf(configs: Readonly<Record<string, Uint8Array>> | undefined): BucketLogging | undefined {
  const doc = configs?.[LOGGING_CONFIG_KIND];
  if (!doc || doc.length === 0) return undefined;
  try {
    const v = JSON.parse(new TextDecoder().decode(doc)) as Partial<BucketLogging>;
    if (typeof v.targetBucket !== 'string' || v.targetBucket === '') return undefined;
    return { targetBucket: v.targetBucket, targetPrefix: typeof v.targetPrefix === 'string' ? v.targetPrefix : '', format: v.format === 's3' ? 's3' : 'oss' };
  } catch {
    return undefined;
  }
}
