// AssemblyScript source of the WebAssembly SIMD kernel (compiled by build-simd-kernel.ts into
// gf-simd-kernel.generated.ts; the file extension keeps it out of the TypeScript project).
//
// out[r][p] = ⊕_c coef[r][c] · in[c][p] over GF(2^8), for p in [start, end).
// Memory layout is decided by the host (simd-kernel.ts):
//   tables:  for output row r and input c, 32 bytes at tables + (r*k + c)*32: the products of
//            the coefficient with the 16 low nibbles, then with the 16 high nibbles.
//   inputs:  k u32 addresses of the input shards;  outputs: one u32 address per output row.
// The loop runs in 32-byte steps, so it reads and writes up to 31 bytes past `end`: the host
// keeps that slack after every shard. Loads and stores need no alignment.
//
// Each function computes a group of up to three output rows in one pass, so an input vector is
// loaded and split into nibbles once per group and the accumulators stay in registers (with
// four rows × two vectors V8 runs out of the 16 xmm registers and spills). Two vectors
// (32 bytes) per step halve the table loads and give the CPU independent work.

const LOW_NIBBLES: v128 = i8x16.splat(0x0f);

@inline function mulVector(tableLow: v128, tableHigh: v128, low: v128, high: v128): v128 {
  return v128.xor(i8x16.swizzle(tableLow, low), i8x16.swizzle(tableHigh, high));
}

// `group` is a constant at every call site, so after inlining the optimizer drops the unused
// rows: one body, three specialised loops.
@inline function mulRowGroup(group: i32, tables: usize, inputs: usize, k: i32, outputs: usize, start: i32, end: i32): void {
  const rowTables = <usize>k << 5;
  const zero = i8x16.splat(0);
  const out0 = <usize>load<u32>(outputs);
  const out1 = group > 1 ? <usize>load<u32>(outputs, 4) : 0;
  const out2 = group > 2 ? <usize>load<u32>(outputs, 8) : 0;
  for (let p = <usize>start; p < <usize>end; p += 32) {
    let a0 = zero, a1 = zero, a2 = zero;
    let b0 = zero, b1 = zero, b2 = zero;
    let input = inputs;
    let t = tables;
    for (let c = 0; c < k; c++) {
      const src = <usize>load<u32>(input) + p;
      const v = v128.load(src);
      const w = v128.load(src, 16);
      const vLow = v128.and(v, LOW_NIBBLES);
      const vHigh = v128.and(i16x8.shr_u(v, 4), LOW_NIBBLES);
      const wLow = v128.and(w, LOW_NIBBLES);
      const wHigh = v128.and(i16x8.shr_u(w, 4), LOW_NIBBLES);
      let tLow = v128.load(t), tHigh = v128.load(t, 16);
      a0 = v128.xor(a0, mulVector(tLow, tHigh, vLow, vHigh));
      b0 = v128.xor(b0, mulVector(tLow, tHigh, wLow, wHigh));
      if (group > 1) {
        tLow = v128.load(t + rowTables); tHigh = v128.load(t + rowTables, 16);
        a1 = v128.xor(a1, mulVector(tLow, tHigh, vLow, vHigh));
        b1 = v128.xor(b1, mulVector(tLow, tHigh, wLow, wHigh));
      }
      if (group > 2) {
        tLow = v128.load(t + 2 * rowTables); tHigh = v128.load(t + 2 * rowTables, 16);
        a2 = v128.xor(a2, mulVector(tLow, tHigh, vLow, vHigh));
        b2 = v128.xor(b2, mulVector(tLow, tHigh, wLow, wHigh));
      }
      input += 4;
      t += 32;
    }
    v128.store(out0 + p, a0); v128.store(out0 + p, b0, 16);
    if (group > 1) { v128.store(out1 + p, a1); v128.store(out1 + p, b1, 16); }
    if (group > 2) { v128.store(out2 + p, a2); v128.store(out2 + p, b2, 16); }
  }
}

export function mulRows1(tables: usize, inputs: usize, k: i32, outputs: usize, start: i32, end: i32): void {
  mulRowGroup(1, tables, inputs, k, outputs, start, end);
}
export function mulRows2(tables: usize, inputs: usize, k: i32, outputs: usize, start: i32, end: i32): void {
  mulRowGroup(2, tables, inputs, k, outputs, start, end);
}
export function mulRows3(tables: usize, inputs: usize, k: i32, outputs: usize, start: i32, end: i32): void {
  mulRowGroup(3, tables, inputs, k, outputs, start, end);
}
