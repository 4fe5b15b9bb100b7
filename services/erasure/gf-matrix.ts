// Small dense matrices over GF(2^8), stored row-major in one Uint8Array. Sizes here are at
// most 255 × 255, so cubic-time inversion is cheap next to coding a single 1 MiB shard.
import { ErasureError } from './errors.ts';
import { gfInverse, gfMul } from './gf256.ts';

export interface GfMatrix {
  readonly rows: number;
  readonly cols: number;
  /** rows × cols coefficients, row-major. */
  readonly data: Uint8Array;
}

export function zeroMatrix(rows: number, cols: number): GfMatrix {
  return { rows, cols, data: new Uint8Array(rows * cols) };
}

export function identityMatrix(n: number): GfMatrix {
  const m = zeroMatrix(n, n);
  for (let i = 0; i < n; i++) m.data[i * n + i] = 1;
  return m;
}

/**
 * The m × k Cauchy matrix C[r][c] = 1 / ((k + r) ⊕ c). The x values (k…k+m-1) and y values
 * (0…k-1) are distinct field elements, so every square submatrix of C is invertible and so is
 * every k × k choice of rows from [I; C]: any k of the k + m shards rebuild the stripe.
 */
export function cauchyParityMatrix(k: number, m: number): GfMatrix {
  const out = zeroMatrix(m, k);
  for (let r = 0; r < m; r++) {
    for (let c = 0; c < k; c++) out.data[r * k + c] = gfInverse((k + r) ^ c);
  }
  return out;
}

export function multiplyMatrices(a: GfMatrix, b: GfMatrix): GfMatrix {
  if (a.cols !== b.rows) throw new RangeError(`cannot multiply ${a.rows}×${a.cols} by ${b.rows}×${b.cols}`);
  const out = zeroMatrix(a.rows, b.cols);
  for (let r = 0; r < a.rows; r++) {
    for (let i = 0; i < a.cols; i++) {
      const x = a.data[r * a.cols + i]!;
      if (x === 0) continue;
      for (let c = 0; c < b.cols; c++) {
        out.data[r * b.cols + c]! ^= gfMul(x, b.data[i * b.cols + c]!);
      }
    }
  }
  return out;
}

/** Gauss–Jordan inversion. Throws if singular (impossible for submatrices of [I; Cauchy]). */
export function invertMatrix(src: GfMatrix): GfMatrix {
  const n = src.rows;
  if (src.cols !== n) throw new RangeError(`cannot invert a ${src.rows}×${src.cols} matrix`);
  const a = new Uint8Array(src.data);
  const inv = identityMatrix(n).data;
  const swapRows = (buf: Uint8Array, r1: number, r2: number): void => {
    const tmp = buf.slice(r1 * n, r1 * n + n);
    buf.copyWithin(r1 * n, r2 * n, r2 * n + n);
    buf.set(tmp, r2 * n);
  };
  for (let col = 0; col < n; col++) {
    let pivot = col;
    while (pivot < n && a[pivot * n + col] === 0) pivot++;
    if (pivot === n) {
      throw new ErasureError('InvalidCodingParameters', 'decoding matrix is singular');
    }
    if (pivot !== col) {
      swapRows(a, pivot, col);
      swapRows(inv, pivot, col);
    }
    const scale = gfInverse(a[col * n + col]!);
    for (let c = 0; c < n; c++) {
      a[col * n + c] = gfMul(a[col * n + c]!, scale);
      inv[col * n + c] = gfMul(inv[col * n + c]!, scale);
    }
    for (let r = 0; r < n; r++) {
      const f = a[r * n + col]!;
      if (r === col || f === 0) continue;
      for (let c = 0; c < n; c++) {
        a[r * n + c]! ^= gfMul(f, a[col * n + c]!);
        inv[r * n + c]! ^= gfMul(f, inv[col * n + c]!);
      }
    }
  }
  return { rows: n, cols: n, data: inv };
}

/** A new matrix made of the given rows of `src`, in that order. */
export function selectRows(src: GfMatrix, rows: readonly number[]): GfMatrix {
  const out = zeroMatrix(rows.length, src.cols);
  rows.forEach((r, i) => out.data.set(src.data.subarray(r * src.cols, (r + 1) * src.cols), i * src.cols));
  return out;
}
