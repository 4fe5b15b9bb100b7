// The chaos cluster's parts that need no cluster: the proxied plan (every cross-zone address a
// proxy, own addresses direct), seeded bitrot on a real chunk store's files (data bytes changed,
// the store's verification catches it), and wiping a node directory.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32c } from '@node-rs/crc32';
import { ChunkStore } from '../../../../services/data/chunk-store.ts';
import { planZones } from '../../../../services/cli/zone/zone-layout.ts';
import {
  dataNodeDirs, dataNodesByZone, metaApiProxyName, metaRaftProxyName, proxiedServers, proxiedSpecs,
} from '../../../chaos/cluster/chaos-cluster-plan.ts';
import { chunkFiles, flipChunkBytes, FLIPPED_BYTES_PER_CHUNK } from '../../../chaos/cluster/chunk-files.ts';
import { wipeDirectory } from '../../../chaos/cluster/disk-fill.ts';
import { ChaosFaultExecutor } from '../../../chaos/cluster/fault-executor.ts';
import type { LocalZoneCluster } from '../../../../services/cli/zone/local-zone-cluster.ts';
import type { ZoneNetwork } from '../../../chaos/net/zone-network.ts';

const hosts = ['127.0.0.11', '127.0.0.12', '127.0.0.13'];
const specs = planZones({
  root: '/r', hosts,
  ports: hosts.map((_, i) => ({ metaApi: 1000 + i * 10, metaRaft: 1001 + i * 10, gateway: 1002 + i * 10, dataNodes: [1003 + i * 10, 1004 + i * 10] })),
});

test('plan: a proxy in front of each meta Raft, meta API and data node; none in front of gateways', () => {
  const servers = proxiedServers(specs);
  assert.equal(servers.length, 3 * (2 + 2));
  assert.deepEqual(servers.filter((s) => s.zone === 'zone-2').map((s) => `${s.name} ${s.host}:${s.port}`), [
    'zone-2/meta-raft 127.0.0.12:1011', 'zone-2/meta-api 127.0.0.12:1010', 'zone-2-data-1 127.0.0.12:1013', 'zone-2-data-2 127.0.0.12:1014',
  ]);
  assert.throws(() => proxiedServers(planZones({ root: '/r', hosts: ['127.0.0.11'], ports: [{ metaApi: 1, metaRaft: 2, dataNodes: [0] }] })), /fixed port/);
});

test('plan: each zone dials the other zones\' replicas and advertises its data nodes at proxies, and itself directly', () => {
  const proxy = (name: string): string => `proxy(${name})`;
  const out = proxiedSpecs(specs, proxy);
  const z1 = out[0]!;
  assert.deepEqual(z1.metaPeers['meta-1'], { raftAddress: '127.0.0.11:1001', apiAddress: '127.0.0.11:1000' });
  assert.deepEqual(z1.metaPeers['meta-2'], { raftAddress: proxy(metaRaftProxyName('zone-2')), apiAddress: proxy(metaApiProxyName('zone-2')) });
  assert.deepEqual(z1.advertisedDataNodes, ['proxy(zone-1-data-1)', 'proxy(zone-1-data-2)']);
  assert.equal(z1.metaApiAddress, '127.0.0.11:1000', 'a zone listens where it did');
  assert.deepEqual(z1.dataNodePorts, [1003, 1004]);
  assert.deepEqual(out[2]!.metaPeers['meta-1']!.apiAddress, proxy('zone-1/meta-api'));
  assert.deepEqual(dataNodesByZone(out)['zone-3'], ['zone-3-data-1', 'zone-3-data-2']);
  assert.equal(dataNodeDirs(out).get('zone-2-data-2'), '/r/zone-2/data-2');
});

test('bitrot: seeded data-byte flips in N stored chunks, caught by the store; the same seed picks the same chunks', { timeout: 30_000 }, async () => {
  const root = mkdtempSync(join(tmpdir(), 'zs-bitrot-'));
  try {
    const copies = ['a', 'b'].map((name) => join(root, name));
    const ids = Array.from({ length: 6 }, (_, i) => (i + 1).toString(16).padStart(2, '0').repeat(16));
    for (const dir of copies) {
      const store = await ChunkStore.open({ dir, capacityBytes: 1 << 30, freeSpaceReserveBytes: 0 });
      for (const [i, id] of ids.entries()) {
        const data = Buffer.alloc(100_000 + i, i + 1);
        const begun = await store.beginPut({ chunkId: id, length: data.length, crc32c: crc32c(data) });
        assert.equal(begun.kind, 'put');
        if (begun.kind === 'put') {
          await begun.put.write(data);
          await begun.put.commit();
        }
      }
      await store.close();
    }
    assert.equal((await chunkFiles(copies[0]!)).length, 6);
    const before = new Map((await chunkFiles(copies[0]!)).map((f) => [f, readFileSync(f)]));

    const flipped = await flipChunkBytes(copies[0]!, 3, 42);
    assert.equal(flipped.length, 3);
    assert.deepEqual((await flipChunkBytes(copies[1]!, 3, 42)).map((f) => [f.chunkId, f.offsets]), flipped.map((f) => [f.chunkId, f.offsets]));
    for (const f of flipped) {
      const was = before.get(f.path)!;
      const now = readFileSync(f.path);
      const differing = [...now.keys()].filter((k) => now[k] !== was[k]);
      assert.deepEqual(differing, f.offsets, 'exactly the reported bytes changed');
      assert.equal(f.offsets.length, FLIPPED_BYTES_PER_CHUNK);
      assert.ok(f.offsets.every((o) => o < 100_000), 'data bytes, not the footer');
    }

    const store = await ChunkStore.open({ dir: copies[0]!, capacityBytes: 1 << 30, freeSpaceReserveBytes: 0 });
    try {
      for (const id of ids) {
        const rotten = flipped.some((f) => f.chunkId === id);
        await (rotten ? assert.rejects(store.verify(id)) : store.verify(id));
      }
    } finally {
      await store.close();
    }
    assert.equal((await flipChunkBytes(join(root, 'none'), 2, 1)).length, 0, 'a node without chunks: nothing flipped');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('disk loss empties a directory but keeps it (it may be a mount point)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'zs-wipe-'));
  try {
    mkdirSync(join(dir, 'chunks', 'ab'), { recursive: true });
    writeFileSync(join(dir, 'chunks', 'ab', 'abcd'), 'x');
    writeFileSync(join(dir, 'node.json'), '{}');
    wipeDirectory(dir);
    assert.deepEqual(readdirSync(dir), []);
    wipeDirectory(join(dir, 'missing'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a meta-leader target with no leader is refused, naming why', async () => {
  const executor = new ChaosFaultExecutor({
    zones: {} as LocalZoneCluster, network: {} as ZoneNetwork, nodeDir: () => '/nowhere', leaderZone: async () => undefined, log: () => {},
  });
  await assert.rejects(executor.inject({ kind: 'zone-kill', zone: 'meta-leader' }), /no meta leader/);
});
