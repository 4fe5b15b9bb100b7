// OSS documents of two bucket access settings: RefererConfiguration (Put/GetBucketReferer:
// AllowEmptyReferer, AllowTruncateQueryString, TruncatePath, RefererList/Referer,
// RefererBlacklist/Referer) and OSS's PublicAccessBlockConfiguration, whose one
// BlockPublicAccess flag is S3's four at once. Shape errors are MalformedXML; values that have
// the shape but not the meaning (TruncatePath without AllowTruncateQueryString) InvalidArgument.
// The entry limits are the authorization core's (compileRefererConfiguration checks them).
import type { RefererConfiguration } from '../authz/index.ts';
import { StoreError } from '../errors/store-error.ts';
import { type PublicAccessBlockDocument, parseXmlBoolean } from '../s3/index.ts';
import { elementsOf, malformedXml, parseRequestXml, textOf, type XmlElement } from '../s3/request-xml.ts';
import { ossDocument } from './oss-xml-fragments.ts';

function referers(list: XmlElement | undefined): string[] {
  if (list === undefined) return [];
  return elementsOfText(list['Referer']);
}

function elementsOfText(value: XmlElement[string] | undefined): string[] {
  if (value === undefined) return [];
  const all = Array.isArray(value) ? value : [value];
  return all.map((v) => {
    const t = textOf(v);
    if (t === undefined) throw malformedXml();
    return t.trim();
  });
}

function oneList(root: XmlElement, name: string): XmlElement | undefined {
  const lists = elementsOf(root[name]);
  if (lists.length > 1) throw malformedXml();
  return lists[0];
}

export function parseOssRefererConfiguration(body: Uint8Array | string): RefererConfiguration {
  const root = parseRequestXml(body, 'RefererConfiguration', ['Referer', 'RefererList', 'RefererBlacklist']);
  if (root === undefined) throw malformedXml();
  const allowEmpty = textOf(root['AllowEmptyReferer']);
  if (allowEmpty === undefined) throw malformedXml();
  const config: RefererConfiguration = {
    allowEmptyReferer: parseXmlBoolean(allowEmpty, true),
    allowTruncateQueryString: parseXmlBoolean(textOf(root['AllowTruncateQueryString']), true),
    truncatePath: parseXmlBoolean(textOf(root['TruncatePath']), false),
    whitelist: referers(oneList(root, 'RefererList')),
    blacklist: referers(oneList(root, 'RefererBlacklist')),
  };
  if (config.truncatePath && !config.allowTruncateQueryString) {
    throw new StoreError('InvalidArgument', 'TruncatePath can be true only when AllowTruncateQueryString is true.', {
      ArgumentName: 'TruncatePath', ArgumentValue: 'true',
    });
  }
  return config;
}

/** GetBucketReferer. RefererList is always written (ali-oss reads it unconditionally). */
export function renderOssRefererConfiguration(config: RefererConfiguration): string {
  const w = ossDocument('RefererConfiguration')
    .leaf('AllowEmptyReferer', config.allowEmptyReferer ? 'true' : 'false')
    .leaf('AllowTruncateQueryString', config.allowTruncateQueryString ? 'true' : 'false')
    .leaf('TruncatePath', config.truncatePath ? 'true' : 'false');
  w.start('RefererList');
  for (const r of config.whitelist) w.leaf('Referer', r);
  w.end().start('RefererBlacklist');
  for (const r of config.blacklist) w.leaf('Referer', r);
  return w.end().toString();
}

/** PutBucketPublicAccessBlock: BlockPublicAccess sets all four of S3's flags (absent: false, OSS's default). */
export function parseOssPublicAccessBlockConfiguration(body: Uint8Array | string): PublicAccessBlockDocument {
  const root = parseRequestXml(body, 'PublicAccessBlockConfiguration', []);
  if (root === undefined) throw malformedXml();
  const on = parseXmlBoolean(textOf(root['BlockPublicAccess']), false);
  return { blockPublicAcls: on, ignorePublicAcls: on, blockPublicPolicy: on, restrictPublicBuckets: on };
}

/** GetBucketPublicAccessBlock: true only when all four flags hold (a setting made through S3 may hold some). */
export function renderOssPublicAccessBlockConfiguration(block: PublicAccessBlockDocument): string {
  const all = block.blockPublicAcls && block.ignorePublicAcls && block.blockPublicPolicy && block.restrictPublicBuckets;
  return ossDocument('PublicAccessBlockConfiguration').leaf('BlockPublicAccess', all ? 'true' : 'false').toString();
}
