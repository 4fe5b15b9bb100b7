// Which loopback address each zone binds. Linux routes all of 127.0.0.0/8 to loopback, so
// every zone gets its own address (peers see, and a chaos harness can cut, traffic by zone);
// where only 127.0.0.1 exists (stock macOS) all zones share it and differ by port.
import { canListenOn } from '../../common/free-ports.ts';
import { SHARED_LOOPBACK, zoneLoopbackAddress } from './zone-layout.ts';

export async function zoneHosts(zones: number): Promise<string[]> {
  const own = Array.from({ length: zones }, (_, i) => zoneLoopbackAddress(i + 1));
  for (const host of own) if (!(await canListenOn(host))) return own.map(() => SHARED_LOOPBACK);
  return own;
}
