import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { bodyStripes } from '../../../../services/gateway/objects/body-stripes.ts';
import { isStoreError } from '../../../../services/gateway/errors/store-error.ts';
import { propertyParams, pseudoRandomBytes } from './memory-cluster.ts';

async function* pieces(bytes: Uint8Array, cuts: number[]): AsyncGenerator<Uint8Array> {
  let at = 0;
  for (const c of cuts) {
    const to = Math.min(bytes.length, at + c);
    yield bytes.subarray(at, to);
    at = to;
  }
  if (at < bytes.length) yield bytes.subarray(at);
}

async function collect(it: AsyncIterable<Uint8Array>): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for await (const x of it) out.push(x);
  return out;
}

test('any cutting of the body gives full stripes and a short last one, same bytes', async () => {
  const arb = fc.record({
    size: fc.integer({ min: 0, max: 3_000 }), stripe: fc.integer({ min: 1, max: 700 }),
    cuts: fc.array(fc.integer({ min: 0, max: 900 }), { maxLength: 20 }), seed: fc.integer(),
  });
  await fc.assert(fc.asyncProperty(arb, async ({ size, stripe, cuts, seed }) => {
    const body = pseudoRandomBytes(size, seed);
    const stripes = await collect(bodyStripes(pieces(body, cuts), size, stripe));
    assert.equal(stripes.length, Math.ceil(size / stripe));
    stripes.forEach((s, i) => assert.equal(s.length, i < stripes.length - 1 ? stripe : size - stripe * (stripes.length - 1)));
    assert.deepEqual(Buffer.concat(stripes), Buffer.from(body));
  }), propertyParams(200));
});

test('a body shorter or longer than declared is IncompleteBody', async () => {
  const body = pseudoRandomBytes(100, 1);
  await assert.rejects(collect(bodyStripes(pieces(body, [30]), 101, 40)), (e) => isStoreError(e, 'IncompleteBody'));
  await assert.rejects(collect(bodyStripes(pieces(body, [30]), 99, 40)), (e) => isStoreError(e, 'IncompleteBody'));
  await assert.rejects(collect(bodyStripes(pieces(body, []), 0, 40)), (e) => isStoreError(e, 'IncompleteBody'));
});

test('an error from the body passes through unchanged', async () => {
  const boom = new Error('checksum mismatch');
  async function* failing(): AsyncGenerator<Uint8Array> {
    yield new Uint8Array(50);
    throw boom;
  }
  await assert.rejects(collect(bodyStripes(failing(), 100, 40)), (e) => e === boom);
});

test('an abort ends a stalled body with the abort reason', async () => {
  const ctl = new AbortController();
  const reason = new Error('client gone');
  async function* stalls(): AsyncGenerator<Uint8Array> {
    yield new Uint8Array(10);
    await new Promise(() => {});
  }
  setTimeout(() => ctl.abort(reason), 20);
  await assert.rejects(collect(bodyStripes(stalls(), 100, 40, ctl.signal)), (e) => e === reason);
});
