// Object sizes: one fixed size ("4KiB"), a range drawn log-uniformly ("1KiB-1MiB", so small and
// large sizes are equally likely per decade, as in real file populations), or weighted fixed
// sizes ("4KiB:80,1MiB:20"). Pure: parsing and drawing, with the caller's random source.
import type { Random } from './seeded-random.ts';

export type SizeSpec =
  | { kind: 'fixed'; bytes: number }
  | { kind: 'range'; min: number; max: number }
  | { kind: 'weighted'; choices: Array<{ bytes: number; weight: number }> };

/** The largest object the tool will generate a body for (it holds one buffer of this size). */
export const MAX_OBJECT_BYTES = 2 ** 30;

const UNITS: Record<string, number> = {
  '': 1, b: 1, k: 2 ** 10, kb: 1e3, kib: 2 ** 10, m: 2 ** 20, mb: 1e6, mib: 2 ** 20, g: 2 ** 30, gb: 1e9, gib: 2 ** 30,
};

/** "4KiB", "1.5MiB", "64m", "1000" (bytes) → bytes. KiB/MiB/GiB and k/m/g are binary, kB/MB/GB decimal. */
export function parseByteSize(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const unit = m ? UNITS[m[2]!.toLowerCase()] : undefined;
  if (!m || unit === undefined) throw new Error(`not a size: "${text}" (e.g. 4KiB, 1MiB, 64MiB, 1GiB or a byte count)`);
  const bytes = Math.round(Number(m[1]) * unit);
  if (bytes > MAX_OBJECT_BYTES) throw new Error(`${text} is above the ${formatBytes(MAX_OBJECT_BYTES)} limit`);
  return bytes;
}

export function parseSizeSpec(text: string): SizeSpec {
  if (text.includes(':')) {
    const choices = text.split(',').map((part) => {
      const [size, weight] = part.split(':');
      const w = Number(weight);
      if (!size || !(w > 0)) throw new Error(`not a weighted size: "${part}" (e.g. 4KiB:80,1MiB:20)`);
      return { bytes: parseByteSize(size), weight: w };
    });
    return { kind: 'weighted', choices };
  }
  const range = /^(.+?)-(.+)$/.exec(text);
  if (range) {
    const min = parseByteSize(range[1]!);
    const max = parseByteSize(range[2]!);
    if (min > max) throw new Error(`size range ${text}: the first size must not be above the second`);
    return { kind: 'range', min, max };
  }
  return { kind: 'fixed', bytes: parseByteSize(text) };
}

export function maxSize(spec: SizeSpec): number {
  if (spec.kind === 'fixed') return spec.bytes;
  if (spec.kind === 'range') return spec.max;
  return Math.max(...spec.choices.map((c) => c.bytes));
}

/** The expected size of a draw: sizes the tool's memory and prefill budgets. */
export function meanSize(spec: SizeSpec): number {
  if (spec.kind === 'fixed') return spec.bytes;
  if (spec.kind === 'range') {
    const lo = Math.max(1, spec.min);
    const hi = Math.max(1, spec.max);
    return hi === lo ? lo : (hi - lo) / Math.log(hi / lo);
  }
  const total = spec.choices.reduce((s, c) => s + c.weight, 0);
  return spec.choices.reduce((s, c) => s + (c.bytes * c.weight) / total, 0);
}

export function drawSize(spec: SizeSpec, random: Random): number {
  if (spec.kind === 'fixed') return spec.bytes;
  if (spec.kind === 'range') {
    // log-uniform over [max(1,min), max]; 0 stays reachable only when min is 0 and max is 0.
    const lo = Math.max(1, spec.min);
    if (spec.max <= lo) return spec.max;
    return Math.min(spec.max, Math.max(spec.min, Math.round(Math.exp(Math.log(lo) + random() * Math.log(spec.max / lo)))));
  }
  const total = spec.choices.reduce((s, c) => s + c.weight, 0);
  let r = random() * total;
  for (const c of spec.choices) {
    r -= c.weight;
    if (r < 0) return c.bytes;
  }
  return spec.choices.at(-1)!.bytes;
}

export function formatBytes(bytes: number): string {
  for (const [unit, size] of [['GiB', 2 ** 30], ['MiB', 2 ** 20], ['KiB', 2 ** 10]] as const) {
    if (bytes >= size && bytes % (size / 1024) === 0) return `${+(bytes / size).toFixed(2)}${unit}`;
  }
  return `${bytes}B`;
}

export function describeSizeSpec(spec: SizeSpec): string {
  if (spec.kind === 'fixed') return formatBytes(spec.bytes);
  if (spec.kind === 'range') return `${formatBytes(spec.min)}-${formatBytes(spec.max)} (log-uniform)`;
  return spec.choices.map((c) => `${formatBytes(c.bytes)}:${c.weight}`).join(',');
}
