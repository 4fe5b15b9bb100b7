// One instance of the WebAssembly SIMD kernel (wasm/gf-simd-kernel.as) with its own linear
// memory, and the header the kernel reads from the start of that memory: the nibble tables of
// the coefficient matrix, then the addresses of the input shards and of the output rows.
import { NIBBLE_TABLE_BYTES } from './gf256.ts';
import { GF_SIMD_KERNEL_WASM_BASE64 } from './wasm/gf-simd-kernel.generated.ts';

/** The kernel consumes 32 bytes (two vectors) per step and may touch up to 31 bytes past the end. */
export const SIMD_STEP_BYTES = 32;
/** Output rows one kernel call computes at most (see the register note in gf-simd-kernel.as). */
export const SIMD_MAX_ROW_GROUP = 3;
const WASM_PAGE_BYTES = 65536;
/** wasm32 addresses 4 GiB at most. */
export const SIMD_MAX_MEMORY_BYTES = 65536 * WASM_PAGE_BYTES;
const ADDRESS_BYTES = 4;

type RowGroupFn = (tables: number, inputs: number, k: number, outputs: number, start: number, end: number) => void;

interface KernelExports {
  memory: WebAssembly.Memory;
  mulRows1: RowGroupFn;
  mulRows2: RowGroupFn;
  mulRows3: RowGroupFn;
}

const wasmBytes = Buffer.from(GF_SIMD_KERNEL_WASM_BASE64, 'base64');
let compiled: WebAssembly.Module | undefined;

/** Whether this runtime can run the SIMD kernel (WebAssembly with the SIMD proposal). */
export function simdKernelSupported(): boolean {
  return typeof WebAssembly === 'object' && WebAssembly.validate(wasmBytes);
}

export function alignUp(n: number, to: number): number {
  return Math.ceil(n / to) * to;
}

/** Bytes at the start of memory for a `rows` × `cols` product's tables and address arrays. */
export function headerBytes(rows: number, cols: number): number {
  return alignUp(rows * cols * NIBBLE_TABLE_BYTES + (rows + cols) * ADDRESS_BYTES, SIMD_STEP_BYTES);
}

export class SimdInstance {
  private readonly exports: KernelExports;
  private readonly groups: readonly RowGroupFn[];
  private view: Uint8Array;

  constructor(minBytes = 0) {
    compiled ??= new WebAssembly.Module(wasmBytes);
    this.exports = new WebAssembly.Instance(compiled, {}).exports as unknown as KernelExports;
    this.groups = [this.exports.mulRows1, this.exports.mulRows2, this.exports.mulRows3];
    this.view = new Uint8Array(this.exports.memory.buffer);
    this.reserve(minBytes);
  }

  get buffer(): ArrayBuffer {
    return this.exports.memory.buffer;
  }

  /**
   * Grows memory to at least `bytes` and returns a view of all of it. Growing detaches the
   * previous ArrayBuffer and every view on it, so callers must not keep views across calls.
   */
  reserve(bytes: number): Uint8Array {
    const memory = this.exports.memory;
    if (bytes > SIMD_MAX_MEMORY_BYTES) throw new RangeError(`${bytes} bytes exceed wasm32 memory`);
    if (memory.buffer.byteLength < bytes) {
      memory.grow(Math.ceil((bytes - memory.buffer.byteLength) / WASM_PAGE_BYTES));
    }
    if (this.view.buffer !== memory.buffer) this.view = new Uint8Array(memory.buffer);
    return this.view;
  }

  /** Writes tables and shard addresses into the header at the start of memory. */
  writeHeader(tables: Uint8Array, inputAddresses: readonly number[], outputAddresses: readonly number[]): void {
    const mem = this.view;
    mem.set(tables, 0);
    const addresses = new DataView(mem.buffer, tables.length, (inputAddresses.length + outputAddresses.length) * ADDRESS_BYTES);
    [...inputAddresses, ...outputAddresses].forEach((a, i) => addresses.setUint32(i * ADDRESS_BYTES, a, true));
  }

  /** Runs all output rows over bytes [start, end) of the shards named in the header. */
  run(rows: number, cols: number, start: number, end: number): void {
    const inputsAt = rows * cols * NIBBLE_TABLE_BYTES;
    const outputsAt = inputsAt + cols * ADDRESS_BYTES;
    for (let r = 0, left = rows; left > 0;) {
      // Even groups (4 rows → 2 + 2, 5 → 3 + 2) rather than 3 + 1: every pass pays for
      // loading and splitting the inputs, so a pass should never carry a single row alone.
      const group = Math.ceil(left / Math.ceil(left / SIMD_MAX_ROW_GROUP));
      this.groups[group - 1]!(r * cols * NIBBLE_TABLE_BYTES, inputsAt, cols, outputsAt + r * ADDRESS_BYTES, start, end);
      r += group;
      left -= group;
    }
  }
}
