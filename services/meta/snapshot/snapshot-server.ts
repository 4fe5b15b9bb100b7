// FetchSnapshot: the whole metadata state at one applied index, read from a consistent
// classic-level snapshot and streamed in bounded batches (flow-controlled by the receiver).
// The m/ keys (applied index, install marker) are the receiver's own business and not sent.
import type * as grpc from '@grpc/grpc-js';
import { create } from '@bufbuild/protobuf';
import {
  FetchSnapshotResponseSchema, type FetchSnapshotRequest, type FetchSnapshotResponse,
} from '../../common/gen/zonestore/meta/v1/meta_service_pb.ts';
import { MetaError } from '../meta-error.ts';
import { APPLIED_KEY, PREFIX, prefixEnd, readU64, utf8 } from '../state/meta-keys.ts';
import type { MetaStateStore } from '../state/meta-state-store.ts';

/** Bytes of keys + values per streamed message. */
export const SNAPSHOT_BATCH_BYTES = 1024 * 1024;

export interface SnapshotServerDeps {
  store: MetaStateStore;
  fail(err: unknown): Partial<grpc.StatusObject>;
}

type Call = grpc.ServerWritableStream<FetchSnapshotRequest, FetchSnapshotResponse>;

export function fetchSnapshotHandler(deps: SnapshotServerDeps): grpc.handleServerStreamingCall<FetchSnapshotRequest, FetchSnapshotResponse> {
  return (call: Call) => {
    const { store } = deps;
    const stream = async () => {
      if (store.needsSnapshot) throw new MetaError('SnapshotTooOld', 'this replica is installing a snapshot itself');
      const view = store.view();
      try {
        const raw = await store.getRaw(APPLIED_KEY, view);
        const applied = raw ? readU64(raw) : 0;
        if (applied < Number(call.request.minIndex)) {
          throw new MetaError('SnapshotTooOld', `applied ${applied} < requested ${call.request.minIndex}`);
        }
        const appliedIndex = BigInt(applied);
        const meta = utf8(PREFIX.meta);
        let batch: Array<{ key: Uint8Array; value: Uint8Array }> = [];
        let bytes = 0;
        const send = async (done: boolean) => {
          const ok = call.write(create(FetchSnapshotResponseSchema, { appliedIndex, pairs: batch, done }));
          batch = [];
          bytes = 0;
          if (!ok && !done) await new Promise<void>((resolve) => call.once('drain', resolve));
        };
        // Two ranges: everything before m/ and everything after it.
        for (const range of [{ lt: meta }, { gte: prefixEnd(meta)! }]) {
          for await (const [key, value] of store.iterator({ ...range, snapshot: view })) {
            if (call.cancelled) return;
            batch.push({ key, value });
            bytes += key.length + value.length;
            if (bytes >= SNAPSHOT_BATCH_BYTES) await send(false);
          }
        }
        await send(true);
      } finally {
        await view.close();
      }
    };
    stream().then(
      () => { if (!call.cancelled) call.end(); },
      (err: unknown) => { if (!call.cancelled) call.emit('error', Object.assign(new Error('snapshot failed'), deps.fail(err))); },
    );
  };
}
