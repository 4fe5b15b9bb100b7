// The WebAssembly SIMD kernel: split-nibble tables and i8x16.swizzle multiply 16 bytes per
// table lookup (see wasm/gf-simd-kernel.as). Produces exactly the bytes of the table kernel
// (tested against it). WebAssembly code can only touch its own memory, so there are two paths:
// - shards from allocateShards() already live in a kernel instance's memory and are coded in
//   place (zero-copy, the fast path for the data path's stripe buffers);
// - any other Uint8Arrays are streamed through a staging instance in blocks small enough to
//   stay in cache: copy a block of every input in, run, copy the output blocks out.
import { ErasureError } from './errors.ts';
import type { GfKernel } from './gf-kernel.ts';
import type { GfMatrix } from './gf-matrix.ts';
import { NIBBLE_TABLE_BYTES, writeNibbleTables } from './gf256.ts';
import {
  alignUp, headerBytes, SIMD_MAX_MEMORY_BYTES, SIMD_STEP_BYTES, SimdInstance, simdKernelSupported,
} from './simd-instance.ts';

export { simdKernelSupported } from './simd-instance.ts';

/** Staged input and output blocks together should fit in the L2 cache of one core. */
export const SIMD_WORKING_SET_BYTES = 192 * 1024;
/** Upper bound on a block: past this, per-call overhead is already negligible. */
export const SIMD_MAX_BLOCK_BYTES = 16 * 1024;

/** Block size for a product with `shards` inputs plus outputs. */
export function simdBlockBytes(shards: number): number {
  const fit = Math.floor(SIMD_WORKING_SET_BYTES / shards / SIMD_STEP_BYTES) * SIMD_STEP_BYTES;
  return Math.max(SIMD_STEP_BYTES, Math.min(SIMD_MAX_BLOCK_BYTES, fit));
}

/** Shard buffers inside one kernel instance's memory, which never grows after creation. */
interface ShardArena {
  readonly instance: SimdInstance;
  /** The exact views handed out; only these are coded in place. */
  readonly views: ReadonlySet<Uint8Array>;
  readonly maxRows: number;
  readonly cols: number;
}

class SimdKernel implements GfKernel {
  readonly name = 'simd' as const;
  private readonly staging = new SimdInstance();
  private readonly arenas = new WeakMap<ArrayBuffer, ShardArena>();
  /** Nibble tables per coefficient matrix; codecs reuse their matrices, so this mostly hits. */
  private readonly tableCache = new WeakMap<Uint8Array, Uint8Array>();

  private nibbleTables(coefficients: GfMatrix): Uint8Array {
    let tables = this.tableCache.get(coefficients.data);
    if (!tables) {
      const out = new Uint8Array(coefficients.data.length * NIBBLE_TABLE_BYTES);
      coefficients.data.forEach((c, i) => writeNibbleTables(c, out, i * NIBBLE_TABLE_BYTES));
      this.tableCache.set(coefficients.data, (tables = out));
    }
    return tables;
  }

  allocateShards(count: number, length: number, maxRows: number, cols: number): Uint8Array[] {
    const stride = alignUp(length, SIMD_STEP_BYTES) + SIMD_STEP_BYTES;
    const at = headerBytes(maxRows, cols);
    const total = at + count * stride;
    if (total > SIMD_MAX_MEMORY_BYTES) {
      throw new ErasureError('InvalidCodingParameters', `${count} shards of ${length} bytes exceed wasm memory`);
    }
    const instance = new SimdInstance(total);
    const views = Array.from({ length: count }, (_, i) => new Uint8Array(instance.buffer, at + i * stride, length));
    this.arenas.set(instance.buffer, { instance, views: new Set(views), maxRows, cols });
    return views;
  }

  /** The arena holding every one of `arrays` as handed out, if there is one. */
  private arenaOf(arrays: readonly Uint8Array[], rows: number, cols: number): ShardArena | undefined {
    const arena = this.arenas.get(arrays[0]!.buffer as ArrayBuffer);
    if (!arena || rows > arena.maxRows || cols > arena.cols) return undefined;
    return arrays.every((a) => arena.views.has(a)) ? arena : undefined;
  }

  mulRows(coefficients: GfMatrix, inputs: readonly Uint8Array[], outputs: readonly Uint8Array[], length: number): void {
    const { rows, cols } = coefficients;
    if (rows === 0 || length === 0) return;
    const tables = this.nibbleTables(coefficients);
    const arena = this.arenaOf([...inputs, ...outputs], rows, cols);
    if (arena) {
      arena.instance.writeHeader(tables, inputs.map((a) => a.byteOffset), outputs.map((a) => a.byteOffset));
      // Column blocks keep each input block in cache across the row groups.
      for (let start = 0; start < length; start += SIMD_MAX_BLOCK_BYTES) {
        arena.instance.run(rows, cols, start, Math.min(length, start + SIMD_MAX_BLOCK_BYTES));
      }
      return;
    }
    this.mulRowsStaged(tables, rows, cols, inputs, outputs, length);
  }

  private mulRowsStaged(
    tables: Uint8Array, rows: number, cols: number,
    inputs: readonly Uint8Array[], outputs: readonly Uint8Array[], length: number,
  ): void {
    const block = simdBlockBytes(cols + rows);
    const inputsAt = headerBytes(rows, cols);
    const outputsAt = inputsAt + cols * block;
    const mem = this.staging.reserve(outputsAt + rows * block + SIMD_STEP_BYTES);
    this.staging.writeHeader(tables,
      inputs.map((_, c) => inputsAt + c * block), outputs.map((_, r) => outputsAt + r * block));
    for (let start = 0; start < length; start += block) {
      const len = Math.min(block, length - start);
      const end = start + len;
      // Bytes past `len` in the last block hold stale data; their products are never copied out.
      for (let c = 0; c < cols; c++) mem.set(inputs[c]!.subarray(start, end), inputsAt + c * block);
      this.staging.run(rows, cols, 0, len);
      for (let r = 0; r < rows; r++) {
        const at = outputsAt + r * block;
        outputs[r]!.set(mem.subarray(at, at + len), start);
      }
    }
  }
}

let shared: SimdKernel | undefined;

/**
 * The process-wide SIMD kernel (calls are synchronous, so sharing its staging memory is safe),
 * or undefined where WebAssembly SIMD is unavailable.
 */
export function simdKernel(): GfKernel | undefined {
  if (!shared && simdKernelSupported()) shared = new SimdKernel();
  return shared;
}
