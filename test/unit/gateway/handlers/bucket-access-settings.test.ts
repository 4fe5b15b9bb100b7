// Bucket access settings: the S3 and OSS XML codecs (PublicAccessBlockConfiguration,
// OwnershipControls, RefererConfiguration), their stored documents read into the core's model,
// the store-time ACL refusals, and the routes of the new sub-resources.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { create } from '@bufbuild/protobuf';
import { BucketSchema } from '../../../../services/common/gen/zonestore/meta/v1/records_pb.ts';
import { cannedAcl, checkReferer } from '../../../../services/gateway/authz/index.ts';
import { bucketAccessOf } from '../../../../services/gateway/handlers/access-documents.ts';
import { encodeSetting, refuseRequestedAcl } from '../../../../services/gateway/handlers/bucket-access-settings.ts';
import { isStoreError } from '../../../../services/gateway/errors/store-error.ts';
import {
  parseOwnershipControls, parsePublicAccessBlockConfiguration, renderOwnershipControls, renderPublicAccessBlockConfiguration,
} from '../../../../services/gateway/s3/index.ts';
import { routeOperation } from '../../../../services/gateway/s3/operation-routes.ts';
import {
  parseOssPublicAccessBlockConfiguration, parseOssRefererConfiguration, renderOssPublicAccessBlockConfiguration, renderOssRefererConfiguration,
  routeOssOperation,
} from '../../../../services/gateway/oss/index.ts';

const code = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    if (isStoreError(err)) return err.code;
    throw err;
  }
  return 'no error';
};

test('S3 PublicAccessBlockConfiguration: absent flags are false, round trip, bad booleans are MalformedXML', () => {
  const b = parsePublicAccessBlockConfiguration('<PublicAccessBlockConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><BlockPublicAcls>true</BlockPublicAcls><RestrictPublicBuckets>TRUE</RestrictPublicBuckets></PublicAccessBlockConfiguration>');
  assert.deepEqual(b, { blockPublicAcls: true, ignorePublicAcls: false, blockPublicPolicy: false, restrictPublicBuckets: true });
  assert.deepEqual(parsePublicAccessBlockConfiguration(renderPublicAccessBlockConfiguration(b)), b);
  assert.equal(code(() => parsePublicAccessBlockConfiguration('<PublicAccessBlockConfiguration><BlockPublicAcls>yes</BlockPublicAcls></PublicAccessBlockConfiguration>')), 'MalformedXML');
  assert.equal(code(() => parsePublicAccessBlockConfiguration('')), 'MalformedXML');
  assert.equal(code(() => parsePublicAccessBlockConfiguration('<Other/>')), 'MalformedXML');
});

test('S3 OwnershipControls: one rule with a known value', () => {
  assert.equal(parseOwnershipControls(renderOwnershipControls('BucketOwnerEnforced')), 'BucketOwnerEnforced');
  assert.equal(code(() => parseOwnershipControls('<OwnershipControls><Rule><ObjectOwnership>Mine</ObjectOwnership></Rule></OwnershipControls>')), 'MalformedXML');
  assert.equal(code(() => parseOwnershipControls('<OwnershipControls></OwnershipControls>')), 'MalformedXML');
});

test('OSS RefererConfiguration: defaults, lists, round trip; bad input MalformedXML / InvalidArgument', () => {
  const c = parseOssRefererConfiguration('<?xml version="1.0" encoding="UTF-8"?>\n<RefererConfiguration><AllowEmptyReferer>false</AllowEmptyReferer><RefererList><Referer>*.good.com</Referer><Referer> https://a.com </Referer></RefererList><RefererBlacklist><Referer>bad.good.com</Referer></RefererBlacklist></RefererConfiguration>');
  assert.deepEqual(c, { allowEmptyReferer: false, allowTruncateQueryString: true, truncatePath: false, whitelist: ['*.good.com', 'https://a.com'], blacklist: ['bad.good.com'] });
  assert.deepEqual(parseOssRefererConfiguration(renderOssRefererConfiguration(c)), c);
  assert.deepEqual(parseOssRefererConfiguration('<RefererConfiguration><AllowEmptyReferer>true</AllowEmptyReferer><RefererList /></RefererConfiguration>').whitelist, []);
  assert.match(renderOssRefererConfiguration({ ...c, whitelist: [] }), /<RefererList><\/RefererList>|<RefererList\/>/);
  assert.equal(code(() => parseOssRefererConfiguration('<RefererConfiguration><RefererList/></RefererConfiguration>')), 'MalformedXML', 'AllowEmptyReferer is required');
  assert.equal(code(() => parseOssRefererConfiguration('<RefererConfiguration><AllowEmptyReferer>maybe</AllowEmptyReferer></RefererConfiguration>')), 'MalformedXML');
  assert.equal(code(() => parseOssRefererConfiguration('<RefererConfiguration><AllowEmptyReferer>true</AllowEmptyReferer>')), 'MalformedXML');
  assert.equal(code(() => parseOssRefererConfiguration('<RefererConfiguration><AllowEmptyReferer>true</AllowEmptyReferer><AllowTruncateQueryString>false</AllowTruncateQueryString><TruncatePath>true</TruncatePath></RefererConfiguration>')), 'InvalidArgument');
});

