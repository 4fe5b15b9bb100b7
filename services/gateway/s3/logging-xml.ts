// ?logging documents, both dialects. S3: <BucketLoggingStatus xmlns=...><LoggingEnabled>
// <TargetBucket/><TargetPrefix/></LoggingEnabled></BucketLoggingStatus>; an empty
// BucketLoggingStatus turns logging off. OSS: the same element names without the namespace
// (PutBucketLogging; off is DeleteBucketLogging, or an empty LoggingEnabled).
import type { BucketLogging } from '../access-log/bucket-logging-config.ts';
import { ossDocument } from '../oss/oss-xml-fragments.ts';
import { StoreError } from '../errors/store-error.ts';
import { malformedXml, parseRequestXml, textOf, type XmlElement } from './request-xml.ts';
import { XmlWriter } from './xml-writer.ts';

export type LoggingDialect = 's3' | 'oss';

/** What a PutBucketLogging body asks: a target, or undefined for "logging off". */
export function parseLoggingXml(body: Uint8Array | string, dialect: LoggingDialect): Pick<BucketLogging, 'targetBucket' | 'targetPrefix'> | undefined {
  const root = parseRequestXml(body, 'BucketLoggingStatus', []);
  if (root === undefined) throw malformedXml();
  const enabled = root['LoggingEnabled'];
  if (enabled === undefined) return undefined;
  if (Array.isArray(enabled)) throw malformedXml();
  if (typeof enabled === 'string') {
    if (enabled.trim() === '') return undefined;
    throw malformedXml();
  }
  const e = enabled as XmlElement;
  const targetBucket = textOf(e['TargetBucket']);
  if (targetBucket === undefined || targetBucket === '') {
    if (dialect === 'oss') throw new StoreError('InvalidTargetBucketForLogging', 'The target bucket for logging must be specified.', { TargetBucket: '' });
    throw malformedXml();
  }
  const targetPrefix = textOf(e['TargetPrefix']) ?? '';
  if (targetPrefix.length > 32 && dialect === 'oss') {
    throw new StoreError('InvalidArgument', 'The target prefix must be at most 32 characters.', { ArgumentName: 'TargetPrefix', ArgumentValue: targetPrefix });
  }
  if (targetPrefix.length > 1024) throw new StoreError('InvalidArgument', 'The target prefix is too long.', { ArgumentName: 'TargetPrefix' });
  return { targetBucket, targetPrefix };
}

export function renderLoggingXml(config: BucketLogging | undefined, dialect: LoggingDialect): string {
  const w = dialect === 's3' ? XmlWriter.document('BucketLoggingStatus') : ossDocument('BucketLoggingStatus');
  if (config) {
    w.start('LoggingEnabled').leaf('TargetBucket', config.targetBucket).leaf('TargetPrefix', config.targetPrefix).end();
  }
  return w.toString();
}
