// Best-of-rounds throughput. The machine is shared (other test suites run alongside), so a
// round's rate can only be pulled down by interference, never up: the best round is the
// closest to what the code can do, and rounds of all contenders are interleaved so slow
// phases hit everyone alike.

/** Each measurement repeats the operation until at least this long has passed. */
export const MIN_MEASUREMENT_MS = 150;
/** Untimed calls first, so V8 has tiered up the JS and wasm before timing. */
export const WARMUP_CALLS = 3;

export type Operation = () => void | Promise<void>;

/** Bytes per second of one measurement of `op`, each call processing `bytes`. */
export async function measureOnce(op: Operation, bytes: number): Promise<number> {
  let calls = 0;
  const start = process.hrtime.bigint();
  let elapsedNs = 0;
  do {
    await op();
    calls++;
    elapsedNs = Number(process.hrtime.bigint() - start);
  } while (elapsedNs < MIN_MEASUREMENT_MS * 1e6);
  return (calls * bytes) / (elapsedNs / 1e9);
}

export async function warmUp(op: Operation): Promise<void> {
  for (let i = 0; i < WARMUP_CALLS; i++) await op();
}
