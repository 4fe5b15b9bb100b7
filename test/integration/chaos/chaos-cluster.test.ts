// The chaos cluster and its fault executor against one real three-zone cluster: every fault kind
// is injected, its real effect observed (a refused gateway, a new meta leader, an isolated zone
// that cannot write, a node DOWN in the placement map, changed chunk bytes, a full disk, a wiped
// one), then healed, and the cluster is healthy again with a PUT/GET through every gateway.
import { after, before, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { DataNodeClient } from '../../../services/data/data-client.ts';
import { ChaosCluster } from '../../chaos/cluster/chaos-cluster.ts';
import { chunkFiles } from '../../chaos/cluster/chunk-files.ts';
import { DISK_FILL_FILE, isRoot } from '../../chaos/cluster/disk-fill.ts';
import { placementNodes, type PlacementNode } from '../../chaos/cluster/cluster-probe.ts';
import { metaApiProxyName, metaRaftProxyName } from '../../chaos/cluster/chaos-cluster-plan.ts';
import { META_LEADER_ZONE } from '../../chaos/nemesis/nemesis-fault.ts';
import { bodyBytes, FAST_ZONE_ARGS, s3Client, seededBytes } from '../../clients/s3-cluster-fixture.ts';
import { waitFor } from '../cluster/cluster-fixture.ts';

const BUCKET = 'chaos-cluster';
const SEED = 8;
/** One S3 call against a healthy or faulty cluster: a stuck call is a failure, not a hang. */
const CALL_TIMEOUT_MS = 4_000;
/** A fault's effect or its healing shows within this. */
const EFFECT_TIMEOUT_MS = 20_000;
const HEALTHY_TIMEOUT_MS = 40_000;
const TEST_TIMEOUT_MS = 90_000;

let c: ChaosCluster;
let objectSeq = 0;

before(async () => {
  c = await ChaosCluster.start({
    seed: SEED, zoneArgs: FAST_ZONE_ARGS, keepRoot: process.env.ZS_KEEP_CHAOS_ROOT === '1', log: (l) => process.stderr.write(`# ${l}\n`),
  });
  await waitFor('the bucket', async () => {
    await createBucket(c.endpoints[0]!);
    return true;
  }, EFFECT_TIMEOUT_MS, 500);
}, { timeout: 120_000 });

after(async () => {
  await c?.stop();
});

async function createBucket(endpoint: string): Promise<void> {
  const s3 = s3Client(endpoint, c.credentials);
  try {
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }), { abortSignal: AbortSignal.timeout(CALL_TIMEOUT_MS) }).catch((err: { name?: string }) => {
      if (err.name !== 'BucketAlreadyOwnedByYou') throw err;
    });
  } finally {
    s3.destroy();
  }
}

/** PutObject through one gateway, bounded. */
async function put(endpoint: string, key: string, body: Buffer): Promise<void> {
  const s3 = s3Client(endpoint, c.credentials);
  try {
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }), { abortSignal: AbortSignal.timeout(CALL_TIMEOUT_MS) });
  } finally {
    s3.destroy();
  }
}

async function get(endpoint: string, key: string): Promise<Buffer> {
  const s3 = s3Client(endpoint, c.credentials);
  try {
    const res = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }), { abortSignal: AbortSignal.timeout(CALL_TIMEOUT_MS) });
    return await bodyBytes(res.Body);
  } finally {
    s3.destroy();
  }
}

/** A PUT and a GET of it through `endpoint`, retried until they work (the cluster may be re-electing). */
async function putAndGetEventually(endpoint: string, size = 10_000): Promise<string> {
  const key = `obj-${++objectSeq}`;
  const body = seededBytes(size, objectSeq);
  await waitFor(`PUT+GET ${key} via ${endpoint}`, async () => {
    await put(endpoint, key, body);
    assert.deepEqual(await get(endpoint, key), body);
    return true;
  }, EFFECT_TIMEOUT_MS, 300);
  return key;
}

async function healthyThroughEveryGateway(): Promise<void> {
  assert.deepEqual(c.unexpectedExits.map((e) => `${e.zone} exited (${e.how}): ${e.tail.join('\n')}`), [], 'no zone crashed');
  await c.waitHealthy(HEALTHY_TIMEOUT_MS);
  for (const endpoint of c.endpoints) await putAndGetEventually(endpoint);
}

async function node(id: string): Promise<PlacementNode | undefined> {
  return (await placementNodes(c.metaApiAddresses)).find((n) => n.id === id);
}

async function fails(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected the call to fail');
}

