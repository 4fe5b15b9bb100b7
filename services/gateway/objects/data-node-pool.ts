// One DataNodeClient (one gRPC channel) per data node address, created on first use and bound
// to the gateway zone's address, so every request reuses warm connections.
import { DataNodeClient } from '../../data/data-client.ts';

export class DataNodePool {
  private readonly clients = new Map<string, DataNodeClient>();
  private closed = false;

  constructor(private readonly localAddress?: string) {}

  client(address: string): DataNodeClient {
    if (this.closed) throw new Error('the data path is closed');
    let c = this.clients.get(address);
    if (!c) this.clients.set(address, (c = new DataNodeClient(address, { localAddress: this.localAddress })));
    return c;
  }

  close(): void {
    this.closed = true;
    for (const c of this.clients.values()) c.close();
    this.clients.clear();
  }
}
