// The one operation both coding directions reduce to: multiply a coefficient matrix by a set of
// equal-length shards. Encoding uses the parity rows of the code; reconstruction uses rows of an
// inverted submatrix. Kernels differ only in how fast they do it, never in the bytes produced.
import type { GfMatrix } from './gf-matrix.ts';

export type GfKernelName = 'simd' | 'table';

export interface GfKernel {
  readonly name: GfKernelName;
  /**
   * outputs[r][p] = ⊕_c coefficients[r][c] · inputs[c][p] for 0 ≤ p < length.
   * inputs.length = coefficients.cols, outputs.length = coefficients.rows; every array holds at
   * least `length` bytes and no output aliases an input.
   */
  mulRows(coefficients: GfMatrix, inputs: readonly Uint8Array[], outputs: readonly Uint8Array[], length: number): void;
  /**
   * `count` buffers of `length` bytes that this kernel codes fastest (for the SIMD kernel: in
   * its own memory, without copying), for products of up to maxRows × cols.
   */
  allocateShards?(count: number, length: number, maxRows: number, cols: number): Uint8Array[];
}
