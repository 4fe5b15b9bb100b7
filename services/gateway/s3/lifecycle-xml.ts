// Lifecycle configuration documents of both dialects ⇄ the one model meta stores and evaluates
// (services/meta/lifecycle/lifecycle-model.ts). Pure: parse throws StoreError (MalformedXML,
// InvalidArgument, InvalidStorageClass), never anything else.
//   S3:  <LifecycleConfiguration><Rule><ID/><Filter>(<Prefix/>|<Tag/>|<ObjectSize…/>|<And>…</And>)</Filter>
//        <Status/><Expiration>(<Days/>|<Date/>|<ExpiredObjectDeleteMarker/>)</Expiration><Transition/>*
//        <NoncurrentVersionExpiration/><NoncurrentVersionTransition/>*<AbortIncompleteMultipartUpload/></Rule>…
//   OSS: <LifecycleConfiguration><Rule><ID/><Prefix/><Status/><Tag/>*<Expiration>(<Days/>|<CreatedBeforeDate/>|
//        <ExpiredObjectDeleteMarker/>)</Expiration><Transition/>*<AbortMultipartUpload/>
//        <NoncurrentVersionExpiration/><NoncurrentVersionTransition/>*<Filter><ObjectSize…/></Filter></Rule>…
import {
  LifecycleConfigError, validateLifecycle,
  type AgeOrDate, type LifecycleConfiguration, type LifecycleFilter, type LifecycleRule, type LifecycleTransition,
  type NoncurrentTransition, type TransitionClass,
} from '../../meta/lifecycle/lifecycle-model.ts';
import { ossDocument } from '../oss/oss-xml-fragments.ts';
import { StoreError } from '../errors/store-error.ts';
import { elementsOf, malformedXml, parseRequestXml, textOf, type XmlElement } from './request-xml.ts';
import { XmlWriter } from './xml-writer.ts';

export type LifecycleDialect = 's3' | 'oss';

const REPEATED = ['Rule', 'Tag', 'Transition', 'NoncurrentVersionTransition'];

// S3's class names map onto the two classes zonestore has beyond STANDARD.
const S3_CLASSES: Readonly<Record<string, TransitionClass>> = {
  STANDARD_IA: 'IA', ONEZONE_IA: 'IA', INTELLIGENT_TIERING: 'IA', GLACIER_IR: 'IA',
  GLACIER: 'Archive', DEEP_ARCHIVE: 'Archive',
};
const OSS_CLASSES: Readonly<Record<string, TransitionClass>> = {
  IA: 'IA', Archive: 'Archive', ColdArchive: 'Archive', DeepColdArchive: 'Archive',
};
const S3_NAME: Readonly<Record<TransitionClass, string>> = { IA: 'STANDARD_IA', Archive: 'GLACIER' };

const INTEGER = /^\d{1,15}$/;

function invalid(message: string, name: string, value: string): StoreError {
  return new StoreError('InvalidArgument', message, { ArgumentName: name, ArgumentValue: value });
}

function one(el: XmlElement, name: string): XmlElement | undefined {
  const v = el[name];
  if (v === undefined) return undefined;
  if (Array.isArray(v)) throw malformedXml();
  return elementsOf(v)[0];
}

function integer(el: XmlElement, name: string): number | undefined {
  const raw = textOf(el[name])?.trim();
  if (raw === undefined) return undefined;
  if (!INTEGER.test(raw)) throw invalid(`${name} must be a non-negative integer`, name, raw);
  return Number(raw);
}

// S3 wants the date at midnight UTC in ISO 8601; OSS's CreatedBeforeDate likewise (with or without time).
function date(el: XmlElement, name: string): number | undefined {
  const raw = textOf(el[name])?.trim();
  if (raw === undefined) return undefined;
  const ms = /^\d{4}-\d{2}-\d{2}(T00:00:00(\.000)?(Z|\+00:00)?)?$/.test(raw) ? Date.parse(raw.length === 10 ? `${raw}T00:00:00Z` : raw.endsWith('Z') || raw.includes('+') ? raw : `${raw}Z`) : NaN;
  if (!Number.isFinite(ms)) throw invalid(`${name} must be a date at midnight UTC (ISO 8601)`, name, raw);
  return ms;
}

function bool(el: XmlElement, name: string): boolean | undefined {
  const raw = textOf(el[name])?.trim();
  if (raw === undefined) return undefined;
  if (raw !== 'true' && raw !== 'false') throw malformedXml();
  return raw === 'true';
}

function tagsOf(list: XmlElement[]): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const t of list) {
    const k = textOf(t['Key']);
    const v = textOf(t['Value']) ?? '';
    if (k === undefined || k === '') throw malformedXml();
    if (Object.hasOwn(tags, k)) throw invalid('a tag key is given twice', 'Tag', k);
    tags[k] = v;
  }
  return tags;
}

