// Raft messages over gRPC. Each node serves RaftTransportService.Stream (peers push batches in
// over one long-lived client stream each) and keeps a PeerLink — its own outgoing stream — to
// every peer. Conversion between the core's plain messages and protobuf happens here.
import * as grpc from '@grpc/grpc-js';
import { isIP } from 'node:net';
import type { Logger } from 'pino';
import { create } from '@bufbuild/protobuf';
import { SendAckSchema } from '../../common/gen/zonestore/raft/v1/raft_pb.ts';
import { bindInternal } from '../../common/grpc/service-definition.ts';
import { decodeMessageBatch } from '../codec/raft-wire-codec.ts';
import type { Message, NodeId } from '../types.ts';
import { DEFAULT_PEER_LINK_LIMITS, PeerLink, type PeerLinkLimits } from './peer-link.ts';
import { RAFT_STREAM_SERVICE } from './raft-stream-method.ts';

/** Largest message accepted from a peer: a snapshot of the whole state machine must fit. */
export const MAX_RAFT_MESSAGE_BYTES = 512 * 1024 * 1024;

export interface RaftTransportConfig {
  id: NodeId;
  /** host:port to serve on; port 0 picks a free port (see `start()`'s result). */
  listenAddress: string;
  /** Raft address (host:port) of every other voter or learner. */
  peers: Record<NodeId, string>;
  /**
   * IP that outgoing sockets bind. Defaults to the listen host when it is a specific IP, so a
   * zone's traffic leaves from the zone's address.
   */
  localAddress?: string;
  /** Called with every decoded batch, in the order the sending peer sent it. */
  onMessages(messages: Message[]): void;
  /** Called when a message to `peer` was dropped because the link is down or backed up. */
  onUnreachable(peer: NodeId): void;
  log: Logger;
  limits?: Partial<PeerLinkLimits>;
}

export interface RaftTransportStats {
  receivedMessages: number;
  malformedMessages: number;
  peers: Record<NodeId, { address: string; connected: boolean; sentBatches: number; droppedBatches: number }>;
}

function defaultLocalAddress(listen: string): string | undefined {
  const host = grpc.experimental.splitHostPort(listen)?.host;
  if (host === undefined || !isIP(host) || host === '0.0.0.0' || host === '::') return undefined;
  return host;
}

export class GrpcRaftTransport {
  private readonly server: grpc.Server;
  private readonly links = new Map<NodeId, PeerLink>();
  private readonly limits: PeerLinkLimits;
  private readonly localAddress: string | undefined;
  private receivedMessages = 0;
  private malformedMessages = 0;
  private stopped = false;

  constructor(private readonly cfg: RaftTransportConfig) {
    this.limits = { ...DEFAULT_PEER_LINK_LIMITS, ...cfg.limits };
    this.localAddress = cfg.localAddress ?? defaultLocalAddress(cfg.listenAddress);
    // Channelz stays on here: see the forceShutdown caveat in common/grpc/channel-options.ts.
    this.server = new grpc.Server({ 'grpc.max_receive_message_length': MAX_RAFT_MESSAGE_BYTES });
    const stream: grpc.handleClientStreamingCall<Buffer, unknown> = (call, callback) => {
      call.on('data', (batch: Buffer) => this.deliver(batch));
      call.on('end', () => callback(null, create(SendAckSchema)));
      // A peer that dies mid-stream is routine; its PeerLink on the other side reconnects.
      call.on('error', () => {});
    };
    this.server.addService(RAFT_STREAM_SERVICE, { stream });
  }

  /** Starts serving; resolves to the bound port. Outgoing links open here too. */
  async start(): Promise<number> {
    const port = await bindInternal(this.server, this.cfg.listenAddress);
    for (const [id, address] of Object.entries(this.cfg.peers)) {
      if (id !== this.cfg.id) this.addPeer(id, address);
    }
    return port;
  }

  addPeer(id: NodeId, address: string): void {
    if (this.stopped || id === this.cfg.id) return;
    const old = this.links.get(id);
    if (old?.address === address) return;
    old?.close();
    this.links.set(id, new PeerLink(id, address, this.localAddress, this.limits, this.cfg.log, this.cfg.onUnreachable));
  }

  removePeer(id: NodeId): void {
    this.links.get(id)?.close();
    this.links.delete(id);
  }

  /** Sends without waiting; one batch per destination keeps each peer's messages in order. */
  send(messages: Message[]): void {
    if (messages.length === 0 || this.stopped) return;
    if (messages.length === 1) {
      this.sendTo(messages[0]!.to, messages);
      return;
    }
    const byPeer = new Map<NodeId, Message[]>();
    for (const m of messages) {
      const list = byPeer.get(m.to);
      if (list) list.push(m);
      else byPeer.set(m.to, [m]);
    }
    for (const [to, list] of byPeer) this.sendTo(to, list);
  }

  stats(): RaftTransportStats {
    const peers: RaftTransportStats['peers'] = {};
    for (const [id, l] of this.links) {
      peers[id] = { address: l.address, connected: l.connected, sentBatches: l.sentBatches, droppedBatches: l.droppedBatches };
    }
    return { receivedMessages: this.receivedMessages, malformedMessages: this.malformedMessages, peers };
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const l of this.links.values()) l.close();
    this.links.clear();
    // Peers' inbound streams never end on their own; there is nothing to drain.
    this.server.forceShutdown();
  }

  private sendTo(to: NodeId, messages: Message[]): void {
    const link = this.links.get(to);
    if (!link || !link.send(messages)) this.cfg.onUnreachable(to);
  }

  private deliver(batch: Buffer): void {
    if (this.stopped) return;
    let out: Message[];
    try {
      out = decodeMessageBatch(batch, () => this.malformedMessages++);
    } catch {
      this.malformedMessages++; // the batch framing itself is broken: nothing in it is usable
      return;
    }
    this.receivedMessages += out.length;
    if (out.length > 0) this.cfg.onMessages(out);
  }
}
