// The lifecycle XML of both dialects → the one model, and every bad document → its error.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { StoreError } from '../../../../services/gateway/errors/store-error.ts';
import { parseLifecycleXml, renderLifecycleXml } from '../../../../services/gateway/s3/lifecycle-xml.ts';

const s3 = (rules: string): string => `<LifecycleConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${rules}</LifecycleConfiguration>`;
const oss = (rules: string): string => `<?xml version="1.0" encoding="UTF-8"?><LifecycleConfiguration>${rules}</LifecycleConfiguration>`;

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof StoreError, `not a StoreError: ${String(err)}`);
    return err.code;
  }
  assert.fail('no error');
}

test('S3: filters (prefix, tag, And, sizes), every action, storage class names', () => {
  const c = parseLifecycleXml(s3(`
    <Rule><ID>logs</ID><Filter><Prefix>logs/</Prefix></Filter><Status>Enabled</Status>
      <Transition><Days>1</Days><StorageClass>STANDARD_IA</StorageClass></Transition>
      <Transition><Days>2</Days><StorageClass>GLACIER</StorageClass></Transition>
      <Expiration><Days>3</Days></Expiration>
      <NoncurrentVersionExpiration><NoncurrentDays>1</NoncurrentDays><NewerNoncurrentVersions>2</NewerNoncurrentVersions></NoncurrentVersionExpiration>
      <NoncurrentVersionTransition><NoncurrentDays>0</NoncurrentDays><StorageClass>DEEP_ARCHIVE</StorageClass></NoncurrentVersionTransition>
      <AbortIncompleteMultipartUpload><DaysAfterInitiation>1</DaysAfterInitiation></AbortIncompleteMultipartUpload></Rule>
    <Rule><ID>tagged</ID><Filter><And><Prefix>a/</Prefix><Tag><Key>k</Key><Value>v</Value></Tag><ObjectSizeGreaterThan>10</ObjectSizeGreaterThan></And></Filter>
      <Status>Disabled</Status><Expiration><Date>2030-01-01T00:00:00.000Z</Date></Expiration></Rule>
    <Rule><Filter><Tag><Key>x</Key><Value>y</Value></Tag></Filter><Status>Enabled</Status><Expiration><Days>5</Days></Expiration></Rule>
    <Rule><ID>markers</ID><Prefix></Prefix><Status>Enabled</Status><Expiration><ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker></Expiration></Rule>`), 's3');
  assert.equal(c.rules.length, 4);
  const [a, b, t, m] = c.rules;
  assert.deepEqual(a!.filter, { prefix: 'logs/', tags: {} });
  assert.deepEqual(a!.transitions, [{ days: 1, storageClass: 'IA' }, { days: 2, storageClass: 'Archive' }]);
  assert.deepEqual(a!.expiration, { days: 3 });
  assert.deepEqual(a!.noncurrentExpiration, { noncurrentDays: 1, newerNoncurrentVersions: 2 });
  assert.deepEqual(a!.noncurrentTransitions, [{ noncurrentDays: 0, storageClass: 'Archive' }]);
  assert.deepEqual(a!.abortIncompleteUpload, { days: 1 });
  assert.equal(b!.enabled, false);
  assert.deepEqual(b!.filter, { prefix: 'a/', tags: { k: 'v' }, sizeGreaterThan: 10 });
  assert.equal(b!.expiration!.dateMs, Date.UTC(2030, 0, 1));
  assert.equal(t!.id, 'rule-3');
  assert.deepEqual(t!.filter.tags, { x: 'y' });
  assert.equal(m!.expiration!.expiredObjectDeleteMarker, true);
  // Rendered and parsed again: the same model.
  assert.deepEqual(parseLifecycleXml(renderLifecycleXml(c, 's3'), 's3'), c);
});

test('OSS: Prefix, Tag, CreatedBeforeDate, AbortMultipartUpload, IA/Archive/ColdArchive, size filter', () => {
  const c = parseLifecycleXml(oss(`
    <Rule><ID>r1</ID><Prefix>tmp/</Prefix><Status>Enabled</Status>
      <Expiration><Days>4</Days></Expiration>
      <Transition><Days>1</Days><StorageClass>IA</StorageClass></Transition>
      <Transition><Days>2</Days><StorageClass>ColdArchive</StorageClass></Transition>
      <AbortMultipartUpload><Days>1</Days></AbortMultipartUpload>
      <NoncurrentVersionExpiration><NoncurrentDays>2</NoncurrentDays></NoncurrentVersionExpiration>
      <NoncurrentVersionTransition><NoncurrentDays>1</NoncurrentDays><StorageClass>IA</StorageClass></NoncurrentVersionTransition>
      <Filter><ObjectSizeLessThan>100</ObjectSizeLessThan></Filter></Rule>
    <Rule><ID>r2</ID><Prefix>old/</Prefix><Status>Enabled</Status><Tag><Key>a</Key><Value>b</Value></Tag>
      <Expiration><CreatedBeforeDate>2020-01-01T00:00:00.000Z</CreatedBeforeDate></Expiration></Rule>`), 'oss');
  const [a, b] = c.rules;
  assert.deepEqual(a!.filter, { prefix: 'tmp/', tags: {}, sizeLessThan: 100 });
  assert.deepEqual(a!.transitions.map((t) => t.storageClass), ['IA', 'Archive']);
  assert.deepEqual(a!.abortIncompleteUpload, { days: 1 });
  assert.deepEqual(b!.filter.tags, { a: 'b' });
  assert.equal(b!.expiration!.createdBeforeMs, Date.UTC(2020, 0, 1));
  assert.deepEqual(parseLifecycleXml(renderLifecycleXml(c, 'oss'), 'oss'), c);
});

