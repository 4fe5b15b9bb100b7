import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  cauchyParityMatrix, identityMatrix, invertMatrix, multiplyMatrices, selectRows, zeroMatrix,
} from '../../../services/erasure/gf-matrix.ts';
import { ErasureError } from '../../../services/erasure/errors.ts';
import { propertyParams } from './property-config.ts';

function* combinations(n: number, r: number, start = 0, prefix: number[] = []): Generator<number[]> {
  if (prefix.length === r) { yield prefix; return; }
  for (let i = start; i < n; i++) yield* combinations(n, r, i + 1, [...prefix, i]);
}

function generator(k: number, m: number) {
  const g = zeroMatrix(k + m, k);
  g.data.set(identityMatrix(k).data);
  g.data.set(cauchyParityMatrix(k, m).data, k * k);
  return g;
}

test('every k-row choice of [I; Cauchy] is invertible (the code is MDS), exhaustively for small k, m', () => {
  for (const [k, m] of [[2, 2], [4, 2], [6, 3], [5, 5], [8, 4]] as const) {
    const g = generator(k, m);
    for (const rows of combinations(k + m, k)) {
      const sub = selectRows(g, rows);
      assert.deepEqual(multiplyMatrices(sub, invertMatrix(sub)).data, identityMatrix(k).data, `RS(${k},${m}) rows ${rows}`);
    }
  }
});

test('random k-row choices of large codes are invertible', () => {
  const arb = fc.integer({ min: 1, max: 60 }).chain((k) => fc.tuple(fc.constant(k), fc.integer({ min: 1, max: 255 - k })))
    .chain(([k, m]) => fc.tuple(fc.constant(k), fc.constant(m), fc.shuffledSubarray([...Array(k + m).keys()], { minLength: k, maxLength: k })));
  fc.assert(fc.property(arb, ([k, m, rows]) => {
    const sub = selectRows(generator(k, m), rows);
    assert.deepEqual(multiplyMatrices(sub, invertMatrix(sub)).data, identityMatrix(k).data);
  }), propertyParams(60));
});

test('a singular matrix is reported with a code, not inverted', () => {
  const singular = { rows: 2, cols: 2, data: Uint8Array.from([1, 2, 1, 2]) };
  assert.throws(() => invertMatrix(singular), (e: unknown) => e instanceof ErasureError && e.code === 'InvalidCodingParameters');
});
