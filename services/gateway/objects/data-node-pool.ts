// One DataNodeClient (one gRPC channel) per data node address, created on first use and bound
// to the gateway zone's address, so every request reuses warm connections. A channel to a node
// that was down has backed off reconnecting (grpc-js: up to 120 s, failing calls fast meanwhile),
// so when meta says the node is back its channel is replaced by a fresh one.
// Data nodes hosted in the gateway's own process are reached directly (no gRPC).
import { DataNodeClient } from '../../data/data-client.ts';
import type { ChunkClient } from '../../data/local-chunk-client.ts';

export class DataNodePool {
  private readonly clients = new Map<string, ChunkClient>();
  private closed = false;

  constructor(private readonly localAddress?: string, private readonly inProcess: ReadonlyMap<string, ChunkClient> = new Map()) {}

  client(address: string): ChunkClient {
    if (this.closed) throw new Error('the data path is closed');
    const local = this.inProcess.get(address);
    if (local) return local;
    let c = this.clients.get(address);
    if (!c) this.clients.set(address, (c = new DataNodeClient(address, { localAddress: this.localAddress })));
    return c;
  }

  /** Drops the channel to `address` (closing it); the next call opens a fresh one. */
  reset(address: string): void {
    this.clients.get(address)?.close();
    this.clients.delete(address);
  }

  close(): void {
    this.closed = true;
    for (const c of this.clients.values()) c.close();
    this.clients.clear();
  }
}
