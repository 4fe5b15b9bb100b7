// A small seeded generator (mulberry32) for everything a run draws at random — object sizes,
// which object a GET reads, whether a mixed step is a GET or a PUT — so a run can be repeated
// exactly with --seed, and two targets compared in one run see the same sequence of choices.
export type Random = () => number;

/** Uniform in [0, 1). */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0 || 0x9e3779b9;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** An integer in [0, n). */
export function pick(random: Random, n: number): number {
  return Math.min(n - 1, Math.floor(random() * n));
}

/** A stable seed for one worker of one target, so workers do not draw the same sequence. */
export function workerSeed(seed: number, target: number, worker: number): number {
  return (Math.imul(seed ^ 0x5bd1e995, 31) + Math.imul(target + 1, 0x27d4eb2d) + Math.imul(worker + 1, 0x165667b1)) >>> 0;
}

/** Bytes for object bodies: pseudo-random so no layer can compress or dedupe them. */
export function seededBytes(size: number, seed: number): Buffer {
  const words = new Uint32Array(Math.ceil(size / 4));
  const random = seededRandom(seed);
  // One draw per 4 KiB page, xorshifted within it: filling 64 MiB stays well under a second.
  let x = 1;
  for (let i = 0; i < words.length; i++) {
    if ((i & 1023) === 0) x = (random() * 4_294_967_296) >>> 0 || 1;
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    words[i] = x >>> 0;
  }
  return Buffer.from(words.buffer, 0, size);
}
