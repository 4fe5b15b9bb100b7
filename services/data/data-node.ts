// A data node: one chunk store, its scrubber and the DataService on a gRPC server. Hosts
// (data-node-main.ts, `zonestore up`, tests) start and stop it; it owns nothing global.
import * as grpc from '@grpc/grpc-js';
import { mkdir, readFile, writeFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { DataService } from '../common/gen/zonestore/data/v1/data_pb.ts';
import { addService, bindInternal, shutdownServer } from '../common/grpc/service-definition.ts';
import type { ChunkFileSystem } from './chunk-file-system.ts';
import { ChunkStore } from './chunk-store.ts';
import { dataServiceHandlers } from './data-service.ts';
import { Scrubber, type ScrubFinding } from './scrubber.ts';
import { dataNodeSources } from '../common/metrics/index.ts';

/** Largest gRPC message accepted: data frames are far smaller (see data-client.ts). */
export const DATA_MAX_MESSAGE_BYTES = 4 * 1024 * 1024;
/** In-flight calls get this long to finish on stop before they are cancelled. */
export const STOP_GRACE_MS = 5_000;
const IDENTITY_FILE = 'node.json';

export interface DataNodeConfig {
  id: string;
  zone: string;
  dir: string;
  /** host:port; port 0 picks a free port (see `address`). */
  listen: string;
  capacityBytes?: number;
  scrubRateBytesPerSec?: number;
  scrubIntervalMs?: number;
  log: Logger;
  /** Extra hook for scrub findings (they are always logged and counted). */
  onScrubFinding?: (finding: ScrubFinding) => void;
  fs?: ChunkFileSystem;
  freeSpaceReserveBytes?: number;
  /** See STREAM_IDLE_TIMEOUT_MS in data-service.ts. */
  streamIdleTimeoutMs?: number;
}

interface NodeIdentity {
  id: string;
  zone: string;
}

/**
 * Refuses a directory that belongs to another node: pointing node B at node A's disk would
 * silently serve A's chunks under B's name.
 */
async function claimDirectory(dir: string, identity: NodeIdentity): Promise<void> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, IDENTITY_FILE);
  let existing: string | undefined;
  try {
    existing = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  if (existing !== undefined) {
    const found = JSON.parse(existing) as NodeIdentity;
    if (found.id !== identity.id || found.zone !== identity.zone) {
      throw new Error(`${dir} belongs to data node ${found.id} in zone ${found.zone}, not ${identity.id} in ${identity.zone}`);
    }
    return;
  }
  await writeFile(`${path}.tmp`, JSON.stringify(identity) + '\n', { flush: true });
  await rename(`${path}.tmp`, path);
}

export class DataNode {
  private stopping: Promise<void> | undefined;
  private unregisterMetrics: () => void = () => {};

  private constructor(
    readonly config: DataNodeConfig,
    readonly store: ChunkStore,
    readonly scrubber: Scrubber,
    private readonly server: grpc.Server,
    /** The bound host:port. */
    readonly address: string,
  ) {}

  static async start(config: DataNodeConfig): Promise<DataNode> {
    const { log } = config;
    await claimDirectory(config.dir, { id: config.id, zone: config.zone });
    const store = await ChunkStore.open({
      dir: config.dir,
      capacityBytes: config.capacityBytes,
      freeSpaceReserveBytes: config.freeSpaceReserveBytes,
      fs: config.fs,
      onReadDamage: (d) => log.warn({ chunkId: d.chunkId, kind: d.kind, detail: d.detail }, 'read found a damaged chunk'),
    });
    const { recovery } = store;
    if (recovery.tempFilesRemoved + recovery.orphanFilesRemoved + recovery.unknownEntries.length > 0) {
      log.info({ ...recovery }, 'chunk store recovery');
    }
    const scrubber = new Scrubber(store, {
      rateBytesPerSec: config.scrubRateBytesPerSec,
      intervalMs: config.scrubIntervalMs,
      onFinding: (f) => {
        log.warn({ chunkId: f.chunkId, kind: f.kind, detail: f.detail }, 'scrub found a damaged chunk');
        config.onScrubFinding?.(f);
      },
    });
    const server = new grpc.Server({
      'grpc.max_receive_message_length': DATA_MAX_MESSAGE_BYTES,
      'grpc.max_send_message_length': DATA_MAX_MESSAGE_BYTES,
    });
    addService(server, DataService, dataServiceHandlers({
      nodeId: config.id, zone: config.zone, store, scrubber, log, streamIdleTimeoutMs: config.streamIdleTimeoutMs,
    }));
    let port: number;
    try {
      port = await bindInternal(server, config.listen);
    } catch (err) {
      server.forceShutdown();
      await store.close();
      throw err;
    }
    const host = grpc.experimental.splitHostPort(config.listen)?.host ?? '127.0.0.1';
    const address = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
    scrubber.start();
    log.info({ address, dir: config.dir }, 'data node serving');
    const node = new DataNode(config, store, scrubber, server, address);
    node.unregisterMetrics = dataNodeSources.add(config.id, { usage: () => store.usage(), scrub: () => scrubber.metrics });
    return node;
  }

  /** Stops scrub, drains calls (bounded by STOP_GRACE_MS) and closes the store. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.unregisterMetrics();
      await this.scrubber.stop();
      await shutdownServer(this.server, STOP_GRACE_MS);
      await this.store.close();
    })();
    return this.stopping;
  }
}
