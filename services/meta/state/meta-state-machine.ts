// The metadata service's replicated state machine, driven by a RaftHost. Each committed
// command is applied against classic-level and its effects, its change-feed entry and the
// applied index are written in ONE batch, so a restart resumes exactly after the last batch
// and the host re-applies the rest of the log. Nothing in apply reads a clock, randomness or
// local configuration: the leader stamped all of that into the command.
//
// Snapshots are references, not copies: the Raft log stores {index}, and a replica that must
// install one streams the whole state from a peer that has applied at least that far (see
// snapshot/). Taking one is therefore cheap: sync the store, then let Raft drop log entries.
import { create, fromBinary } from '@bufbuild/protobuf';
import type { Logger } from 'pino';
import type { Entry } from '../../raft/types.ts';
import type { StateMachine } from '../../raft/host/state-machine.ts';
import { CommandSchema, type Command } from '../../common/gen/zonestore/meta/v1/command_pb.ts';
import { FEED_RETAINED_INDEXES } from '../limits.ts';
import { MetaError, isMetaError } from '../meta-error.ts';
import { ApplyContext } from './apply-context.ts';
import { dispatchCommand, queueRefusedChunks } from './command-dispatch.ts';
import { key } from './meta-keys.ts';
import { recordBucketStats } from '../stats/bucket-stat-tracker.ts';
import { ensureBucketStats } from '../stats/bucket-stat-rebuild.ts';
import type { MetaStateStore } from './meta-state-store.ts';

export type CommandOutcome =
  | { ok: true; value: unknown }
  | { ok: false; error: MetaError };

/** Installs the state of some replica that has applied at least `minIndex` (streamed over gRPC). */
export interface SnapshotInstaller {
  install(minIndex: number): Promise<void>;
}

export interface SnapshotReference {
  format: typeof SNAPSHOT_REF_FORMAT;
  index: number;
}

const SNAPSHOT_REF_FORMAT = 'zonestore-meta-snapshot-ref/1';

export function encodeSnapshotReference(index: number): Uint8Array {
  return new TextEncoder().encode(JSON.stringify({ format: SNAPSHOT_REF_FORMAT, index } satisfies SnapshotReference));
}

export function decodeSnapshotReference(data: Uint8Array): SnapshotReference {
  const ref = JSON.parse(new TextDecoder().decode(data)) as SnapshotReference;
  if (ref.format !== SNAPSHOT_REF_FORMAT || !Number.isSafeInteger(ref.index)) {
    throw new Error(`not a meta snapshot reference: ${new TextDecoder().decode(data).slice(0, 100)}`);
  }
  return ref;
}

/** LevelDB failures are local and must stop the replica; everything else a command does is deterministic. */
function isStorageFailure(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'string' && code.startsWith('LEVEL_');
}

export class MetaStateMachine implements StateMachine<CommandOutcome> {
  private readonly appliedListeners = new Set<(index: number) => void>();

  constructor(
    readonly store: MetaStateStore,
    private readonly installer: SnapshotInstaller,
    private readonly log: Logger,
  ) {}

  durableAppliedIndex(): number {
    return this.store.appliedIndex;
  }

  get appliedIndex(): number {
    return this.store.appliedIndex;
  }

  /** Called after every applied batch (change feed readers, GC worker wake-ups). */
  onApplied(listener: (index: number) => void): () => void {
    this.appliedListeners.add(listener);
    return () => this.appliedListeners.delete(listener);
  }

  async apply(entry: Entry): Promise<CommandOutcome> {
    if (entry.index <= this.store.appliedIndex) {
      // Applied before a restart (or part of an installed snapshot): its effects are in the store.
      return { ok: false, error: new MetaError('OutcomeUnknown', `entry ${entry.index} was applied before`) };
    }
    let cmd: Command;
    try {
      cmd = fromBinary(CommandSchema, entry.data);
    } catch (err) {
      await this.commit(new ApplyContext(this.store, this.stampOf(entry.index, create(CommandSchema))));
      return { ok: false, error: new MetaError('InternalError', `undecodable command at ${entry.index}: ${(err as Error).message}`) };
    }
    const stamp = this.stampOf(entry.index, cmd);
    let ctx = new ApplyContext(this.store, stamp);
    let outcome: CommandOutcome;
    try {
      outcome = { ok: true, value: await dispatchCommand(ctx, cmd) };
      await recordBucketStats(ctx);
    } catch (err) {
      if (isStorageFailure(err)) throw err;
      const error = isMetaError(err) ? err : new MetaError('InternalError', (err as Error).message);
      if (!isMetaError(err)) this.log.error({ err, index: entry.index, op: cmd.op.case }, 'meta command failed unexpectedly');
      ctx = new ApplyContext(this.store, stamp);
      await queueRefusedChunks(ctx, cmd);
      outcome = { ok: false, error };
    }
    await this.commit(ctx);
    return outcome;
  }

  /** Syncs the store (the log may drop entries behind the returned index) and returns a reference. */
  async snapshot(): Promise<Uint8Array> {
    await this.store.sync();
    return encodeSnapshotReference(this.store.appliedIndex);
  }

  async restore(data: Uint8Array): Promise<void> {
    const ref = decodeSnapshotReference(data);
    if (!this.store.needsSnapshot && this.store.appliedIndex >= ref.index) return;
    this.log.info({ snapshotIndex: ref.index, applied: this.store.appliedIndex }, 'installing a snapshot from a peer');
    await this.installer.install(ref.index);
    // A peer running code from before bucket stats sends none: count them here.
    await ensureBucketStats(this.store, this.log);
    this.log.info({ applied: this.store.appliedIndex }, 'snapshot installed');
    this.notify(this.store.appliedIndex);
  }

  private stampOf(index: number, cmd: Command) {
    return { index, timeMs: cmd.timeMs, nonce: cmd.nonce, minPartSize: cmd.minPartSize };
  }

  private async commit(ctx: ApplyContext): Promise<void> {
    const index = ctx.stamp.index;
    const ops = ctx.ops();
    // Trim the feed to a fixed window without range scans: drop the indexes that left the
    // window since the previous apply (usually one; a few after entries apply skips, such as
    // a new leader's empty entry).
    const firstGone = Math.max(1, this.store.appliedIndex - FEED_RETAINED_INDEXES + 1);
    for (let i = firstGone; i <= index - FEED_RETAINED_INDEXES; i++) ops.push({ type: 'del', key: key.feed(i) });
    await this.store.commit(ops, index);
    this.notify(index);
  }

  private notify(index: number): void {
    for (const l of this.appliedListeners) {
      try {
        l(index);
      } catch (err) {
        this.log.error({ err }, 'applied listener failed');
      }
    }
  }
}
