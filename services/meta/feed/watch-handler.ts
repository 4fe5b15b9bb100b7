// Watch: a server stream of committed changes from an index on. It starts with a ReadIndex
// (so it covers every write acknowledged before the call), then reads the stored feed and
// waits for the state machine to apply more. Slow readers are paced by the stream's flow
// control; one that falls behind the retained window gets FeedTruncated and must resync.
import type * as grpc from '@grpc/grpc-js';
import { create } from '@bufbuild/protobuf';
import {
  WatchResponseSchema, type WatchRequest, type WatchResponse,
} from '../../common/gen/zonestore/meta/v1/meta_service_pb.ts';
import { MAX_WATCH_BATCH } from '../limits.ts';
import { MetaError } from '../meta-error.ts';
import type { RequestRouter } from '../rpc/request-router.ts';
import type { MetaStateMachine } from '../state/meta-state-machine.ts';
import type { MetaStateStore } from '../state/meta-state-store.ts';
import { oldestRetainedIndex, readFeed } from './change-feed.ts';

export interface WatchDeps {
  sm: MetaStateMachine;
  store: MetaStateStore;
  router: RequestRouter;
  fail(err: unknown): Partial<grpc.StatusObject>;
}

type Call = grpc.ServerWritableStream<WatchRequest, WatchResponse>;

export function watchHandler(deps: WatchDeps): grpc.handleServerStreamingCall<WatchRequest, WatchResponse> {
  return (call: Call) => {
    let done = false;
    let wake: (() => void) | null = null;
    const unsubscribe = deps.sm.onApplied(() => wake?.());
    const finish = () => {
      done = true;
      unsubscribe();
      wake?.();
    };
    call.on('cancelled', finish);
    call.on('close', finish);

    const run = async () => {
      await deps.router.linearize();
      let cursor = Number(call.request.fromIndex);
      const first = oldestRetainedIndex(deps.sm.appliedIndex);
      if (cursor === 0) cursor = first;
      while (!done) {
        const applied = deps.sm.appliedIndex;
        if (cursor < oldestRetainedIndex(applied)) {
          throw new MetaError('FeedTruncated', `changes before index ${oldestRetainedIndex(applied)} are no longer kept`,
            { oldestIndex: String(oldestRetainedIndex(applied)) });
        }
        if (cursor > applied) {
          await new Promise<void>((resolve) => { wake = resolve; });
          wake = null;
          continue;
        }
        const page = await readFeed(deps.store, cursor, applied, MAX_WATCH_BATCH);
        cursor = page.next;
        if (page.changes.length === 0) continue;
        if (!call.write(create(WatchResponseSchema, { changes: page.changes }))) {
          await new Promise<void>((resolve) => { call.once('drain', resolve); wake = resolve; });
          wake = null;
        }
      }
    };
    run().then(
      () => { if (!call.cancelled) call.end(); },
      (err: unknown) => {
        finish();
        // grpc-js turns an 'error' event into the call's final status.
        if (!call.cancelled) call.emit('error', Object.assign(new Error('watch failed'), deps.fail(err)));
      },
    );
  };
}
