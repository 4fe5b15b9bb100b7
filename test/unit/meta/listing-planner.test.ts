// The listing planner + runner against the model answer, over random key sets (with repeated
// keys standing for versions), prefixes, delimiters, markers and page sizes; and paging with
// the continuation marker visits exactly the model's full answer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { runListing, type ListingItem } from '../../../services/meta/listing/listing-runner.ts';
import { SortedArraySource } from './sorted-array-source.ts';
import { modelListing, type ModelEntry } from './listing-model.ts';

const enc = new TextEncoder();
const dec = new TextDecoder();
// A small alphabet makes shared prefixes and delimiter hits common; 'é' and '😀' check
// UTF-8 byte order (not UTF-16 order) and multi-byte delimiters.
const char = fc.constantFrom('a', 'b', '/', '.', 'é', '😀', 'z', '-');
const keyArb = fc.array(char, { minLength: 1, maxLength: 6 }).map((cs) => cs.join(''));
const textArb = fc.array(char, { minLength: 0, maxLength: 3 }).map((cs) => cs.join(''));

function itemsOf(keys: string[]): ListingItem<number>[] {
  const sorted = [...keys].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  const out: ListingItem<number>[] = [];
  let prev = '';
  let n = 0;
  for (const k of sorted) {
    n = k === prev ? n + 1 : 0;
    prev = k;
    out.push({ objectKey: enc.encode(k), item: n });
  }
  return out;
}

async function list(keys: string[], prefix: string, delimiter: string, startAfter: string, maxEntries: number) {
  const r = await runListing(
    { prefix: enc.encode(prefix), delimiter: enc.encode(delimiter), startAfter: startAfter ? enc.encode(startAfter) : undefined, maxEntries },
    new SortedArraySource(itemsOf(keys)),
  );
  const entries: ModelEntry[] = r.entries.map((e) =>
    e.kind === 'item' ? { kind: 'item', key: dec.decode(e.objectKey), n: e.item } : { kind: 'prefix', prefix: dec.decode(e.prefix) });
  return { entries, truncated: r.truncated, last: r.last ? dec.decode(r.last.key) : '' };
}

test('one page equals the model', async () => {
  await fc.assert(fc.asyncProperty(
    fc.array(keyArb, { maxLength: 40 }), textArb, fc.constantFrom('', '/', '.', '😀', 'a/'), textArb, fc.integer({ min: 0, max: 12 }),
    async (keys, prefix, delimiter, startAfter, max) => {
      const got = await list(keys, prefix, delimiter, startAfter, max);
      const want = modelListing(keys, { prefix, delimiter, startAfter, maxEntries: max });
      assert.deepEqual({ entries: got.entries, truncated: got.truncated }, want);
    },
  ), { numRuns: 2000 });
});

test('paging with the last entry as marker visits the full answer exactly once', async () => {
  await fc.assert(fc.asyncProperty(
    fc.uniqueArray(keyArb, { maxLength: 40 }), textArb, fc.constantFrom('', '/', '😀'), fc.integer({ min: 1, max: 7 }),
    async (keys, prefix, delimiter, page) => {
      const want = modelListing(keys, { prefix, delimiter, startAfter: '', maxEntries: Number.MAX_SAFE_INTEGER });
      const got: ModelEntry[] = [];
      let marker = '';
      for (let i = 0; i <= keys.length + 1; i++) {
        const r = await list(keys, prefix, delimiter, marker, page);
        assert.ok(r.entries.length <= page);
        got.push(...r.entries);
        if (!r.truncated) break;
        assert.equal(r.entries.length, page, 'a truncated page is full');
        marker = r.last;
      }
      assert.deepEqual(got, want.entries);
    },
  ), { numRuns: 1000 });
});

test('keys under an emitted common prefix are jumped over, not walked', async () => {
  const keys = Array.from({ length: 1000 }, (_, i) => `dir/${String(i).padStart(4, '0')}`).concat(['top']);
  const source = new SortedArraySource(itemsOf(keys));
  const r = await runListing({ prefix: new Uint8Array(), delimiter: enc.encode('/'), maxEntries: 10 }, source);
  assert.deepEqual(r.entries.map((e) => (e.kind === 'prefix' ? dec.decode(e.prefix) : dec.decode(e.objectKey))), ['dir/', 'top']);
  assert.ok(source.seeks <= 3, `seeks ${source.seeks}`);
});
