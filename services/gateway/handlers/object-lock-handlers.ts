// S3 Object Lock: Put/GetObjectLockConfiguration (?object-lock), Put/GetObjectRetention
// (?retention), Put/GetObjectLegalHold (?legal-hold), the x-amz-object-lock-* headers of
// writes and reads, and the GOVERNANCE bypass. What may change is decided in meta's apply
// (protection-commands.ts), with the command's time; here requests are parsed and rendered.
import { create } from '@bufbuild/protobuf';
import { ObjectLockConfigRecordSchema, VersionLockSchema, type VersionLock } from '../../common/gen/zonestore/meta/v1/protection_pb.ts';
import type { ObjectVersion } from '../../common/gen/zonestore/meta/v1/records_pb.ts';
import { objectLockConfigOf } from '../../meta/rules/protection-records.ts';
import { readBodyFully } from '../auth/index.ts';
import { metaCall } from '../errors/meta-error-mapping.ts';
import { StoreError } from '../errors/store-error.ts';
import { MAX_XML_BODY_BYTES } from '../http/gateway-limits.ts';
import { parseRequestXml, textOf } from '../s3/request-xml.ts';
import { XmlWriter } from '../s3/xml-writer.ts';
import { addressedBucket, objectKey } from './bucket-access.ts';
import { type Handler, type RequestContext, header, query, sendEmpty, sendXml } from './request-context.ts';

const MODES: ReadonlySet<string> = new Set(['GOVERNANCE', 'COMPLIANCE']);

function invalid(message: string, name: string, value: string): StoreError {
  return new StoreError('InvalidArgument', message, { ArgumentName: name, ArgumentValue: value });
}

function parseDate(text: string, name: string): number {
  const ms = Date.parse(text);
  if (!Number.isFinite(ms)) throw invalid('The retain until date is not a valid date', name, text);
  return ms;
}

/** The lock a PUT / copy / CreateMultipartUpload asks for with x-amz-object-lock-* (undefined: none). */
export function lockFromWriteHeaders(ctx: RequestContext): VersionLock | undefined {
  const mode = header(ctx, 'x-amz-object-lock-mode');
  const until = header(ctx, 'x-amz-object-lock-retain-until-date');
  const hold = header(ctx, 'x-amz-object-lock-legal-hold');
  if (!mode && !until && !hold) return undefined;
  if ((mode === '') !== (until === '')) {
    throw invalid('x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be supplied', mode ? 'x-amz-object-lock-retain-until-date' : 'x-amz-object-lock-mode', '');
  }
  if (mode && !MODES.has(mode)) throw invalid('Unknown wormMode directive.', 'x-amz-object-lock-mode', mode);
  if (hold && hold !== 'ON' && hold !== 'OFF') throw invalid('Legal Hold must be either of \'ON\' or \'OFF\'', 'x-amz-object-lock-legal-hold', hold);
  // S3 refuses lock headers on a PUT without an integrity check of the body.
  if (!header(ctx, 'content-md5') && !Object.keys(ctx.req.headers).some((h) => h.startsWith('x-amz-checksum-') && h !== 'x-amz-checksum-type')
      && !header(ctx, 'x-amz-sdk-checksum-algorithm') && ctx.request.operation === 'PutObject') {
    throw new StoreError('InvalidRequest', 'Content-MD5 OR x-amz-checksum- HTTP header is required for Put Object requests with Object Lock parameters');
  }
  return create(VersionLockSchema, {
    mode, retainUntilMs: BigInt(mode ? parseDate(until, 'x-amz-object-lock-retain-until-date') : 0), legalHold: hold === 'ON',
  });
}

/** The lock headers HEAD and GET answer. */
export function lockResponseHeaders(version: ObjectVersion): Record<string, string> {
  const lock = version.lock;
  if (!lock) return {};
  const out: Record<string, string> = {};
  if (lock.mode) {
    out['x-amz-object-lock-mode'] = lock.mode;
    out['x-amz-object-lock-retain-until-date'] = new Date(Number(lock.retainUntilMs)).toISOString();
  }
  if (lock.legalHold) out['x-amz-object-lock-legal-hold'] = 'ON';
  return out;
}

/** x-amz-bypass-governance-retention: true, honoured only with s3:BypassGovernanceRetention. */
export async function bypassGovernance(ctx: RequestContext, key: string): Promise<boolean> {
  if (header(ctx, 'x-amz-bypass-governance-retention').toLowerCase() !== 'true') return false;
  return ctx.access.allows('BypassGovernanceRetention', key);
}

