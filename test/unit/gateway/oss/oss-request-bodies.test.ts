// OSS request bodies: tag sets and CreateBucketConfiguration; malformed input is MalformedXML,
// bad tags InvalidTag, archive storage classes InvalidStorageClass.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isStoreError, type StoreErrorCode } from '../../../../services/gateway/errors/store-error.ts';
import { parseOssCreateBucketConfiguration, parseOssTagging } from '../../../../services/gateway/oss/index.ts';

function rejects(fn: () => unknown, code: StoreErrorCode, why: string): void {
  assert.throws(fn, (e: unknown) => isStoreError(e) && e.code === code, `${why}: expected ${code}`);
}

const tagging = (...tags: string[]): string => `<?xml version="1.0" encoding="UTF-8"?><Tagging><TagSet>${tags.join('')}</TagSet></Tagging>`;
const tag = (k: string, v?: string): string => `<Tag><Key>${k}</Key>${v === undefined ? '' : `<Value>${v}</Value>`}</Tag>`;

test('parseTagging: tags, entities, an empty set, a Tag without Value', () => {
  assert.deepEqual(parseOssTagging(tagging(tag('a', '1'), tag('b&amp;c', '&lt;d&gt;'), tag(' sp ', ' v '))), { 'a': '1', 'b&c': '<d>', ' sp ': ' v ' });
  assert.deepEqual(parseOssTagging(Buffer.from(tagging())), {});
  assert.deepEqual(parseOssTagging('<Tagging><TagSet/></Tagging>'), {});
  assert.deepEqual(parseOssTagging(tagging(tag('k'))), { k: '' });
  assert.deepEqual(parseOssTagging(tagging(tag('k', ''))), { k: '' });
  // Length limits count characters: 128 three-byte characters are a legal key.
  assert.deepEqual(Object.keys(parseOssTagging(tagging(tag('\u2603'.repeat(128), 'v')))), ['\u2603'.repeat(128)]);
});

test('parseTagging: malformed documents are MalformedXML', () => {
  const cases: Array<[string, string]> = [
    ['', 'empty body'],
    ['   ', 'blank body'],
    ['not xml', 'not XML'],
    ['<Tagging><TagSet><Tag><Key>a</Key></Tag></TagSet>', 'unclosed root'],
    ['<Tags><TagSet/></Tags>', 'wrong root'],
    ['<Tagging/>', 'no TagSet'],
    ['<Tagging><TagSet/><TagSet/></Tagging>', 'two TagSets'],
    ['<Tagging><TagSet>text</TagSet></Tagging>', 'text for a TagSet'],
    [tagging('<Tag><Value>v</Value></Tag>'), 'a Tag without Key'],
    [tagging('<Tag><Key><X/></Key></Tag>'), 'a Key with elements'],
    [tagging('<Tag><Key>a</Key><Key>b</Key></Tag>'), 'two Keys'],
    ['<!DOCTYPE x [<!ENTITY e "boom">]><Tagging><TagSet>&e;</TagSet></Tagging>', 'a DOCTYPE'],
    [tagging(tag('a&unknown;')), 'an unknown entity'],
    [`${tagging()}<Tagging/>`, 'text after the root'],
  ];
  for (const [body, why] of cases) rejects(() => parseOssTagging(body), 'MalformedXML', why);
  rejects(() => parseOssTagging(Buffer.from([0x3c, 0xff, 0x3e])), 'MalformedXML', 'invalid UTF-8');
});

test('parseTagging: bad tags are InvalidTag', () => {
  rejects(() => parseOssTagging(tagging(...Array.from({ length: 11 }, (_, i) => tag(`k${i}`, 'v')))), 'InvalidTag', '11 tags');
  assert.equal(Object.keys(parseOssTagging(tagging(...Array.from({ length: 10 }, (_, i) => tag(`k${i}`, 'v'))))).length, 10);
  rejects(() => parseOssTagging(tagging(tag('a', '1'), tag('a', '2'))), 'InvalidTag', 'duplicate key');
  rejects(() => parseOssTagging(tagging(tag('', '1'))), 'InvalidTag', 'empty key');
  rejects(() => parseOssTagging(tagging(tag('k'.repeat(129), '1'))), 'InvalidTag', '129-character key');
  rejects(() => parseOssTagging(tagging(tag('k', 'v'.repeat(257)))), 'InvalidTag', '257-character value');
  assert.ok(parseOssTagging(tagging(tag('k'.repeat(128), 'v'.repeat(256)))));
});

test('CreateBucketConfiguration: storage class, redundancy type, location; malformed is MalformedXML', () => {
  const config = (inner: string): string => `<?xml version="1.0" encoding="UTF-8"?>\n<CreateBucketConfiguration>${inner}</CreateBucketConfiguration>`;
  assert.deepEqual(parseOssCreateBucketConfiguration(''), {});
  assert.deepEqual(parseOssCreateBucketConfiguration(config('')), {});
  assert.deepEqual(parseOssCreateBucketConfiguration(config('<StorageClass>Standard</StorageClass>')), { storageClass: 'STANDARD' });
  assert.deepEqual(parseOssCreateBucketConfiguration(config('<StorageClass>IA</StorageClass><DataRedundancyType>ZRS</DataRedundancyType>')), { storageClass: 'STANDARD' });
  assert.deepEqual(parseOssCreateBucketConfiguration(config('<DataRedundancyType>LRS</DataRedundancyType>')), {});
  assert.deepEqual(parseOssCreateBucketConfiguration(config('<LocationConstraint>oss-cn-hangzhou</LocationConstraint>')), { locationConstraint: 'oss-cn-hangzhou' });
  for (const cls of ['Archive', 'ColdArchive', 'DeepColdArchive', 'Bogus']) {
    rejects(() => parseOssCreateBucketConfiguration(config(`<StorageClass>${cls}</StorageClass>`)), 'InvalidStorageClass', cls);
  }
  rejects(() => parseOssCreateBucketConfiguration(config('<DataRedundancyType>XRS</DataRedundancyType>')), 'InvalidArgument', 'redundancy type');
  rejects(() => parseOssCreateBucketConfiguration('<CreateBucketConfiguration>'), 'MalformedXML', 'unclosed');
  rejects(() => parseOssCreateBucketConfiguration('<Other/>'), 'MalformedXML', 'wrong root');
});
