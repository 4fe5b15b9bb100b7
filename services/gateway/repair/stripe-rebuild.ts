// Rebuilding shards of one stripe from the others: whole shards are read through the data
// path's shard reader (length, CRC32C and every block checked), own zone first, and decoded
// with Reed-Solomon (any k distinct shards rebuild any other), or copied from one good replica.
import type { ReedSolomon, StorageScheme } from '../../erasure/index.ts';
import type { ShardSource } from '../objects/shard-choice.ts';
import type { ShardReader } from '../objects/stripe-fetch.ts';

export class StripeRebuildError extends Error {
  override readonly name = 'StripeRebuildError';
}

export interface StripeRebuildContext {
  readonly reader: ShardReader;
  codec(k: number, m: number): ReedSolomon;
  /** Sources in this zone are read first (in process, no network). */
  readonly localZone: string;
  readonly signal: AbortSignal;
}

/** Candidate sources in reading order: own zone first, then by index (data shards before parity). */
export function sourceOrder(sources: readonly ShardSource[], localZone: string): ShardSource[] {
  return [...sources].sort((a, b) => (a.zone === localZone ? 0 : 1) - (b.zone === localZone ? 0 : 1) || a.index - b.index);
}

/**
 * The bytes of shards `targets` (indices), rebuilt from `sources` (shards believed good; a
 * source that fails to read is skipped). Throws StripeRebuildError when too few can be read.
 */
export async function rebuildShards(
  ctx: StripeRebuildContext, scheme: StorageScheme, shardLength: number, sources: readonly ShardSource[], targets: readonly number[],
): Promise<Map<number, Uint8Array>> {
  const needed = scheme.kind === 'erasure' ? scheme.dataShards : 1;
  const order = sourceOrder(sources.filter((s) => !targets.includes(s.index)), ctx.localZone);
  const have = new Map<number, Uint8Array>();
  let last: unknown;
  let next = 0;
  // Up to `needed - have` reads at a time; each failure starts the next candidate.
  await new Promise<void>((resolve) => {
    const inFlight = new Set<number>();
    const pump = (): void => {
      while (have.size + inFlight.size < needed && next < order.length) {
        const s = order[next++]!;
        if (have.has(s.index) || inFlight.has(s.index)) continue;
        inFlight.add(s.index);
        ctx.reader.read(s, 0, shardLength, shardLength, ctx.signal)
          .then((bytes) => { have.set(s.index, bytes); }, (err: unknown) => { last = err; })
          .finally(() => {
            inFlight.delete(s.index);
            pump();
          });
      }
      if (inFlight.size === 0) resolve();
    };
    pump();
  });
  ctx.signal.throwIfAborted();
  if (have.size < needed) {
    const why = last instanceof Error ? `; last error: ${last.message}` : '';
    throw new StripeRebuildError(`only ${have.size} of the ${needed} shards needed could be read${why}`);
  }
  const out = new Map<number, Uint8Array>();
  if (scheme.kind === 'replica') {
    const copy = have.values().next().value!;
    for (const t of targets) out.set(t, copy);
    return out;
  }
  const slots: (Uint8Array | null)[] = Array.from({ length: scheme.dataShards + scheme.parityShards }, (_, i) => have.get(i) ?? null);
  const rebuilt = ctx.codec(scheme.dataShards, scheme.parityShards).reconstructShards(slots, targets);
  targets.forEach((t, i) => out.set(t, rebuilt[i]!));
  return out;
}
