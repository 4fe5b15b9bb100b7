// Self-describing bodies: a body names its value, any changed byte is noticed, and a value's
// ETag can be rebuilt from its name alone.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { bodyOf, corruptReadValue, decodeBody, etagOf, sizeOfValue, valueName } from '../../../chaos/workload/object-values.ts';

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
