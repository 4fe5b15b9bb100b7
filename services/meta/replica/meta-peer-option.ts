// The repeatable `--peer id=raftHost:port/apiHost:port` option of processes hosting a replica.
import { InvalidArgumentError } from 'commander';
import type { MetaPeer } from './meta-replica.ts';

export function addMetaPeer(value: string, previous: Record<string, MetaPeer>): Record<string, MetaPeer> {
  const m = /^([^=]+)=([^/]+:\d+)\/([^/]+:\d+)$/.exec(value.trim());
  if (!m) throw new InvalidArgumentError(`expected id=raftHost:port/apiHost:port, got "${value}"`);
  return { ...previous, [m[1]!]: { raftAddress: m[2]!, apiAddress: m[3]! } };
}
