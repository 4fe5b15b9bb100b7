import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ChunkError } from '../../../services/data/chunk-error.ts';
import {
  FAN_OUT_CHARS, FAN_OUT_LEVELS, MAX_CHUNK_ID_CHARS, MIN_CHUNK_ID_CHARS, fanOutDirs, isValidChunkId, validateChunkId,
} from '../../../services/data/chunk-id.ts';

test('lowercase hex ids within bounds are accepted', () => {
  for (const id of ['0123456789abcdef', 'f'.repeat(MAX_CHUNK_ID_CHARS), 'a'.repeat(MIN_CHUNK_ID_CHARS)]) {
    assert.equal(validateChunkId(id), id);
  }
});

test('path tricks and malformed ids are rejected with InvalidChunkId', () => {
  const bad = [
    '', 'abc', '../../../etc/passwd', '..', '0123456789abcdef/..', '0123456789abcdef/0123',
    '/0123456789abcdef', '0123456789ABCDEF', '0123456789abcdeg', '0123456789abcdef\0', ' 0123456789abcdef',
    '0123456789abcdef\n', 'ａ123456789abcdef', '0x0123456789abcdef', '0123456789abcdef.tmp',
    'f'.repeat(MAX_CHUNK_ID_CHARS + 1), 'a'.repeat(MIN_CHUNK_ID_CHARS - 1),
  ];
  for (const id of bad) {
    assert.equal(isValidChunkId(id), false, JSON.stringify(id));
    assert.throws(() => validateChunkId(id), (err: unknown) => err instanceof ChunkError && err.code === 'InvalidChunkId');
  }
});

test('property: any string with a non-hex character is rejected', () => {
  fc.assert(fc.property(fc.string({ minLength: MIN_CHUNK_ID_CHARS, maxLength: MAX_CHUNK_ID_CHARS }), (s) => {
    fc.pre(!/^[0-9a-f]*$/.test(s));
    return !isValidChunkId(s);
  }), { seed: 42 });
});

test('property: valid ids fan out into hex directories that prefix the id', () => {
  const hexChar = fc.constantFrom(...'0123456789abcdef');
  fc.assert(fc.property(fc.string({ unit: hexChar, minLength: MIN_CHUNK_ID_CHARS, maxLength: MAX_CHUNK_ID_CHARS }), (id) => {
    assert.ok(isValidChunkId(id));
    const dirs = fanOutDirs(id);
    assert.equal(dirs.length, FAN_OUT_LEVELS);
    assert.equal(dirs.join(''), id.slice(0, FAN_OUT_LEVELS * FAN_OUT_CHARS));
  }), { seed: 7 });
});