const otherEndpoints = (zone: string): string[] => c.endpoints.filter((_, i) => c.zones[i] !== zone);
const endpointOf = (zone: string): string => c.endpoints[c.zones.indexOf(zone)]!;

test('every cross-zone address is a proxy: the placement map lists proxies, and Raft runs through them', { timeout: TEST_TIMEOUT_MS }, async () => {
  const nodes = await placementNodes(c.metaApiAddresses);
  assert.equal(nodes.length, 9);
  for (const n of nodes) assert.equal(n.address, c.network.addressOf(n.id), `${n.id} is advertised at its proxy`);
  assert.deepEqual(c.topology.dataNodes['zone-2'], ['zone-2-data-1', 'zone-2-data-2', 'zone-2-data-3']);
  for (const zone of c.zones) {
    assert.ok(c.network.proxyOf(metaRaftProxyName(zone)).stats.accepted > 0, `Raft peers dial ${zone} through its proxy`);
  }
  // Followers forward writes (data node registrations, health reports) to the leader's API.
  const leader = await c.metaLeaderZone(EFFECT_TIMEOUT_MS);
  assert.ok(c.network.proxyOf(metaApiProxyName(leader!)).stats.accepted > 0, `the leader's API (${leader}) is dialed through its proxy`);
  // A shard stored in another zone crossed a data node proxy.
  await putAndGetEventually(c.endpoints[0]!, 300_000);
  const crossed = nodes.filter((n) => c.network.proxyOf(n.id).stats.deliveredBytes.forward > 0);
  assert.ok(crossed.length > 0, 'some data node proxy carried shard bytes');
});

test('zone-kill of the meta leader\'s zone: its gateway refuses, the others write; healed, it serves again', { timeout: TEST_TIMEOUT_MS }, async () => {
  const applied = await c.inject({ kind: 'zone-kill', zone: META_LEADER_ZONE });
  assert.equal(applied.fault.kind, 'zone-kill');
  const killed = (applied.fault as { zone: string }).zone;
  assert.ok(c.zones.includes(killed), `resolved to a zone, not ${killed}`);
  assert.match(applied.description, new RegExp(killed));
  try {
    await fails(get(endpointOf(killed), 'anything'));
    for (const endpoint of otherEndpoints(killed)) await putAndGetEventually(endpoint);
    const leader = await c.metaLeaderZone(EFFECT_TIMEOUT_MS);
    assert.ok(leader && leader !== killed, `a new leader outside ${killed} (got ${leader})`);
  } finally {
    await c.heal(applied);
  }
  await healthyThroughEveryGateway();
});

/**
 * The gateways outside a silent zone (paused or cut off, not refusing connections) write and
 * read back: their meta clients move off a replica that stops answering (this harness found
 * they once did not).
 */
async function othersKeepWriting(t: TestContext, silent: string): Promise<void> {
  await t.test(`the gateways outside ${silent} keep writing`, async () => {
    for (const endpoint of otherEndpoints(silent)) await putAndGetEventually(endpoint);
  });
}

test('zone-pause of the meta leader\'s zone: a leader is elected elsewhere', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const before = await c.metaLeaderZone(EFFECT_TIMEOUT_MS);
  const applied = await c.inject({ kind: 'zone-pause', zone: META_LEADER_ZONE });
  const paused = (applied.fault as { zone: string }).zone;
  assert.equal(paused, before);
  try {
    const leader = await waitFor('a leader outside the paused zone', async () => {
      const z = await c.metaLeaderZone(2_000);
      return z && z !== paused ? z : undefined;
    }, EFFECT_TIMEOUT_MS);
    assert.notEqual(leader, paused);
    await othersKeepWriting(t, paused);
  } finally {
    await c.heal(applied);
  }
  await healthyThroughEveryGateway();
});

test('network isolate: the isolated zone\'s gateway cannot write; healed, it writes again', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const leader = await c.metaLeaderZone(EFFECT_TIMEOUT_MS);
  const isolated = c.zones.find((z) => z !== leader)!;
  const applied = await c.inject({ kind: 'network', fault: { kind: 'isolate', zone: isolated } });
  assert.match(applied.description, /isolate/);
  try {
    await fails(put(endpointOf(isolated), `isolated-${objectSeq}`, Buffer.from('lost?')));
    const elsewhere = await c.metaLeaderZone(EFFECT_TIMEOUT_MS);
    assert.ok(elsewhere && elsewhere !== isolated, `the majority side has a leader (${elsewhere})`);
    await othersKeepWriting(t, isolated);
  } finally {
    await c.heal(applied);
  }
  assert.deepEqual(c.network.activeFaults, []);
  await healthyThroughEveryGateway();
});

