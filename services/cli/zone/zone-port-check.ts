// Before `zonestore up` starts anything: is every fixed port of the plan free? Failing here
// names each taken address and what it was meant for, instead of one zone dying mid-start.
import { createServer } from 'node:net';
import { dataNodeId, type ZoneSpec } from './zone-layout.ts';

function canBind(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, host, () => s.close(() => resolve(true)));
  });
}

/** "host:port (what)" for every fixed address of the plan that cannot be bound now. */
export async function takenAddresses(specs: readonly ZoneSpec[]): Promise<string[]> {
  const wanted: Array<[string, string]> = [];
  for (const s of specs) {
    wanted.push([s.metaApiAddress, `${s.metaId} API`], [s.metaRaftAddress, `${s.metaId} Raft`]);
    s.dataNodePorts.forEach((port, i) => {
      if (port !== 0) wanted.push([`${s.host}:${port}`, dataNodeId(s.zone, i + 1)]);
    });
    if (s.gatewayPort !== 0) wanted.push([`${s.host}:${s.gatewayPort}`, `${s.zone} S3 gateway`]);
  }
  const taken: string[] = [];
  for (const [address, what] of wanted) {
    const at = address.lastIndexOf(':');
    if (!(await canBind(address.slice(0, at), Number(address.slice(at + 1))))) taken.push(`${address} (${what})`);
  }
  return taken;
}