function storageClass(el: XmlElement, dialect: LifecycleDialect): TransitionClass {
  const raw = textOf(el['StorageClass'])?.trim();
  if (raw === undefined) throw malformedXml();
  const cls = (dialect === 's3' ? S3_CLASSES : OSS_CLASSES)[raw];
  if (!cls) throw new StoreError('InvalidStorageClass', 'The storage class you specified is not valid', { StorageClassRequested: raw });
  return cls;
}

function status(rule: XmlElement): boolean {
  const s = textOf(rule['Status'])?.trim();
  if (s !== 'Enabled' && s !== 'Disabled') throw malformedXml();
  return s === 'Enabled';
}

function s3Filter(rule: XmlElement): LifecycleFilter {
  const legacy = textOf(rule['Prefix']);
  const f = one(rule, 'Filter');
  if (f === undefined) {
    if (legacy === undefined) throw malformedXml();
    return { prefix: legacy, tags: {} };
  }
  if (legacy !== undefined) throw malformedXml();
  const names = Object.keys(f);
  if (names.length > 1) throw malformedXml();
  const and = one(f, 'And');
  const src = and ?? f;
  if (!and && elementsOf(f['Tag']).length > 1) throw malformedXml();
  const gt = integer(src, 'ObjectSizeGreaterThan');
  const lt = integer(src, 'ObjectSizeLessThan');
  return { prefix: textOf(src['Prefix']) ?? '', tags: tagsOf(elementsOf(src['Tag'])), ...(gt !== undefined ? { sizeGreaterThan: gt } : {}), ...(lt !== undefined ? { sizeLessThan: lt } : {}) };
}

function ossFilter(rule: XmlElement): LifecycleFilter {
  const prefix = textOf(rule['Prefix']);
  if (prefix === undefined) throw malformedXml();
  const f = one(rule, 'Filter') ?? {};
  const gt = integer(f, 'ObjectSizeGreaterThan');
  const lt = integer(f, 'ObjectSizeLessThan');
  return { prefix, tags: tagsOf(elementsOf(rule['Tag'])), ...(gt !== undefined ? { sizeGreaterThan: gt } : {}), ...(lt !== undefined ? { sizeLessThan: lt } : {}) };
}

function ageOrDate(el: XmlElement, daysName: string, dialect: LifecycleDialect): AgeOrDate {
  const days = integer(el, daysName);
  const d = date(el, dialect === 's3' ? 'Date' : 'CreatedBeforeDate');
  return { ...(days !== undefined ? { days } : {}), ...(d !== undefined ? (dialect === 's3' ? { dateMs: d } : { createdBeforeMs: d }) : {}) };
}

function ruleOf(rule: XmlElement, dialect: LifecycleDialect, index: number): LifecycleRule {
  const id = textOf(rule['ID'])?.trim() || `rule-${index + 1}`;
  const exp = one(rule, 'Expiration');
  const ncExp = one(rule, 'NoncurrentVersionExpiration');
  const abort = one(rule, dialect === 's3' ? 'AbortIncompleteMultipartUpload' : 'AbortMultipartUpload');
  const transitions: LifecycleTransition[] = elementsOf(rule['Transition']).map((t) => ({ ...ageOrDate(t, 'Days', dialect), storageClass: storageClass(t, dialect) }));
  const noncurrentTransitions: NoncurrentTransition[] = elementsOf(rule['NoncurrentVersionTransition']).map((t) => {
    const n = integer(t, 'NoncurrentDays');
    if (n === undefined) throw malformedXml();
    return { noncurrentDays: n, storageClass: storageClass(t, dialect) };
  });
  let expiration: LifecycleRule['expiration'];
  if (exp) {
    const marker = bool(exp, 'ExpiredObjectDeleteMarker');
    expiration = { ...ageOrDate(exp, 'Days', dialect), ...(marker ? { expiredObjectDeleteMarker: true } : {}) };
  }
  let noncurrentExpiration: LifecycleRule['noncurrentExpiration'];
  if (ncExp) {
    const days = integer(ncExp, 'NoncurrentDays');
    if (days === undefined) throw malformedXml();
    const newer = integer(ncExp, 'NewerNoncurrentVersions');
    noncurrentExpiration = { noncurrentDays: days, ...(newer !== undefined ? { newerNoncurrentVersions: newer } : {}) };
  }
  const abortRule = abort ? ageOrDate(abort, dialect === 's3' ? 'DaysAfterInitiation' : 'Days', dialect) : undefined;
  return {
    id, enabled: status(rule), filter: dialect === 's3' ? s3Filter(rule) : ossFilter(rule),
    ...(expiration ? { expiration } : {}), ...(noncurrentExpiration ? { noncurrentExpiration } : {}),
    ...(abortRule ? { abortIncompleteUpload: abortRule } : {}), transitions, noncurrentTransitions,
  };
}

