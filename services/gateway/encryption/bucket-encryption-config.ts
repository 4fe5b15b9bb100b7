// A bucket's default encryption (pure): the documents of Put/GetBucketEncryption in both
// dialects and the JSON kept as the bucket's "encryption" config document.
//   S3:  <ServerSideEncryptionConfiguration><Rule><ApplyServerSideEncryptionByDefault>
//          <SSEAlgorithm>AES256|aws:kms</SSEAlgorithm><KMSMasterKeyID>…</KMSMasterKeyID>
//        </ApplyServerSideEncryptionByDefault><BucketKeyEnabled>…</BucketKeyEnabled></Rule></…>
//   OSS: <ServerSideEncryptionRule><ApplyServerSideEncryptionByDefault>
//          <SSEAlgorithm>AES256|KMS</SSEAlgorithm><KMSMasterKeyID>…</KMSMasterKeyID>
//        </ApplyServerSideEncryptionByDefault></ServerSideEncryptionRule>
import { StoreError } from '../errors/store-error.ts';
import { elementsOf, malformedXml, parseRequestXml, textOf, type XmlElement } from '../s3/request-xml.ts';
import { XmlWriter } from '../s3/xml-writer.ts';
import { ossDocument } from '../oss/oss-xml-fragments.ts';
import type { Dialect, SseWrite } from './sse-request.ts';

export const ENCRYPTION_CONFIG = 'encryption';

export interface BucketEncryption {
  readonly algorithm: 'AES256' | 'aws:kms';
  /** Only with aws:kms; absent: the account's default key. */
  readonly kmsKeyId?: string;
  readonly bucketKeyEnabled?: boolean;
}

function invalidAlgorithm(value: string): StoreError {
  return new StoreError('InvalidArgument', 'The server side encryption algorithm is not valid', { ArgumentName: 'SSEAlgorithm', ArgumentValue: value });
}

function fromDefault(d: XmlElement | undefined, dialect: Dialect, bucketKey: boolean | undefined): BucketEncryption {
  if (d === undefined) throw malformedXml();
  const raw = textOf(d['SSEAlgorithm'])?.trim();
  if (raw === undefined) throw malformedXml();
  const algorithm = raw === 'AES256' ? 'AES256' : (dialect === 's3' ? raw === 'aws:kms' : raw === 'KMS') ? 'aws:kms' : undefined;
  if (!algorithm) throw invalidAlgorithm(raw);
  const keyId = textOf(d['KMSMasterKeyID'])?.trim();
  if (keyId && algorithm !== 'aws:kms') {
    throw new StoreError('InvalidArgument', 'a KMSMasterKeyID is allowed only with a KMS algorithm', { ArgumentName: 'KMSMasterKeyID', ArgumentValue: keyId });
  }
  return { algorithm, ...(keyId ? { kmsKeyId: keyId } : {}), ...(bucketKey !== undefined ? { bucketKeyEnabled: bucketKey } : {}) };
}

export function parseBucketEncryption(body: Uint8Array, dialect: Dialect): BucketEncryption {
  if (dialect === 'oss') {
    const root = parseRequestXml(body, 'ServerSideEncryptionRule', []);
    if (root === undefined) throw malformedXml();
    return fromDefault(elementsOf(root['ApplyServerSideEncryptionByDefault'])[0], dialect, undefined);
  }
  const root = parseRequestXml(body, 'ServerSideEncryptionConfiguration', ['Rule']);
  if (root === undefined) throw malformedXml();
  const rules = elementsOf(root['Rule']);
  if (rules.length !== 1) throw malformedXml();
  const rule = rules[0]!;
  const bk = textOf(rule['BucketKeyEnabled'])?.trim().toLowerCase();
  if (bk !== undefined && bk !== 'true' && bk !== 'false') throw malformedXml();
  return fromDefault(elementsOf(rule['ApplyServerSideEncryptionByDefault'])[0], dialect, bk === undefined ? undefined : bk === 'true');
}

export function renderBucketEncryption(config: BucketEncryption, dialect: Dialect): string {
  if (dialect === 'oss') {
    const w = ossDocument('ServerSideEncryptionRule').start('ApplyServerSideEncryptionByDefault')
      .leaf('SSEAlgorithm', config.algorithm === 'aws:kms' ? 'KMS' : 'AES256');
    if (config.kmsKeyId) w.leaf('KMSMasterKeyID', config.kmsKeyId);
    return w.end().toString();
  }
  const w = XmlWriter.document('ServerSideEncryptionConfiguration').start('Rule').start('ApplyServerSideEncryptionByDefault')
    .leaf('SSEAlgorithm', config.algorithm);
  if (config.kmsKeyId) w.leaf('KMSMasterKeyID', config.kmsKeyId);
  w.end().leaf('BucketKeyEnabled', config.bucketKeyEnabled ? 'true' : 'false');
  return w.end().toString();
}

/** The stored document (JSON) → the configuration; undefined when none (or an empty document: deleted). */
export function bucketEncryptionOf(configs: Readonly<Record<string, Uint8Array>>): BucketEncryption | undefined {
  const doc = configs[ENCRYPTION_CONFIG];
  if (!doc || doc.length === 0) return undefined;
  const parsed = JSON.parse(Buffer.from(doc).toString('utf8')) as BucketEncryption;
  return parsed.algorithm === 'AES256' || parsed.algorithm === 'aws:kms' ? parsed : undefined;
}

export function storedBucketEncryption(config: BucketEncryption): Uint8Array {
  return Buffer.from(JSON.stringify(config), 'utf8');
}

/** What a write without SSE headers gets in a bucket with this default. */
export function defaultSseWrite(config: BucketEncryption | undefined): SseWrite | undefined {
  if (!config) return undefined;
  if (config.algorithm === 'AES256') return { mode: 'SSE-S3' };
  return { mode: 'SSE-KMS', ...(config.kmsKeyId ? { keyId: config.kmsKeyId } : {}), context: {} };
}
