// Fails when the committed wasm (gf-simd-kernel.generated.ts) no longer matches what
// AssemblyScript builds from gf-simd-kernel.as: run `npm run build:erasure-wasm`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  compileSimdKernel, GENERATED_MODULE_PATH, renderGeneratedModule,
} from '../../../services/erasure/wasm/build-simd-kernel.ts';
import { simdKernelSupported } from '../../../services/erasure/simd-kernel.ts';

test('committed SIMD kernel wasm matches its AssemblyScript source', { timeout: 120_000 }, async () => {
  const fresh = renderGeneratedModule(await compileSimdKernel());
  assert.equal(readFileSync(GENERATED_MODULE_PATH, 'utf8'), fresh, 'stale: run `npm run build:erasure-wasm`');
});

test('this runtime runs the SIMD kernel (Node 20 has WebAssembly SIMD)', () => {
  assert.ok(simdKernelSupported());
});