test('OSS PublicAccessBlockConfiguration: one flag is all four', () => {
  const on = parseOssPublicAccessBlockConfiguration('<PublicAccessBlockConfiguration><BlockPublicAccess>true</BlockPublicAccess></PublicAccessBlockConfiguration>');
  assert.deepEqual(on, { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true });
  assert.match(renderOssPublicAccessBlockConfiguration(on), /<BlockPublicAccess>true<\/BlockPublicAccess>/);
  assert.match(renderOssPublicAccessBlockConfiguration({ ...on, ignorePublicAcls: false }), /<BlockPublicAccess>false<\/BlockPublicAccess>/);
});

test('stored settings reach bucketAccessOf; an unreadable document fails closed', () => {
  const b = create(BucketSchema, { name: 'b', owner: 'alice', configs: {
    referer: encodeSetting({ allowEmptyReferer: false, allowTruncateQueryString: true, truncatePath: false, whitelist: ['*.good.com'], blacklist: [] }),
    'public-access-block': encodeSetting({ blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: false, restrictPublicBuckets: false }),
    'ownership-controls': encodeSetting({ objectOwnership: 'BucketOwnerEnforced' }),
    sandbox: Buffer.from('{"requestsPerSecond":5}'),
  } });
  const a = bucketAccessOf(b);
  assert.equal(a.objectOwnership, 'BucketOwnerEnforced');
  assert.equal(a.publicAccessBlock?.ignorePublicAcls, true);
  assert.equal(a.sandboxed, true);
  assert.equal(checkReferer(a.referer!, 'https://www.good.com/x'), 'allowed');
  assert.equal(checkReferer(a.referer!, undefined), 'empty-referer-denied');
  const none = bucketAccessOf(create(BucketSchema, { name: 'b', owner: 'alice' }));
  assert.deepEqual([none.referer, none.publicAccessBlock, none.objectOwnership, none.sandboxed], [undefined, undefined, undefined, undefined]);
  const broken = bucketAccessOf(create(BucketSchema, { name: 'b', owner: 'alice', configs: { referer: Buffer.from('{'), 'public-access-block': Buffer.from('x'), 'ownership-controls': Buffer.from('[]') } }));
  assert.equal(checkReferer(broken.referer!, 'https://any.com'), 'blacklisted');
  assert.equal(broken.publicAccessBlock?.restrictPublicBuckets, true);
  assert.equal(broken.objectOwnership, 'BucketOwnerEnforced');
});

test('store-time ACL refusals: BlockPublicAcls → AccessDenied, BucketOwnerEnforced → AccessControlListNotSupported', () => {
  const bucket = (configs: Record<string, Uint8Array>) => create(BucketSchema, { name: 'b', owner: 'alice', configs });
  const blocked = bucket({ 'public-access-block': encodeSetting({ blockPublicAcls: true, ignorePublicAcls: false, blockPublicPolicy: false, restrictPublicBuckets: false }) });
  assert.equal(code(() => refuseRequestedAcl(blocked, cannedAcl('public-read', 'alice'))), 'AccessDenied');
  assert.equal(code(() => refuseRequestedAcl(blocked, cannedAcl('private', 'alice'))), 'no error');
  const enforced = bucket({ 'ownership-controls': encodeSetting({ objectOwnership: 'BucketOwnerEnforced' }) });
  assert.equal(code(() => refuseRequestedAcl(enforced, cannedAcl('authenticated-read', 'alice'))), 'AccessControlListNotSupported');
  assert.equal(code(() => refuseRequestedAcl(enforced, cannedAcl('bucket-owner-full-control', 'alice'))), 'no error');
  assert.equal(code(() => refuseRequestedAcl(enforced, 'default')), 'no error');
  assert.equal(code(() => refuseRequestedAcl(bucket({}), cannedAcl('public-read-write', 'alice'))), 'no error');
});

test('routes: ?publicAccessBlock and ?ownershipControls (S3), ?referer and ?publicAccessBlock (OSS)', () => {
  const q = (name: string) => new Map([[name, '']]);
  const s3 = (method: string, sub: string) => routeOperation({ method, level: 'bucket', query: q(sub), headers: {} });
  const oss = (method: string, sub: string) => routeOssOperation({ method, level: 'bucket', query: q(sub), headers: {} });
  assert.deepEqual(['GET', 'PUT', 'DELETE'].map((m) => s3(m, 'publicAccessBlock')), ['GetPublicAccessBlock', 'PutPublicAccessBlock', 'DeletePublicAccessBlock']);
  assert.deepEqual(['GET', 'PUT', 'DELETE'].map((m) => s3(m, 'ownershipControls')), ['GetBucketOwnershipControls', 'PutBucketOwnershipControls', 'DeleteBucketOwnershipControls']);
  assert.deepEqual(['GET', 'PUT'].map((m) => oss(m, 'referer')), ['GetBucketReferer', 'PutBucketReferer']);
  assert.deepEqual(['GET', 'PUT', 'DELETE'].map((m) => oss(m, 'publicAccessBlock')), ['GetPublicAccessBlock', 'PutPublicAccessBlock', 'DeletePublicAccessBlock']);
});
