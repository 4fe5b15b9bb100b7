// Outgoing gRPC connections from a chosen local address. A zone's processes share one loopback
// address (127.0.0.11/.12/.13), and peers see — and a chaos harness can firewall — traffic by
// source address, so a client must be able to bind its socket's local side.
//
// grpc-js has no channel option for this. It does, however, let a resolver decide the
// subchannel address object, and that object is handed unchanged to `net.connect(address)`.
// A resolver that adds `localAddress` to it therefore makes grpc-js bind the socket, without
// patching grpc-js. The scheme is `zonestore-bind://<local ip>/<remote host>:<port>`.
import * as grpc from '@grpc/grpc-js';
import { isIP } from 'node:net';

export const LOCAL_BIND_SCHEME = 'zonestore-bind';

type GrpcUri = { scheme?: string; authority?: string; path: string };
type Listener = grpc.experimental.ResolverListener;

class LocalAddressResolver implements grpc.experimental.Resolver {
  private delivered = false;

  constructor(
    private readonly target: GrpcUri,
    private readonly listener: Listener,
  ) {}

  updateResolution(): void {
    if (this.delivered) return;
    this.delivered = true;
    // Listener calls must never be synchronous with construction or updateResolution.
    process.nextTick(() => {
      const local = this.target.authority ?? '';
      const hostPort = grpc.experimental.splitHostPort(this.target.path);
      if (!isIP(local) || hostPort === null || hostPort.port === undefined) {
        this.listener(grpc.experimental.statusOrFromError({
          code: grpc.status.UNAVAILABLE,
          details: `bad ${LOCAL_BIND_SCHEME} target: ${LOCAL_BIND_SCHEME}://${local}/${this.target.path}`,
          metadata: new grpc.Metadata(),
        }), {}, null, '');
        return;
      }
      const address = { host: hostPort.host, port: hostPort.port, localAddress: local };
      this.listener(
        grpc.experimental.statusOrFromValue([{ addresses: [address] }]), {}, null, '',
      );
    });
  }

  destroy(): void {
    this.delivered = false;
  }

  static getDefaultAuthority(target: GrpcUri): string {
    return target.path;
  }
}

let registered = false;

function ensureRegistered(): void {
  if (registered) return;
  registered = true;
  type ResolverClass = Parameters<typeof grpc.experimental.registerResolver>[1];
  grpc.experimental.registerResolver(LOCAL_BIND_SCHEME, LocalAddressResolver as unknown as ResolverClass);
}

/**
 * The grpc-js target for `remote` (host:port) whose sockets bind `localAddress` (an IP);
 * `remote` unchanged when no local address is wanted.
 */
export function boundTarget(remote: string, localAddress?: string): string {
  if (localAddress === undefined || localAddress === '') return remote;
  ensureRegistered();
  return `${LOCAL_BIND_SCHEME}://${localAddress}/${remote}`;
}
