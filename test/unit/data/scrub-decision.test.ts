import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BlockChecksummer, CHECKSUM_BLOCK_BYTES, chunkFileBytes, decodeFooter, encodeFooter } from '../../../services/data/chunk-format.ts';
import type { IndexEntry } from '../../../services/data/chunk-index.ts';
import type { ChunkObservation } from '../../../services/data/chunk-reader.ts';
import { ScrubPacer, judgeChunk } from '../../../services/data/scrub-decision.ts';
import { patternBytes } from './store-fixture.ts';

const LENGTH = 3 * CHECKSUM_BLOCK_BYTES + 100;
const sums = new BlockChecksummer();
sums.update(patternBytes(LENGTH, 1));
const footer = sums.footer();
const entry: IndexEntry = { chunkId: 'ab'.repeat(16), length: LENGTH, crc32c: footer.crc32c, createdUnixMs: 1 };

function healthyObservation(): ChunkObservation {
  return {
    fileExists: true,
    fileBytes: chunkFileBytes(LENGTH),
    footer: decodeFooter(encodeFooter(footer), LENGTH),
    computed: { blockCrcs: [...footer.blockCrcs], crc32c: footer.crc32c },
  };
}

test('a chunk whose file, footer and blocks all agree is healthy', () => {
  assert.deepEqual(judgeChunk(entry, healthyObservation()), { kind: 'healthy' });
});

test('an absent file is missing', () => {
  assert.equal(judgeChunk(entry, { fileExists: false }).kind, 'missing');
});

test('a wrong file size is corrupt', () => {
  const v = judgeChunk(entry, { fileExists: true, fileBytes: chunkFileBytes(LENGTH) - 1 });
  assert.equal(v.kind, 'corrupt');
  assert.match(v.kind === 'corrupt' ? v.detail : '', /bytes, expected/);
});

test('a footer that fails to decode or disagrees with the index is corrupt', () => {
  const bad = { ...healthyObservation(), footer: { ok: false as const, reason: 'bad footer magic 0x00000000' } };
  assert.deepEqual(judgeChunk(entry, bad), { kind: 'corrupt', detail: 'bad footer magic 0x00000000' });
  const other = judgeChunk({ ...entry, crc32c: entry.crc32c ^ 1 }, healthyObservation());
  assert.equal(other.kind, 'corrupt');
});

test('a block whose computed CRC differs is corrupt and named', () => {
  const obs = healthyObservation();
  obs.computed!.blockCrcs[2] = (obs.computed!.blockCrcs[2]! ^ 0xff) >>> 0;
  const v = judgeChunk(entry, obs);
  assert.equal(v.kind, 'corrupt');
  assert.match(v.kind === 'corrupt' ? v.detail : '', /^block 2 /);
});

test('a missing block CRC or a wrong whole-chunk CRC is corrupt', () => {
  const fewer = healthyObservation();
  fewer.computed!.blockCrcs.pop();
  assert.equal(judgeChunk(entry, fewer).kind, 'corrupt');
  const whole = healthyObservation();
  whole.computed!.crc32c ^= 1;
  assert.equal(judgeChunk(entry, whole).kind, 'corrupt');
});

test('a read error or an unfinished read is corrupt', () => {
  const err = { ...healthyObservation(), readError: 'EIO: i/o error' };
  assert.deepEqual(judgeChunk(entry, err), { kind: 'corrupt', detail: 'read failed: EIO: i/o error' });
  const unfinished = { ...healthyObservation(), computed: undefined };
  assert.equal(judgeChunk(entry, unfinished).kind, 'corrupt');
});

test('the pacer spreads reads to the configured rate', () => {
  const pacer = new ScrubPacer(1000, 0);
  assert.equal(pacer.reserve(500, 0), 500);
  assert.equal(pacer.reserve(500, 500), 500);
  assert.equal(pacer.reserve(1000, 1000), 1000);
  // Behind schedule after a pause: no wait, but no credit either (burst 0).
  assert.equal(pacer.reserve(100, 10_000), 100);
});

test('the pacer lets an idle spell carry over at most burstMs of budget', () => {
  const pacer = new ScrubPacer(1000, 2000);
  pacer.reserve(0, 0);
  // 10 s idle: only 2 s of budget (2000 bytes) may go without waiting.
  assert.equal(pacer.reserve(2000, 10_000), 0);
  assert.equal(pacer.reserve(1000, 10_000), 1000);
  assert.throws(() => new ScrubPacer(0, 0));
});
