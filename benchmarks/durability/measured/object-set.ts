// The objects a measured durability run writes (issue #9), pure: a seeded mix of sizes that
// exercises every way zonestore stores data — small objects as three replicas (one per zone),
// erasure-coded RS(6,3) objects of one and of several stripes, and multipart uploads — and each
// object's exact bytes, rebuilt from its seed whenever it is written or verified (nothing is
// kept in memory between the two).
import { pick, seededBytes, seededRandom, type Random } from '../../../services/cli/bench/seeded-random.ts';
import { DEFAULT_SMALL_OBJECT_BYTES } from '../../../services/erasure/storage-scheme.ts';

const KiB = 1024;
const MiB = 1024 * KiB;
/** Data bytes of one RS(6,3) stripe (six 1 MiB shards): bigger objects take several. */
export const RS_BLOCK_BYTES = 6 * MiB;
/** S3's smallest part but the last. */
export const MULTIPART_PART_BYTES = 5 * MiB;

export type ObjectKind = 'replicated' | 'erasure' | 'multi-stripe' | 'multipart';

export interface PlannedObject {
  readonly key: string;
  readonly kind: ObjectKind;
  readonly size: number;
  /** Seeds the body (seededBytes). */
  readonly seed: number;
  /** Multipart: every part this size but the last. */
  readonly partBytes?: number;
}

interface KindShare {
  readonly kind: ObjectKind;
  /** Share of the objects, out of 100. */
  readonly percent: number;
  readonly minBytes: number;
  /** Before sizeScale (which shrinks only the part above minBytes). */
  readonly maxBytes: number;
}

/**
 * Mostly small objects (as real stores hold), many erasure-coded within one stripe, a few of
 * two stripes, and a few multipart uploads of two parts. Small stays below the small-object
 * threshold, erasure above it and multi-stripe above one RS(6,3) block, whatever the scale.
 */
export const OBJECT_MIX: readonly KindShare[] = [
  { kind: 'replicated', percent: 55, minBytes: 1 * KiB, maxBytes: DEFAULT_SMALL_OBJECT_BYTES - KiB },
  { kind: 'erasure', percent: 40, minBytes: DEFAULT_SMALL_OBJECT_BYTES + KiB, maxBytes: 2 * MiB },
  { kind: 'multi-stripe', percent: 3, minBytes: RS_BLOCK_BYTES + KiB, maxBytes: RS_BLOCK_BYTES + 2 * MiB },
  { kind: 'multipart', percent: 2, minBytes: MULTIPART_PART_BYTES + KiB, maxBytes: MULTIPART_PART_BYTES + 512 * KiB },
];

export interface ObjectSetOptions {
  readonly count: number;
  readonly seed: number;
  /**
   * 0 < scale ≤ 1 (default 1): shrinks each kind's size range above its minimum, and the share
   * of the kinds bigger than a stripe (CI runs small).
   */
  readonly sizeScale?: number;
  /** Only objects of this kind (to see how repair speed depends on object size). */
  readonly only?: ObjectKind;
}

function sizeIn(random: Random, share: KindShare, scale: number): number {
  const span = Math.max(0, Math.floor((share.maxBytes - share.minBytes) * scale));
  return share.minBytes + pick(random, span + 1);
}

/** Kinds bigger than one stripe: their size floor cannot shrink, so a smaller scale makes them rarer instead. */
const BIG_KINDS: ReadonlySet<ObjectKind> = new Set(['multi-stripe', 'multipart']);

/** Chooses a kind by its share (the big kinds' share times the scale; the rest go to erasure). */
function kindAt(random: Random, scale: number): KindShare {
  let roll = random() * 100;
  for (const share of OBJECT_MIX) {
    roll -= BIG_KINDS.has(share.kind) ? share.percent * scale : share.percent;
    if (roll < 0) return share;
  }
  return OBJECT_MIX.find((s) => s.kind === 'erasure')!;
}

export function planObjects(o: ObjectSetOptions): PlannedObject[] {
  if (!Number.isInteger(o.count) || o.count < 1) throw new Error(`object count must be a positive integer, not ${o.count}`);
  const scale = o.sizeScale ?? 1;
  if (!(scale > 0 && scale <= 1)) throw new Error(`size scale must be in (0, 1], not ${scale}`);
  const random = seededRandom(o.seed);
  const width = String(o.count - 1).length;
  const objects: PlannedObject[] = [];
  for (let i = 0; i < o.count; i++) {
    // The first few objects cover every kind, so even a tiny run stores each way.
    const share = o.only ? OBJECT_MIX.find((k) => k.kind === o.only)! : i < OBJECT_MIX.length ? OBJECT_MIX[i]! : kindAt(random, scale);
    const size = sizeIn(random, share, scale);
    const key = `durability/${share.kind}/${String(i).padStart(width, '0')}`;
    const seed = (Math.imul(o.seed, 0x9e3779b1) + i + 1) >>> 0;
    objects.push(share.kind === 'multipart' ? { key, kind: share.kind, size, seed, partBytes: MULTIPART_PART_BYTES } : { key, kind: share.kind, size, seed });
  }
  return objects;
}

export function objectBody(o: PlannedObject): Buffer {
  return seededBytes(o.size, o.seed);
}

/** The body cut into its upload parts (one part unless multipart). */
export function objectParts(o: PlannedObject): Buffer[] {
  const body = objectBody(o);
  if (!o.partBytes) return [body];
  const parts: Buffer[] = [];
  for (let at = 0; at < body.length; at += o.partBytes) parts.push(body.subarray(at, at + o.partBytes));
  return parts;
}

export function totalBytes(objects: readonly PlannedObject[]): number {
  return objects.reduce((sum, o) => sum + o.size, 0);
}

export function countByKind(objects: readonly PlannedObject[]): Record<ObjectKind, number> {
  const counts: Record<ObjectKind, number> = { 'replicated': 0, 'erasure': 0, 'multi-stripe': 0, 'multipart': 0 };
  for (const o of objects) counts[o.kind]++;
  return counts;
}
