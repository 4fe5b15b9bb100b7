// What OSS signatures cover of the request target, rule by rule: V1's CanonicalizedResource
// (sub-resources only, sorted, decoded, bare when empty) and V4's canonical URI and query (every
// parameter, encoded, bare when empty unless asked otherwise).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseRawQuery } from '../../../../services/gateway/auth/sigv4-uri-encoding.ts';
import { isV1SignedParameter } from '../../../../services/gateway/oss-auth/index.ts';
import { canonicalizedResourceV1, canonicalQueryV4, canonicalUriV4 } from '../../../../services/gateway/oss-auth/oss-signed-resource.ts';
import { byteStringText } from '../../../../services/gateway/oss-auth/oss-string-bytes.ts';

describe('V1 CanonicalizedResource', () => {
  const resource = (rawQuery: string, target = { bucket: 'b', key: 'k' }): string =>
    byteStringText(canonicalizedResourceV1(target, parseRawQuery(rawQuery)));

  test('service, bucket and object paths', () => {
    assert.equal(resource('', {} as never), '/');
    assert.equal(resource('', { bucket: 'b' } as never), '/b/');
    assert.equal(resource('', { bucket: 'b', key: '' }), '/b/');
    assert.equal(resource(''), '/b/k');
    assert.equal(resource('', { bucket: 'b', key: 'dir/a b+c/ü 文件' }), '/b/dir/a b+c/ü 文件');
  });

  test('sub-resources only, sorted by name, values decoded, bare when empty', () => {
    assert.equal(resource('uploadId=a%2Fb&partNumber=2&prefix=x&max-keys=3'), '/b/k?partNumber=2&uploadId=a/b');
    assert.equal(resource('acl='), '/b/k?acl');
    assert.equal(resource('tagging&versionId=v%201'), '/b/k?tagging&versionId=v 1');
    assert.equal(resource('response-content-disposition=attachment%3B%20filename%3D%22%C3%BC%22'), '/b/k?response-content-disposition=attachment; filename="ü"');
    assert.equal(resource('x-oss-process=image%2Fresize%2Cw_1&x-oss-traffic-limit=100'), '/b/k?x-oss-process=image/resize,w_1&x-oss-traffic-limit=100');
    assert.equal(resource('append&position=0'), '/b/k?append&position=0');
    assert.equal(resource('continuation-token=t&list-type=2'), '/b/k?continuation-token=t');
  });

  test('the signed parameter set', () => {
    for (const name of ['acl', 'uploads', 'uploadId', 'partNumber', 'tagging', 'symlink', 'objectMeta', 'bucketInfo', 'stat', 'security-token', 'x-oss-anything']) {
      assert.equal(isV1SignedParameter(name), true, name);
    }
    for (const name of ['prefix', 'marker', 'max-keys', 'delimiter', 'encoding-type', 'list-type', 'start-after', 'OSSAccessKeyId', 'Expires', 'Signature', 'ACL']) {
      assert.equal(isV1SignedParameter(name), false, name);
    }
  });
});

describe('V4 canonical URI and query', () => {
  test('the URI is /bucket/key encoded, slashes kept', () => {
    assert.equal(canonicalUriV4({}), '/');
    assert.equal(canonicalUriV4({ bucket: 'b' }), '/b/');
    assert.equal(canonicalUriV4({ bucket: 'b', key: "dir/a b+c/ü'(x)*!~.txt" }), "/b/dir/a%20b%2Bc/%C3%BC%27%28x%29%2A%21~.txt");
  });

  test('every parameter, encoded, sorted, bare when empty; `name=` on request; some left out', () => {
    const query = parseRawQuery("prefix=a%2Fb+c&acl=&max-keys=10&tagging&x-oss-signature=s&q='");
    assert.equal(canonicalQueryV4(query), 'acl&max-keys=10&prefix=a%2Fb%2Bc&q=%27&tagging&x-oss-signature=s');
    assert.equal(canonicalQueryV4(query, { omit: (p) => p.name === 'x-oss-signature' }), 'acl&max-keys=10&prefix=a%2Fb%2Bc&q=%27&tagging');
    assert.equal(canonicalQueryV4(query, { emptyValuesKeepEquals: true }), 'acl=&max-keys=10&prefix=a%2Fb%2Bc&q=%27&tagging&x-oss-signature=s');
  });
});
