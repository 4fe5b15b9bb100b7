// A MetaStateMachine on a fresh temp dir, fed commands directly (no Raft), for unit tests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { create, toBinary } from '@bufbuild/protobuf';
import pino from 'pino';
import { CommandSchema, type Command } from '../../../services/common/gen/zonestore/meta/v1/command_pb.ts';
import { MetaStateStore } from '../../../services/meta/state/meta-state-store.ts';
import { MetaStateMachine, type CommandOutcome } from '../../../services/meta/state/meta-state-machine.ts';
import { EntryType } from '../../../services/raft/types.ts';
import type { MetaError } from '../../../services/meta/meta-error.ts';

export const silentLog = pino({ level: 'silent' });

export interface MetaHarness {
  dir: string;
  store: MetaStateStore;
  sm: MetaStateMachine;
  index: number;
  /** Applies one command at the next index; returns the outcome. */
  run(op: Command['op'], stamp?: { timeMs?: number; minPartSize?: number }): Promise<CommandOutcome>;
  /** Applies and returns the value, failing the test on a refusal. */
  ok<T>(op: Command['op']): Promise<T>;
  /** Applies and returns the refusal, failing the test on success. */
  refused(op: Command['op']): Promise<MetaError>;
  reopen(): Promise<void>;
  close(): Promise<void>;
}

let nonceCounter = 0;

export async function openHarness(dir = mkdtempSync(join(tmpdir(), 'zs-meta-'))): Promise<MetaHarness> {
  const installer = { install: async () => { throw new Error('no peers in unit tests'); } };
  const h: MetaHarness = {
    dir,
    store: await MetaStateStore.open(dir),
    sm: undefined as unknown as MetaStateMachine,
    index: 0,
    async run(op, stamp = {}) {
      h.index++;
      const cmd = create(CommandSchema, {
        timeMs: BigInt(stamp.timeMs ?? 1_700_000_000_000 + h.index),
        nonce: (++nonceCounter).toString(16).padStart(16, '0'),
        minPartSize: BigInt(stamp.minPartSize ?? 5 * 1024 * 1024),
        op,
      });
      return h.sm.apply({ index: h.index, term: 1, type: EntryType.Normal, data: toBinary(CommandSchema, cmd) });
    },
    async ok<T>(op: Command['op']) {
      const o = await h.run(op);
      if (!o.ok) throw new Error(`expected success of ${op.case}, got ${o.error.message}`);
      return o.value as T;
    },
    async refused(op) {
      const o = await h.run(op);
      if (o.ok) throw new Error(`expected ${op.case} to be refused`);
      return o.error;
    },
    async reopen() {
      await h.store.close();
      h.store = await MetaStateStore.open(dir);
      h.sm = new MetaStateMachine(h.store, installer, silentLog);
      h.index = h.store.appliedIndex;
    },
    async close() {
      await h.store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  h.sm = new MetaStateMachine(h.store, installer, silentLog);
  return h;
}
