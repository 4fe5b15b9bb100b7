// The S3 documents of two bucket access settings: PublicAccessBlockConfiguration (the four
// block-public-access flags; an element left out is false, as in S3) and OwnershipControls
// (one Rule with ObjectOwnership). Bodies that do not have the shape are MalformedXML; an
// unknown ownership value is MalformedXML too, which is what S3 answers.
import { malformedXml, parseRequestXml, textOf, elementsOf } from './request-xml.ts';
import { XmlWriter } from './xml-writer.ts';

export interface PublicAccessBlockDocument {
  readonly blockPublicAcls: boolean;
  readonly ignorePublicAcls: boolean;
  readonly blockPublicPolicy: boolean;
  readonly restrictPublicBuckets: boolean;
}

export const OBJECT_OWNERSHIP_VALUES = ['BucketOwnerEnforced', 'BucketOwnerPreferred', 'ObjectWriter'] as const;
export type ObjectOwnershipValue = (typeof OBJECT_OWNERSHIP_VALUES)[number];

const FLAGS = [
  ['BlockPublicAcls', 'blockPublicAcls'], ['IgnorePublicAcls', 'ignorePublicAcls'],
  ['BlockPublicPolicy', 'blockPublicPolicy'], ['RestrictPublicBuckets', 'restrictPublicBuckets'],
] as const;

/** An XML boolean as S3 reads one: `true` or `false` (any case, surrounding space ignored). */
export function parseXmlBoolean(text: string | undefined, absent: boolean): boolean {
  if (text === undefined) return absent;
  const t = text.trim().toLowerCase();
  if (t === 'true') return true;
  if (t === 'false') return false;
  throw malformedXml();
}

export function parsePublicAccessBlockConfiguration(body: Uint8Array | string): PublicAccessBlockDocument {
  const root = parseRequestXml(body, 'PublicAccessBlockConfiguration', []);
  if (root === undefined) throw malformedXml();
  const out: Record<string, boolean> = {};
  for (const [element, field] of FLAGS) out[field] = parseXmlBoolean(textOf(root[element]), false);
  return out as unknown as PublicAccessBlockDocument;
}

export function renderPublicAccessBlockConfiguration(block: PublicAccessBlockDocument): string {
  const w = XmlWriter.document('PublicAccessBlockConfiguration');
  for (const [element, field] of FLAGS) w.leaf(element, block[field] ? 'true' : 'false');
  return w.toString();
}

export function isObjectOwnership(v: string): v is ObjectOwnershipValue {
  return (OBJECT_OWNERSHIP_VALUES as readonly string[]).includes(v);
}

/** PutBucketOwnershipControls: exactly one Rule with one ObjectOwnership. */
export function parseOwnershipControls(body: Uint8Array | string): ObjectOwnershipValue {
  const root = parseRequestXml(body, 'OwnershipControls', ['Rule']);
  if (root === undefined) throw malformedXml();
  const rules = elementsOf(root['Rule']);
  if (rules.length !== 1) throw malformedXml();
  const value = textOf(rules[0]!['ObjectOwnership'])?.trim();
  if (value === undefined || !isObjectOwnership(value)) throw malformedXml();
  return value;
}

export function renderOwnershipControls(ownership: ObjectOwnershipValue): string {
  return XmlWriter.document('OwnershipControls').start('Rule').leaf('ObjectOwnership', ownership).end().toString();
}