export const putObjectLockConfiguration: Handler = async (ctx) => {
  const bucket = await addressedBucket(ctx);
  const root = parseRequestXml(await readBodyFully(ctx.body(), MAX_XML_BODY_BYTES), 'ObjectLockConfiguration', []);
  if (root === undefined) throw new StoreError('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema');
  const enabled = textOf(root['ObjectLockEnabled'])?.trim() === 'Enabled';
  const rule = root['Rule'] as Record<string, unknown> | undefined;
  const retention = rule?.['DefaultRetention'] as Record<string, unknown> | undefined;
  const mode = retention ? textOf(retention['Mode'] as never)?.trim() ?? '' : '';
  const days = retention ? textOf(retention['Days'] as never)?.trim() : undefined;
  const years = retention ? textOf(retention['Years'] as never)?.trim() : undefined;
  for (const [name, v] of [['Days', days], ['Years', years]] as const) {
    if (v !== undefined && !/^[1-9]\d{0,5}$/.test(v)) throw invalid('Default retention period must be a positive integer value', name, v);
  }
  const config = create(ObjectLockConfigRecordSchema, { enabled, defaultMode: mode, defaultDays: Number(days ?? 0), defaultYears: Number(years ?? 0) });
  await metaCall(ctx.services.meta.call('putObjectLockConfiguration', { bucket: bucket.name, config }));
  ctx.services.buckets.forget(bucket.name);
  sendEmpty(ctx, 200);
};

export const getObjectLockConfiguration: Handler = async (ctx) => {
  const cached = await addressedBucket(ctx);
  const bucket = (await metaCall(ctx.services.meta.call('getBucket', { name: cached.name }))).bucket ?? cached;
  const config = objectLockConfigOf(bucket);
  if (!config?.enabled) {
    throw new StoreError('ObjectLockConfigurationNotFoundError', 'Object Lock configuration does not exist for this bucket', { BucketName: bucket.name });
  }
  const w = XmlWriter.document('ObjectLockConfiguration').leaf('ObjectLockEnabled', 'Enabled');
  if (config.defaultMode) {
    w.start('Rule').start('DefaultRetention').leaf('Mode', config.defaultMode);
    if (config.defaultDays) w.leaf('Days', config.defaultDays); else w.leaf('Years', config.defaultYears);
    w.end().end();
  }
  sendXml(ctx, 200, w.toString());
};

async function lockOf(ctx: RequestContext): Promise<{ bucket: string; key: string; version: ObjectVersion }> {
  const bucket = await addressedBucket(ctx);
  const key = objectKey(ctx);
  const res = await metaCall(ctx.services.meta.call('getObject', { bucket: bucket.name, key, versionId: query(ctx, 'versionId') ?? '' }));
  if (!objectLockConfigOf(bucket)?.enabled) throw new StoreError('InvalidRequest', 'Bucket is missing Object Lock Configuration', { BucketName: bucket.name });
  return { bucket: bucket.name, key, version: res.version! };
}

export const putObjectRetention: Handler = async (ctx) => {
  const bucket = await addressedBucket(ctx);
  const key = objectKey(ctx);
  const root = parseRequestXml(await readBodyFully(ctx.body(), MAX_XML_BODY_BYTES), 'Retention', []);
  if (root === undefined) throw new StoreError('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema');
  const mode = textOf(root['Mode'])?.trim() ?? '';
  const until = textOf(root['RetainUntilDate'])?.trim() ?? '';
  if (mode && !MODES.has(mode)) throw new StoreError('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema');
  if ((mode === '') !== (until === '')) throw new StoreError('MalformedXML', 'Mode and RetainUntilDate go together');
  await metaCall(ctx.services.meta.call('putObjectRetention', {
    bucket: bucket.name, key, versionId: query(ctx, 'versionId') ?? '', mode,
    retainUntilMs: BigInt(mode ? parseDate(until, 'RetainUntilDate') : 0), bypassGovernance: await bypassGovernance(ctx, key),
  }));
  sendEmpty(ctx, 200);
};

export const getObjectRetention: Handler = async (ctx) => {
  const { bucket, key, version } = await lockOf(ctx);
  if (!version.lock?.mode) throw new StoreError('NoSuchObjectLockConfiguration', 'The specified object does not have a ObjectLock configuration', { BucketName: bucket, Key: key });
  const w = XmlWriter.document('Retention').leaf('Mode', version.lock.mode)
    .leaf('RetainUntilDate', new Date(Number(version.lock.retainUntilMs)).toISOString());
  sendXml(ctx, 200, w.toString());
};

export const putObjectLegalHold: Handler = async (ctx) => {
  const bucket = await addressedBucket(ctx);
  const key = objectKey(ctx);
  const root = parseRequestXml(await readBodyFully(ctx.body(), MAX_XML_BODY_BYTES), 'LegalHold', []);
  const status = root === undefined ? undefined : textOf(root['Status'])?.trim();
  if (status !== 'ON' && status !== 'OFF') throw new StoreError('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema');
  await metaCall(ctx.services.meta.call('putObjectLegalHold', { bucket: bucket.name, key, versionId: query(ctx, 'versionId') ?? '', on: status === 'ON' }));
  sendEmpty(ctx, 200);
};

export const getObjectLegalHold: Handler = async (ctx) => {
  const { version } = await lockOf(ctx);
  sendXml(ctx, 200, XmlWriter.document('LegalHold').leaf('Status', version.lock?.legalHold ? 'ON' : 'OFF').toString());
};
