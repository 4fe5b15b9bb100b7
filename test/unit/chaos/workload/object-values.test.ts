// Self-describing bodies: a body names its value, any changed byte is noticed, and a value's
// ETag can be rebuilt from its name alone.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import {
  bodyOf, corruptReadValue, decodeBody, etagOf, etagOfValue, multipartEtagOf, multipartValueName, partSizeOfValue, partsOf, sizeOfValue, valueName,
} from '../../../chaos/workload/object-values.ts';
import { multipartEtag } from '../../../../services/meta/rules/etag.ts';

test('a body decodes to its value, at every size', () => {
  for (const size of [0, 5, 64, 8192, 160 * 1024]) {
    const v = valueName(3, 17, size);
    const body = bodyOf(v, size);
    assert.equal(body.length, Math.max(size, v.length + 1));
    assert.deepEqual(decodeBody(body), { intact: true, value: v });
    assert.equal(sizeOfValue(v), size);
  }
});

test('one flipped byte, a truncation or another value\'s padding is caught', () => {
  const v = valueName(1, 2, 4096);
  const body = bodyOf(v, 4096);
  const flipped = Buffer.from(body);
  flipped[3000]! ^= 0x01;
  const d = decodeBody(flipped);
  assert.equal(d.intact, false);
  assert.equal(!d.intact && d.claimed, v);
  assert.match(corruptReadValue(d as Extract<typeof d, { intact: false }>), /^corrupt:c1\.2\.4096:[0-9a-f]{16}$/);
  assert.equal(decodeBody(body.subarray(0, 4000)).intact, false);
  const other = bodyOf(valueName(1, 3, 4096), 4096);
  const spliced = Buffer.concat([body.subarray(0, 100), other.subarray(100)]);
  assert.equal(decodeBody(spliced).intact, false);
  assert.equal(decodeBody(Buffer.from('no newline')).intact, false);
});

test('the ETag is the quoted MD5 of the body', () => {
  const body = bodyOf(valueName(0, 0, 64), 64);
  assert.equal(etagOf(body), `"${createHash('md5').update(body).digest('hex')}"`);
  assert.throws(() => sizeOfValue('x'), /not a workload value/);
});

test('a multipart value names its part size; its body decodes like any other, and cuts into those parts', () => {
  const partSize = 5 * 1024 * 1024;
  const size = partSize + 1024;
  const v = multipartValueName(2, 9, size, partSize);
  assert.equal(v, `c2.9.${size}.p${partSize}`);
  assert.equal(sizeOfValue(v), size);
  assert.equal(partSizeOfValue(v), partSize);
  assert.equal(partSizeOfValue(valueName(2, 9, size)), undefined);
  const body = bodyOf(v, size);
  assert.deepEqual(decodeBody(body), { intact: true, value: v });
  const parts = partsOf(body, partSize);
  assert.deepEqual(parts.map((p) => p.length), [partSize, 1024]);
  assert.ok(Buffer.concat(parts).equals(body));
  // A body cut at the part boundary (a lost last part) is not the value.
  assert.equal(decodeBody(parts[0]!).intact, false);
  assert.throws(() => multipartValueName(0, 0, partSize, partSize), /more than one part/);
  assert.deepEqual(partsOf(Buffer.alloc(10), 4).map((p) => p.length), [4, 4, 2]);
});

test('a value\'s ETag is rebuilt from its name: the MD5, or the multipart ETag meta computes', () => {
  const plain = valueName(0, 1, 8192);
  assert.equal(etagOfValue(plain), etagOf(bodyOf(plain, 8192)));
  const v = multipartValueName(0, 2, 300, 128);
  const parts = partsOf(bodyOf(v, 300), 128);
  const md5s = parts.map((p) => createHash('md5').update(p).digest('hex'));
  assert.equal(etagOfValue(v), `"${multipartEtag(md5s)}"`);
  assert.equal(multipartEtagOf(parts), etagOfValue(v));
  assert.match(etagOfValue(v), /^"[0-9a-f]{32}-3"$/);
});
