// `zonestore meta`: one metadata replica of the cluster (one per zone), plus the zone-wide
// duties that need exactly one process per zone: garbage collection of chunks on the data nodes
// (leader only), marking silent data nodes DOWN (leader only) and the zone's repair worker.
import { Command } from 'commander';
import { z } from 'zod';
import { MetaClient } from '../../meta/client/meta-client.ts';
import { startMetaReplica } from '../../meta/replica/meta-replica.ts';
import { NONE } from '../../raft/types.ts';
import { RepairWorker, DEFAULT_REPAIR_INTERVAL_MS } from '../../gateway/repair/index.ts';
import { DataNodeChunkDeleter } from '../zone/data-node-chunk-deleter.ts';
import { PlacementMapDirectory } from '../zone/data-node-directory.ts';
import { StaleNodeSweeper, DEFAULT_REPORT_TIMEOUT_MS } from '../zone/stale-node-sweeper.ts';
import { DEFAULT_REPORT_INTERVAL_MS } from '../zone/data-node-reporter.ts';
import { ZONE_META_ATTEMPT_TIMEOUT_MS, ZONE_META_CALL_TIMEOUT_MS } from '../zone/zone-process.ts';
import { handOffLeadership } from './leadership-handoff.ts';
import {
  DEFAULT_DATA_DIR, addCommonRoleOptions, commonRoleSchema, mergedOptions, metaPeersField, parseRoleConfig,
  portField, positiveIntField, roleOption,
} from './role-config.ts';
import { roleLogger, serveRole } from './role-lifecycle.ts';
import { addInternalTlsOptions, applyInsecureInternalEnv, installInternalTls, internalTlsSchema } from './internal-tls-config.ts';

export const DEFAULT_META_API_PORT = 7000;
export const DEFAULT_META_RAFT_PORT = 7001;

const schema = commonRoleSchema.extend(internalTlsSchema.shape).extend({
  metaId: z.string().min(1),
  metaPeers: metaPeersField,
  dataDir: z.string().min(1).default(DEFAULT_DATA_DIR),
  apiPort: portField.default(DEFAULT_META_API_PORT),
  raftPort: portField.default(DEFAULT_META_RAFT_PORT),
  tickMs: positiveIntField.optional(),
  reportTimeoutMs: positiveIntField.default(DEFAULT_REPORT_TIMEOUT_MS),
  repairIntervalMs: positiveIntField.default(DEFAULT_REPAIR_INTERVAL_MS),
});

export function registerMetaRole(program: Command): void {
  const cmd = program.command('meta').description('Run one metadata replica (Raft), with its zone\'s garbage collection, node liveness and repair');
  addCommonRoleOptions(cmd);
  roleOption(cmd, '--meta-id <id>', 'this replica\'s id; must be one of --meta-peers');
  roleOption(cmd, '--meta-peers <list>', 'every replica, comma-separated id=raftHost:port/apiHost:port (the addresses others dial)');
  roleOption(cmd, '--data-dir <dir>', `Raft log and metadata state (default ${DEFAULT_DATA_DIR})`);
  roleOption(cmd, '--api-port <port>', `MetaService port (default ${DEFAULT_META_API_PORT})`);
  roleOption(cmd, '--raft-port <port>', `Raft port (default ${DEFAULT_META_RAFT_PORT})`);
  roleOption(cmd, '--tick-ms <ms>', 'Raft tick (elections after 10-20 ticks)');
  roleOption(cmd, '--report-timeout-ms <ms>', `a data node not reported for this long is marked DOWN (default ${DEFAULT_REPORT_TIMEOUT_MS})`);
  roleOption(cmd, '--repair-interval-ms <ms>', `pause between repair passes over this zone's shards (default ${DEFAULT_REPAIR_INTERVAL_MS})`);
  addInternalTlsOptions(cmd);
  cmd.action(async () => {
    const c = parseRoleConfig(schema, mergedOptions(applyInsecureInternalEnv(cmd)));
    if (!c.metaPeers[c.metaId]) throw new Error(`--meta-id ${c.metaId} is not one of --meta-peers (${Object.keys(c.metaPeers).join(', ')})`);
    const log = roleLogger('meta', c.zone, c.metaId);
    const tls = installInternalTls(c);
    await serveRole({ role: 'meta', log, listenHost: c.listenHost, healthPort: c.healthPort, start: async () => {
      const stack: Array<() => Promise<void> | void> = [];
      const unwind = async (): Promise<void> => {
        for (const undo of stack.reverse()) await Promise.resolve().then(undo).catch((err: unknown) => log.warn({ err }, 'stop step failed'));
      };
      try {
        const apiAddresses = [c.metaPeers[c.metaId]!.apiAddress, ...Object.entries(c.metaPeers).filter(([id]) => id !== c.metaId).map(([, p]) => p.apiAddress)];
        const meta = new MetaClient({ addresses: apiAddresses, callTimeoutMs: ZONE_META_ATTEMPT_TIMEOUT_MS, retryForMs: ZONE_META_CALL_TIMEOUT_MS });
        stack.push(() => meta.close());
        const deleter = new DataNodeChunkDeleter({
          directory: new PlacementMapDirectory(async () => (await meta.call('getPlacementMap', {})).nodes),
        });
        stack.push(() => deleter.close());
        const replica = await startMetaReplica({
          id: c.metaId, zone: c.zone, dataDir: c.dataDir,
          raftAddress: `${c.listenHost}:${c.raftPort}`, apiAddress: `${c.listenHost}:${c.apiPort}`, peers: c.metaPeers,
          chunkDeleter: deleter, tickMs: c.tickMs, log,
          onFatal: (err) => {
            log.fatal({ err }, 'exiting: the meta replica failed');
            log.flush();
            process.exit(1);
          },
        });
        stack.push(() => replica.stop());
        // Runs first at stop (the stack unwinds in reverse): the rest of the cluster keeps a leader.
        const sweeper = new StaleNodeSweeper({
          meta, isLeader: () => replica.host.isLeader, timeoutMs: c.reportTimeoutMs, intervalMs: DEFAULT_REPORT_INTERVAL_MS, log,
        });
        sweeper.start();
        stack.push(() => sweeper.stop());
        const repair = RepairWorker.start({ meta, zone: c.zone, intervalMs: c.repairIntervalMs, log: log.child({ repair: c.zone }) });
        stack.push(() => repair.stop());
        stack.push(async () => {
          await handOffLeadership(replica, log);
        });
        return {
          info: { role: 'meta', internalTls: tls, id: replica.id, zone: c.zone, raftAddress: replica.raftAddress, apiAddress: replica.apiAddress },
          checks: {
            leader: async () => (replica.host.leader === NONE ? 'no leader known (election in progress, or no quorum reachable)' : undefined),
          },
          stop: unwind,
        };
      } catch (err) {
        await unwind();
        throw err;
      }
    } });
  });
}