/** The configuration a PutBucketLifecycle body holds, validated. */
export function parseLifecycleXml(body: Uint8Array | string, dialect: LifecycleDialect): LifecycleConfiguration {
  try {
    const root = parseRequestXml(body, 'LifecycleConfiguration', REPEATED);
    if (root === undefined) throw malformedXml();
    const rules = elementsOf(root['Rule']).map((r, i) => ruleOf(r, dialect, i));
    return validateLifecycle({ rules });
  } catch (err) {
    if (err instanceof StoreError) throw err;
    if (err instanceof LifecycleConfigError) throw new StoreError(err.code, err.message);
    // Anything else is a shape the code above did not expect: still the client's bad XML.
    throw malformedXml();
  }
}

function writeAgeOrDate(w: XmlWriter, a: AgeOrDate, daysName: string, dialect: LifecycleDialect): void {
  w.optional(daysName, a.days);
  if (dialect === 's3' && a.dateMs !== undefined) w.leaf('Date', new Date(a.dateMs).toISOString());
  if (dialect === 'oss' && (a.createdBeforeMs ?? a.dateMs) !== undefined) w.leaf('CreatedBeforeDate', new Date((a.createdBeforeMs ?? a.dateMs)!).toISOString());
}

function writeTags(w: XmlWriter, tags: Readonly<Record<string, string>>): void {
  for (const [k, v] of Object.entries(tags)) w.start('Tag').leaf('Key', k).leaf('Value', v).end();
}

function writeS3Filter(w: XmlWriter, f: LifecycleFilter): void {
  const tagCount = Object.keys(f.tags).length;
  const parts = (f.prefix ? 1 : 0) + tagCount + (f.sizeGreaterThan !== undefined ? 1 : 0) + (f.sizeLessThan !== undefined ? 1 : 0);
  w.start('Filter');
  if (parts > 1) w.start('And');
  if (f.prefix || parts === 0) w.leaf('Prefix', f.prefix);
  writeTags(w, f.tags);
  w.optional('ObjectSizeGreaterThan', f.sizeGreaterThan).optional('ObjectSizeLessThan', f.sizeLessThan);
  if (parts > 1) w.end();
  w.end();
}

/** The GetBucketLifecycle document. */
export function renderLifecycleXml(config: LifecycleConfiguration, dialect: LifecycleDialect): string {
  const w = dialect === 's3' ? XmlWriter.document('LifecycleConfiguration') : ossDocument('LifecycleConfiguration');
  const className = (c: TransitionClass): string => (dialect === 's3' ? S3_NAME[c] : c);
  for (const r of config.rules) {
    w.start('Rule').leaf('ID', r.id);
    if (dialect === 's3') writeS3Filter(w, r.filter);
    else w.leaf('Prefix', r.filter.prefix);
    w.leaf('Status', r.enabled ? 'Enabled' : 'Disabled');
    if (dialect === 'oss') writeTags(w, r.filter.tags);
    for (const t of r.transitions) {
      w.start('Transition');
      writeAgeOrDate(w, t, 'Days', dialect);
      w.leaf('StorageClass', className(t.storageClass)).end();
    }
    if (r.expiration) {
      w.start('Expiration');
      writeAgeOrDate(w, r.expiration, 'Days', dialect);
      if (r.expiration.expiredObjectDeleteMarker) w.leaf('ExpiredObjectDeleteMarker', 'true');
      w.end();
    }
    for (const t of r.noncurrentTransitions) {
      w.start('NoncurrentVersionTransition').leaf('NoncurrentDays', t.noncurrentDays).leaf('StorageClass', className(t.storageClass)).end();
    }
    if (r.noncurrentExpiration) {
      w.start('NoncurrentVersionExpiration').leaf('NoncurrentDays', r.noncurrentExpiration.noncurrentDays)
        .optional('NewerNoncurrentVersions', r.noncurrentExpiration.newerNoncurrentVersions).end();
    }
    if (r.abortIncompleteUpload) {
      w.start(dialect === 's3' ? 'AbortIncompleteMultipartUpload' : 'AbortMultipartUpload');
      writeAgeOrDate(w, r.abortIncompleteUpload, dialect === 's3' ? 'DaysAfterInitiation' : 'Days', dialect);
      w.end();
    }
    if (dialect === 'oss' && (r.filter.sizeGreaterThan !== undefined || r.filter.sizeLessThan !== undefined)) {
      w.start('Filter').optional('ObjectSizeGreaterThan', r.filter.sizeGreaterThan).optional('ObjectSizeLessThan', r.filter.sizeLessThan).end();
    }
    w.end();
  }
  return w.toString();
}
