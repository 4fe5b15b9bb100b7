// The WebAssembly SIMD kernel: split-nibble tables and i8x16.swizzle multiply 16 bytes per
// table lookup (see wasm/gf-simd-kernel.as). WebAssembly code can only touch its own memory, so
// shards are streamed through it in blocks small enough to stay in cache: copy a block of every
// input in, run the kernel, copy the output blocks out. Produces exactly the bytes of the
// table kernel (tested against it).
import type { GfKernel } from './gf-kernel.ts';
import type { GfMatrix } from './gf-matrix.ts';
import { NIBBLE_TABLE_BYTES, writeNibbleTables } from './gf256.ts';
import { GF_SIMD_KERNEL_WASM_BASE64 } from './wasm/gf-simd-kernel.generated.ts';

/** Input and output blocks together should fit in the L2 cache of one core. */
export const SIMD_WORKING_SET_BYTES = 192 * 1024;
/** Upper bound on a block: past this, per-call overhead is already negligible. */
export const SIMD_MAX_BLOCK_BYTES = 16 * 1024;
/** The kernel consumes 32 bytes (two vectors) per step; blocks and buffers align to it. */
const SIMD_STEP_BYTES = 32;
/** Output rows one kernel call computes at most (see the register note in gf-simd-kernel.as). */
const SIMD_MAX_ROW_GROUP = 3;
const WASM_PAGE_BYTES = 65536;

interface KernelExports {
  memory: WebAssembly.Memory;
  mulRows1: RowGroupFn;
  mulRows2: RowGroupFn;
  mulRows3: RowGroupFn;
}
type RowGroupFn = (tables: number, inputs: number, k: number, outputs: number, len: number, stride: number) => void;

const wasmBytes = Buffer.from(GF_SIMD_KERNEL_WASM_BASE64, 'base64');

/** Whether this runtime can run the SIMD kernel (WebAssembly with the SIMD proposal). */
export function simdKernelSupported(): boolean {
  return typeof WebAssembly === 'object' && WebAssembly.validate(wasmBytes);
}

function alignUp(n: number, to: number): number {
  return Math.ceil(n / to) * to;
}

/** Block size for a product with `shards` inputs plus outputs. */
export function simdBlockBytes(shards: number): number {
  const fit = Math.floor(SIMD_WORKING_SET_BYTES / shards / SIMD_STEP_BYTES) * SIMD_STEP_BYTES;
  return Math.max(SIMD_STEP_BYTES, Math.min(SIMD_MAX_BLOCK_BYTES, fit));
}

class SimdKernel implements GfKernel {
  readonly name = 'simd' as const;
  private readonly exports: KernelExports;
  private readonly groups: readonly RowGroupFn[];
  private memoryBytes: Uint8Array;
  /** Nibble tables per coefficient matrix; codecs reuse their matrices, so this mostly hits. */
  private readonly tableCache = new WeakMap<Uint8Array, Uint8Array>();

  constructor() {
    const instance = new WebAssembly.Instance(new WebAssembly.Module(wasmBytes), {});
    this.exports = instance.exports as unknown as KernelExports;
    const e = this.exports;
    this.groups = [e.mulRows1, e.mulRows2, e.mulRows3];
    this.memoryBytes = new Uint8Array(e.memory.buffer);
  }

  private nibbleTables(coefficients: GfMatrix): Uint8Array {
    let tables = this.tableCache.get(coefficients.data);
    if (!tables) {
      tables = new Uint8Array(coefficients.data.length * NIBBLE_TABLE_BYTES);
      coefficients.data.forEach((c, i) => writeNibbleTables(c, tables!, i * NIBBLE_TABLE_BYTES));
      this.tableCache.set(coefficients.data, tables);
    }
    return tables;
  }

  /** Grows wasm memory to at least `bytes`; growing detaches the old view, so re-take it. */
  private ensureMemory(bytes: number): Uint8Array {
    const memory = this.exports.memory;
    if (memory.buffer.byteLength < bytes) {
      memory.grow(Math.ceil((bytes - memory.buffer.byteLength) / WASM_PAGE_BYTES));
    }
    if (this.memoryBytes.buffer !== memory.buffer) this.memoryBytes = new Uint8Array(memory.buffer);
    return this.memoryBytes;
  }

  mulRows(coefficients: GfMatrix, inputs: readonly Uint8Array[], outputs: readonly Uint8Array[], length: number): void {
    const { rows, cols } = coefficients;
    if (rows === 0 || length === 0) return;
    const tables = this.nibbleTables(coefficients);
    const block = simdBlockBytes(cols + rows);
    const inputsAt = alignUp(tables.length, SIMD_STEP_BYTES);
    const outputsAt = inputsAt + cols * block;
    const mem = this.ensureMemory(outputsAt + rows * block);
    mem.set(tables, 0);
    for (let start = 0; start < length; start += block) {
      const len = Math.min(block, length - start);
      const end = start + len;
      // Bytes past `len` in the last block hold stale data; their products are never copied out.
      for (let c = 0; c < cols; c++) mem.set(inputs[c]!.subarray(start, end), inputsAt + c * block);
      const steps = alignUp(len, SIMD_STEP_BYTES);
      for (let r = 0, left = rows; left > 0;) {
        // Even groups (4 rows → 2 + 2, 5 → 3 + 2) rather than 3 + 1: every pass pays for
        // loading and splitting the inputs, so a pass should never carry a single row alone.
        const group = Math.ceil(left / Math.ceil(left / SIMD_MAX_ROW_GROUP));
        this.groups[group - 1]!(r * cols * NIBBLE_TABLE_BYTES, inputsAt, cols, outputsAt + r * block, steps, block);
        r += group;
        left -= group;
      }
      for (let r = 0; r < rows; r++) {
        const at = outputsAt + r * block;
        outputs[r]!.set(mem.subarray(at, at + len), start);
      }
    }
  }
}

let shared: SimdKernel | undefined;

/**
 * The process-wide SIMD kernel (one wasm instance; calls are synchronous, so sharing is safe),
 * or undefined where WebAssembly SIMD is unavailable.
 */
export function simdKernel(): GfKernel | undefined {
  if (!shared && simdKernelSupported()) shared = new SimdKernel();
  return shared;
}
