// The canonical URI and query string: decoded and re-encoded by the SigV4 rule, so every
// spelling of the same bytes canonicalises alike, and nothing is double-encoded or normalised.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { canonicalHeaderValue } from '../../../../services/gateway/auth/sigv4-canonical-request.ts';
import { signingKey } from '../../../../services/gateway/auth/sigv4-signing.ts';
import {
  canonicalQueryString, canonicalUri, parseRawQuery, percentDecodeBytes, sigv4Encode, splitRawUrl,
} from '../../../../services/gateway/auth/sigv4-uri-encoding.ts';
import { docSigningKey } from './auth-fixtures.ts';

describe('canonical URI', () => {
  const cases: Array<[string, string]> = [
    ['/', '/'],
    ['/test.txt', '/test.txt'],
    ['/test$file.text', '/test%24file.text'],
    ['/test%24file.text', '/test%24file.text'],
    ['/a%7eb/%7E', '/a~b/~'],
    ['/a+b=c', '/a%2Bb%3Dc'],
    ['/sp%20ace', '/sp%20ace'],
    ['/%e6%97%a5', '/%E6%97%A5'],
    ['//double//slashes/', '//double//slashes/'],
    ['/./dots/../kept', '/./dots/../kept'],
    ['/100%', '/100%25'],
    ['/bad%zzescape', '/bad%25zzescape'],
    ['/%2F-in-a-segment', '/%2F-in-a-segment'],
    ['/€', '/%E2%82%AC'],
  ];
  for (const [raw, canonical] of cases) test(`${raw} → ${canonical}`, () => assert.equal(canonicalUri(raw), canonical));

  test('property: decoding then encoding any bytes round-trips', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
      const encoded = sigv4Encode(bytes);
      assert.match(encoded, /^[A-Za-z0-9\-._~%]*$/);
      assert.equal(canonicalUri(`/${encoded}`), `/${encoded}`);
      assert.ok(percentDecodeBytes(encoded).equals(Buffer.from(bytes)));
    }));
  });
});

describe('raw URL and query', () => {
  test('splits path and query; an absolute-form target loses its origin', () => {
    assert.deepEqual(splitRawUrl('/b/k?x=1'), { rawPath: '/b/k', rawQuery: 'x=1' });
    assert.deepEqual(splitRawUrl('http://h:9000/b/k?a'), { rawPath: '/b/k', rawQuery: 'a' });
    assert.deepEqual(splitRawUrl(''), { rawPath: '/', rawQuery: '' });
  });

  test('sorts by encoded name then value; valueless params get "="; + is a literal plus', () => {
    const q = parseRawQuery('prefix=J&max-keys=2&uploads&a=2&a=1&A=0&sp=%20x+y&&e=');
    assert.equal(canonicalQueryString(q), 'A=0&a=1&a=2&e=&max-keys=2&prefix=J&sp=%20x%2By&uploads=');
    assert.equal(q.find((p) => p.name === 'sp')?.value, ' x+y');
    assert.equal(q.find((p) => p.name === 'uploads')?.value, undefined);
  });

  test('a parameter can be left out (X-Amz-Signature of a presigned URL)', () => {
    const q = parseRawQuery('X-Amz-Signature=abc&b=1');
    assert.equal(canonicalQueryString(q, (p) => p.name === 'X-Amz-Signature'), 'b=1');
  });
});

describe('canonical header values and signing keys', () => {
  test('trimmed, inner whitespace runs collapsed', () => {
    assert.equal(canonicalHeaderValue('  a   b \t c  '), 'a b c');
  });

  test('the signing key matches an independent derivation and is cached', () => {
    const key = signingKey('wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', '20130524', 'us-east-1');
    assert.ok(key.equals(docSigningKey()));
    assert.equal(signingKey('wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', '20130524', 'us-east-1'), key);
    assert.notEqual(signingKey('wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', '20130524', 'eu-west-1'), key);
  });
});
