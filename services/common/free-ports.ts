// Free TCP ports on a host, for servers whose peers must know their address before they start.
// All sockets of a batch are held together so one call never returns the same port twice.
import { createServer, type Server } from 'node:net';

export async function freePorts(count: number, host = '127.0.0.1'): Promise<number[]> {
  const servers: Server[] = [];
  try {
    const ports: number[] = [];
    for (let i = 0; i < count; i++) {
      const server = createServer();
      servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, host, () => resolve());
      });
      ports.push((server.address() as { port: number }).port);
    }
    return ports;
  } finally {
    await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  }
}

/** Whether this machine can listen on `host` (127.0.0.11 works on Linux, not on stock macOS). */
export async function canListenOn(host: string): Promise<boolean> {
  try {
    await freePorts(1, host);
    return true;
  } catch {
    return false;
  }
}
