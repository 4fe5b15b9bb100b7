// Shared fast-check settings: a fixed seed so runs are reproducible (fast-check prints the
// seed and path of any counterexample; set ERASURE_PROPERTY_SEED to replay or vary it).
export const PROPERTY_SEED = Number(process.env.ERASURE_PROPERTY_SEED ?? 0x5eed);

export function propertyParams(numRuns: number): { seed: number; numRuns: number } {
  return { seed: PROPERTY_SEED, numRuns };
}

/** Deterministic pseudo-random bytes (xorshift32), so big buffers need no fast-check shrinking. */
export function pseudoRandomBytes(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = (seed | 0) || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}