test('bad documents: the protocol error, never a crash', () => {
  const rule = (body: string): string => `<Rule><ID>x</ID><Filter><Prefix>p</Prefix></Filter><Status>Enabled</Status>${body}</Rule>`;
  assert.equal(code(() => parseLifecycleXml('', 's3')), 'MalformedXML');
  assert.equal(code(() => parseLifecycleXml('<LifecycleConfiguration><Rule>', 's3')), 'MalformedXML');
  assert.equal(code(() => parseLifecycleXml(s3(''), 's3')), 'MalformedXML');
  assert.equal(code(() => parseLifecycleXml(s3(rule('')), 's3')), 'MalformedXML'); // no action
  assert.equal(code(() => parseLifecycleXml(s3('<Rule><Filter/><Status>On</Status><Expiration><Days>1</Days></Expiration></Rule>'), 's3')), 'MalformedXML');
  assert.equal(code(() => parseLifecycleXml(s3(rule('<Expiration><Days>0</Days></Expiration>')), 's3')), 'InvalidArgument');
  assert.equal(code(() => parseLifecycleXml(s3(rule('<Expiration><Days>-1</Days></Expiration>')), 's3')), 'InvalidArgument');
  assert.equal(code(() => parseLifecycleXml(s3(rule('<Expiration><Days>1</Days><Date>2030-01-01T00:00:00Z</Date></Expiration>')), 's3')), 'InvalidArgument');
  assert.equal(code(() => parseLifecycleXml(s3(rule('<Expiration><Date>2030-01-01T10:00:00Z</Date></Expiration>')), 's3')), 'InvalidArgument');
  assert.equal(code(() => parseLifecycleXml(s3(rule('<Transition><Days>1</Days><StorageClass>FOO</StorageClass></Transition>')), 's3')), 'InvalidStorageClass');
  assert.equal(code(() => parseLifecycleXml(s3(rule('<Transition><Days>5</Days><StorageClass>GLACIER</StorageClass></Transition><Expiration><Days>3</Days></Expiration>')), 's3')), 'InvalidArgument');
  assert.equal(code(() => parseLifecycleXml(s3(rule('<Expiration><Days>1</Days></Expiration>') + rule('<Expiration><Days>1</Days></Expiration>')), 's3')), 'InvalidArgument'); // same ID
  assert.equal(code(() => parseLifecycleXml(s3('<Rule><Filter><Prefix>a</Prefix><Tag><Key>k</Key><Value>v</Value></Tag></Filter><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule>'), 's3')), 'MalformedXML');
  assert.equal(code(() => parseLifecycleXml(s3('<Rule><Filter><Tag><Key>k</Key><Value>v</Value></Tag></Filter><Status>Enabled</Status><AbortIncompleteMultipartUpload><DaysAfterInitiation>1</DaysAfterInitiation></AbortIncompleteMultipartUpload></Rule>'), 's3')), 'InvalidArgument');
  assert.equal(code(() => parseLifecycleXml(oss('<Rule><ID>a</ID><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule>'), 'oss')), 'MalformedXML'); // no Prefix
  assert.equal(code(() => parseLifecycleXml(oss('<Rule><ID>a</ID><Prefix/><Status>Enabled</Status><Transition><Days>1</Days><StorageClass>STANDARD_IA</StorageClass></Transition></Rule>'), 'oss')), 'InvalidStorageClass');
  const many = Array.from({ length: 1001 }, (_, i) => `<Rule><ID>r${i}</ID><Filter><Prefix>${i}</Prefix></Filter><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule>`).join('');
  assert.equal(code(() => parseLifecycleXml(s3(many), 's3')), 'InvalidArgument');
});

test('fuzz: any text or any mix of known elements parses or fails with a StoreError', () => {
  const names = ['Rule', 'ID', 'Filter', 'Prefix', 'And', 'Tag', 'Key', 'Value', 'Status', 'Expiration', 'Days', 'Date', 'CreatedBeforeDate',
    'ExpiredObjectDeleteMarker', 'Transition', 'StorageClass', 'NoncurrentVersionExpiration', 'NoncurrentDays', 'NewerNoncurrentVersions',
    'AbortIncompleteMultipartUpload', 'AbortMultipartUpload', 'DaysAfterInitiation', 'ObjectSizeGreaterThan', 'ObjectSizeLessThan'];
  const texts = ['', '1', '0', '-3', 'Enabled', 'Disabled', 'true', 'GLACIER', 'IA', 'Archive', '2030-01-01T00:00:00.000Z', 'x'];
  const element: fc.Memo<string> = fc.memo((depth) => depth <= 1
    ? fc.tuple(fc.constantFrom(...names), fc.constantFrom(...texts)).map(([n, t]) => `<${n}>${t}</${n}>`)
    : fc.tuple(fc.constantFrom(...names), fc.array(element(depth - 1), { maxLength: 4 })).map(([n, kids]) => `<${n}>${kids.join('')}</${n}>`));
  fc.assert(fc.property(fc.oneof(fc.string(), element(4).map((e) => `<LifecycleConfiguration>${e}</LifecycleConfiguration>`)), fc.constantFrom('s3', 'oss' as const), (doc, dialect) => {
    try {
      parseLifecycleXml(doc, dialect as 's3' | 'oss');
    } catch (err) {
      if (!(err instanceof StoreError)) throw err;
    }
  }), { numRuns: 2000, seed: 13 });
});
