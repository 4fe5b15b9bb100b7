// One long-lived client stream to one peer. A single stream per peer keeps a sender's messages
// in order; when it breaks, it is reopened after a backoff. Sending never waits: while the
// stream is down or the peer is not draining it, messages are dropped (Raft retransmits) and
// the caller learns the peer is unreachable so the leader can slow down to probing.
import * as grpc from '@grpc/grpc-js';
import type { Logger } from 'pino';
import { boundTarget } from '../../common/grpc/local-address-resolver.ts';
import type { Message, NodeId } from '../types.ts';
import { RAFT_STREAM } from './raft-stream-method.ts';
import { BASE_CLIENT_OPTIONS } from '../../common/grpc/channel-options.ts';
import { internalChannelCredentials, internalChannelOptions } from '../../common/tls/grpc-tls.ts';

export interface PeerLinkLimits {
  /** First wait before reopening a broken stream. */
  reconnectInitialMs: number;
  /** Longest wait between reopen attempts. */
  reconnectMaxMs: number;
  /** Batches buffered in a stream the peer is not draining before new ones are dropped. */
  maxQueuedBatches: number;
}

export const DEFAULT_PEER_LINK_LIMITS: PeerLinkLimits = {
  reconnectInitialMs: 50,
  reconnectMaxMs: 1_000,
  maxQueuedBatches: 256,
};

type Stream = grpc.ClientWritableStream<Message[]>;

function transportClient(target: string, limits: PeerLinkLimits): grpc.Client {
  return new grpc.Client(target, internalChannelCredentials(), {
    ...BASE_CLIENT_OPTIONS,
    ...internalChannelOptions(),
    // grpc-js defaults back off to two minutes; a restarted peer must be heard within seconds.
    'grpc.initial_reconnect_backoff_ms': limits.reconnectInitialMs,
    'grpc.max_reconnect_backoff_ms': limits.reconnectMaxMs,
    'grpc.enable_http_proxy': 0,
    // Each link owns its channel, so links to one peer from different local addresses
    // (tests run several nodes in one process) never share a socket.
    'grpc.use_local_subchannel_pool': 1,
  });
}

export class PeerLink {
  private readonly client: grpc.Client;
  private stream: Stream | null = null;
  private backoffMs: number;
  private reopenTimer: NodeJS.Timeout | null = null;
  private openedAt = 0;
  private closed = false;
  /** Batches written into the current stream; counted for status. */
  sentBatches = 0;
  droppedBatches = 0;

  constructor(
    readonly peer: NodeId,
    readonly address: string,
    localAddress: string | undefined,
    private readonly limits: PeerLinkLimits,
    private readonly log: Logger,
    /** Messages queued in a stream that broke are lost; the owner reports the peer unreachable. */
    private readonly onBroken: (peer: NodeId) => void,
  ) {
    this.backoffMs = limits.reconnectInitialMs;
    this.client = transportClient(boundTarget(address, localAddress), limits);
    this.open();
  }

  /** Queues one batch on the stream; false when it was dropped (link down or peer not draining). */
  send(batch: Message[]): boolean {
    const s = this.stream;
    if (s === null || s.writableLength >= this.limits.maxQueuedBatches) {
      this.droppedBatches++;
      return false;
    }
    s.write(batch);
    this.sentBatches++;
    return true;
  }

  get connected(): boolean {
    return this.stream !== null
      && this.client.getChannel().getConnectivityState(false) === grpc.connectivityState.READY;
  }

  close(): void {
    this.closed = true;
    if (this.reopenTimer) clearTimeout(this.reopenTimer);
    this.reopenTimer = null;
    const s = this.stream;
    this.stream = null;
    if (s) {
      s.end();
      s.cancel();
    }
    this.client.close();
  }

  private open(): void {
    if (this.closed) return;
    const stream: Stream = this.client.makeClientStreamRequest(
      RAFT_STREAM.path, RAFT_STREAM.requestSerialize, RAFT_STREAM.responseDeserialize,
      (err) => this.onStreamEnded(stream, err),
    );
    // Errors are delivered to the callback above; an 'error' event without a listener would throw.
    stream.on('error', () => {});
    this.stream = stream;
    this.openedAt = Date.now();
  }

  private onStreamEnded(stream: Stream, err: grpc.ServiceError | null): void {
    if (this.stream === stream) this.stream = null;
    if (this.closed) return;
    if (err) this.onBroken(this.peer);
    if (err && err.code !== grpc.status.UNAVAILABLE) {
      this.log.warn({ peer: this.peer, code: err.code, details: err.details }, 'raft stream to peer failed');
    }
    // A stream that lived a while was healthy: its successor retries fast, not slowly.
    if (Date.now() - this.openedAt > this.limits.reconnectMaxMs) this.backoffMs = this.limits.reconnectInitialMs;
    this.reopenTimer = setTimeout(() => {
      this.reopenTimer = null;
      this.open();
    }, this.backoffMs);
    this.backoffMs = Math.min(this.backoffMs * 2, this.limits.reconnectMaxMs);
  }
}
