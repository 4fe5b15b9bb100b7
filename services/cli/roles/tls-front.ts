// HTTPS for a gateway: a TLS listener that terminates TLS and passes each connection's bytes
// to the gateway's plain HTTP port on this host. The gateway itself speaks HTTP only; this
// keeps TLS a deployment concern (a mounted certificate and key) and leaves the request
// pipeline alone. Stopping closes the listener first (no new connections), then, once the
// gateway has drained, any connection still open.
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { createServer, type Server, type TLSSocket } from 'node:tls';
import type { Logger } from 'pino';

export interface TlsFrontOptions {
  host: string;
  port: number;
  certFile: string;
  keyFile: string;
  /** Where the plain gateway listens (host:port on this machine). */
  upstream: { host: string; port: number };
  log: Logger;
}

export class TlsFront {
  private readonly open = new Set<Socket>();

  private constructor(private readonly server: Server, readonly address: string) {}

  static async start(o: TlsFrontOptions): Promise<TlsFront> {
    const cert = readFileSync(o.certFile);
    const key = readFileSync(o.keyFile);
    let front: TlsFront | undefined;
    const server = createServer({ cert, key }, (client: TLSSocket) => {
      const upstream = connect(o.upstream.port, o.upstream.host);
      front?.open.add(client).add(upstream);
      const done = (): void => {
        client.destroy();
        upstream.destroy();
        front?.open.delete(client);
        front?.open.delete(upstream);
      };
      client.on('error', done).on('close', done);
      upstream.on('error', done).on('close', done);
      client.pipe(upstream).pipe(client);
    });
    server.on('tlsClientError', (err) => o.log.debug({ err: err.message }, 'TLS handshake failed'));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(o.port, o.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const a = server.address() as AddressInfo;
    front = new TlsFront(server, `${a.address}:${a.port}`);
    o.log.info({ address: front.address }, 'gateway TLS listening');
    return front;
  }

  /** Stops accepting connections; the ones open go on until `closeAll`. */
  stopAccepting(): void {
    this.server.close();
  }

  closeAll(): void {
    for (const s of this.open) s.destroy();
    this.open.clear();
  }
}