test('node-kill: the node is DOWN in the placement map; healed, UP again', { timeout: TEST_TIMEOUT_MS }, async () => {
  const id = 'zone-2-data-1';
  const applied = await c.inject({ kind: 'node-kill', zone: 'zone-2', node: id });
  try {
    await waitFor(`${id} DOWN`, async () => (await node(id))?.up === false, EFFECT_TIMEOUT_MS);
    // Writes go on without it.
    await putAndGetEventually(c.endpoints[1]!);
  } finally {
    await c.heal(applied);
  }
  await waitFor(`${id} UP`, async () => (await node(id))?.up === true, EFFECT_TIMEOUT_MS);
  await healthyThroughEveryGateway();
});

test('bitrot: chunk data bytes change on disk, and the object still reads back intact', { timeout: TEST_TIMEOUT_MS }, async () => {
  const body = seededBytes(2_000_000, 77);
  await waitFor('a striped object', async () => {
    await put(c.endpoints[0]!, 'rotting', body);
    return true;
  }, EFFECT_TIMEOUT_MS, 300);
  const id = 'zone-3-data-1';
  const dir = c.nodeDir(id);
  const files = await chunkFiles(dir);
  assert.ok(files.length > 0, `${id} stores chunks`);
  const beforeBytes = new Map(await Promise.all(files.map(async (f) => [f, await readFile(f)] as const)));
  const applied = await c.inject({ kind: 'bitrot', zone: 'zone-3', node: id, chunks: 2, seed: 5 });
  await c.heal(applied);
  let changed = 0;
  for (const [f, was] of beforeBytes) {
    const now = await readFile(f);
    assert.equal(now.length, was.length);
    if (!now.equals(was)) changed++;
  }
  assert.equal(changed, Math.min(2, files.length), `${changed} of ${files.length} chunk files changed`);
  assert.deepEqual(await get(c.endpoints[2]!, 'rotting'), body, 'rebuilt from the other shards');
  await healthyThroughEveryGateway();
});

test('disk-full: the node\'s disk is full and refuses chunks; healed, it takes them again', {
  timeout: TEST_TIMEOUT_MS, skip: !isRoot() && 'disk-full needs root (a tmpfs per data node)',
}, async () => {
  const id = 'zone-3-data-2';
  const address = (await node(id))!.address;
  const client = new DataNodeClient(address, { timeoutMs: CALL_TIMEOUT_MS });
  const chunk = (): Promise<unknown> => client.putChunkBytes(randomBytes(16).toString('hex'), randomBytes(64 * 1024));
  try {
    const applied = await c.inject({ kind: 'disk-full', zone: 'zone-3', node: id });
    assert.match(applied.description, /MiB written/);
    try {
      const info = await client.nodeInfo();
      assert.ok(Number(info.filesystemFreeBytes) < 1024 * 1024, `free ${info.filesystemFreeBytes}`);
      const err = await fails(chunk());
      assert.equal((err as { code?: number }).code, status.RESOURCE_EXHAUSTED, err.message);
      // The cluster writes around the full node.
      await putAndGetEventually(c.endpoints[2]!);
    } finally {
      await c.heal(applied);
    }
    assert.ok(!(await readdir(c.nodeDir(id))).includes(DISK_FILL_FILE));
    await chunk();
  } finally {
    client.close();
  }
  await healthyThroughEveryGateway();
});

test('disk-loss: the node comes back with an empty directory and is UP', { timeout: TEST_TIMEOUT_MS }, async () => {
  const id = 'zone-1-data-2';
  const applied = await c.inject({ kind: 'disk-loss', zone: 'zone-1', node: id });
  await c.heal(applied);
  assert.deepEqual(await chunkFiles(c.nodeDir(id)), [], 'no chunks survive');
  await waitFor(`${id} UP`, async () => (await node(id))?.up === true, EFFECT_TIMEOUT_MS);
  await healthyThroughEveryGateway();
});

test('healAll puts back several faults at once', { timeout: TEST_TIMEOUT_MS }, async () => {
  await c.inject({ kind: 'node-kill', zone: 'zone-1', node: 'zone-1-data-3' });
  await c.inject({ kind: 'network', fault: { kind: 'cut', from: 'zone-2', to: 'zone-3' } });
  await c.inject({ kind: 'zone-pause', zone: 'zone-3' });
  await c.healAll();
  assert.deepEqual(c.network.activeFaults, []);
  await healthyThroughEveryGateway();
});
