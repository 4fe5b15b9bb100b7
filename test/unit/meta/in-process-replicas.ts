// Three meta replicas in this process on free loopback ports, for tests that talk to them over
// gRPC: start/stop by id, clients to any subset, and one teardown (registered with `after`, so
// it runs even when a test times out and no replica keeps the suite alive).
import { after } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { freePorts } from '../../../services/common/free-ports.ts';
import { MetaClient } from '../../../services/meta/client/meta-client.ts';
import { startMetaReplica, type MetaPeer, type MetaReplica } from '../../../services/meta/replica/meta-replica.ts';
import { waitFor } from '../../integration/cluster/cluster-fixture.ts';
import { silentLog } from './meta-harness.ts';

export const REPLICA_IDS = ['m1', 'm2', 'm3'];

export interface InProcessReplicas {
  peers: Record<string, MetaPeer>;
  replicas: Map<string, MetaReplica>;
  /** Starts replica `id` (again) with short ticks and frequent snapshots. */
  start(id: string, log?: Logger): Promise<MetaReplica>;
  /** A client of these replicas' APIs, closed in teardown. */
  clientOf(ids: string[]): MetaClient;
  /** The leader's id, once there is one. */
  leader(timeoutMs?: number): Promise<string>;
}

const cleanups: Array<() => Promise<unknown> | unknown> = [];
after(async () => {
  for (const c of cleanups.reverse()) await Promise.resolve().then(c).catch(() => {});
});

export async function inProcessReplicas(dirPrefix: string): Promise<InProcessReplicas> {
  const root = mkdtempSync(join(tmpdir(), dirPrefix));
  const ports = await freePorts(2 * REPLICA_IDS.length);
  const peers: Record<string, MetaPeer> = {};
  REPLICA_IDS.forEach((id, i) => { peers[id] = { raftAddress: `127.0.0.1:${ports[2 * i]}`, apiAddress: `127.0.0.1:${ports[2 * i + 1]}` }; });
  const replicas = new Map<string, MetaReplica>();
  const clients: MetaClient[] = [];
  cleanups.push(() => rmSync(root, { recursive: true, force: true }));
  cleanups.push(async () => {
    for (const c of clients) c.close();
    for (const r of replicas.values()) await r.stop();
  });
  return {
    peers, replicas,
    start: async (id, log = silentLog) => {
      const r = await startMetaReplica({
        id, dataDir: join(root, id), raftAddress: peers[id]!.raftAddress, apiAddress: peers[id]!.apiAddress, peers,
        tickMs: 50, snapshotEvery: 20, snapshotKeepEntries: 5, log,
      });
      replicas.set(id, r);
      return r;
    },
    clientOf: (ids) => {
      const c = new MetaClient({ addresses: ids.map((id) => peers[id]!.apiAddress) });
      clients.push(c);
      return c;
    },
    leader: (timeoutMs = 30_000) => waitFor('a leader', async () => [...replicas.values()].find((r) => r.host.isLeader)?.id, timeoutMs, 20),
  };
}
