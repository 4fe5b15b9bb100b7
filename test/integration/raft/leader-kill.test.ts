// Three real kv-node processes (gRPC transport, classic-level log) on loopback: kill the
// leader with SIGKILL while writes are in flight, check a new leader takes writes, restart the
// whole cluster, and check that every write that was acknowledged is still there.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KvClusterClient } from '../../../services/cli/raftkv/kv-cluster-client.ts';
import { LocalKvCluster } from '../../../services/cli/raftkv/local-kv-cluster.ts';

const TEST_TIMEOUT_MS = 180_000;
const LEADER_WAIT_MS = 30_000;
const WRITE_TIMEOUT_MS = 15_000;
const WRITES_BEFORE_KILL = 300;
const WRITES_AFTER_KILL = 100;
const WRITE_CONCURRENCY = 16;
const enc = new TextEncoder();
const dec = new TextDecoder();

async function findLeader(client: KvClusterClient, cluster: LocalKvCluster, exclude?: string): Promise<string> {
  const deadline = Date.now() + LEADER_WAIT_MS;
  while (Date.now() < deadline) {
    for (const [id, spec] of cluster.specs) {
      if (id === exclude || !cluster.node(id)?.running) continue;
      const s = await client.status(spec.kvAddr, 1_000).catch(() => undefined);
      if (s?.role === 'leader') return id;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no leader${exclude ? ` other than ${exclude}` : ''} within ${LEADER_WAIT_MS} ms`);
}

/** Writes `count` keys with `prefix`, WRITE_CONCURRENCY at a time; returns those acknowledged. */
async function writeKeys(client: KvClusterClient, prefix: string, count: number, stop?: () => boolean): Promise<Map<string, string>> {
  const acked = new Map<string, string>();
  let next = 0;
  const lane = async () => {
    while (next < count && !stop?.()) {
      const key = `${prefix}-${next++}`;
      const value = `value-of-${key}`;
      try {
        await client.put(enc.encode(key), enc.encode(value), WRITE_TIMEOUT_MS);
        acked.set(key, value);
      } catch {
        // Unacknowledged (e.g. in flight when the leader died): the outcome is unknown, not asserted.
      }
    }
  };
  await Promise.all(Array.from({ length: WRITE_CONCURRENCY }, lane));
  return acked;
}

function logTails(cluster: LocalKvCluster): string {
  return [...cluster.specs.values()].map((s) => {
    let text = '';
    try {
      text = readFileSync(s.logFile, 'utf8').split('\n').slice(-15).join('\n');
    } catch { /* no log yet */ }
    return `--- ${s.id} (${s.logFile}) ---\n${text}`;
  }).join('\n');
}

test('after the leader is SIGKILLed a new one takes writes, and every acknowledged write survives a full restart', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'zs-leader-kill-'));
  // Small ticks for quick elections; frequent snapshots so restarts also recover from snapshots.
  const cluster = await LocalKvCluster.plan({ root, tickMs: 50, snapshotEvery: 100, env: { ...process.env, LOG_LEVEL: 'info' } });
  const killOnExit = () => cluster.killAllNow();
  process.on('exit', killOnExit);
  const client = new KvClusterClient(cluster.kvEndpoints);
  try {
    await cluster.startAll();
    const first = await findLeader(client, cluster);

    const acked = await writeKeys(client, 'before', WRITES_BEFORE_KILL);
    assert.equal(acked.size, WRITES_BEFORE_KILL, 'with a healthy cluster every write is acknowledged');

    // Keep writing while the leader dies: whatever gets acknowledged must survive too.
    let killed = false;
    const inFlight = writeKeys(client, 'during', 1_000, () => killed);
    await new Promise((r) => setTimeout(r, 200));
    await cluster.kill(first, 'SIGKILL');
    killed = true;
    const during = await inFlight;
    for (const [k, v] of during) acked.set(k, v);
    t.diagnostic(`leader ${first} killed; ${during.size} writes acknowledged while it died`);

    const second = await findLeader(client, cluster, first);
    assert.notEqual(second, first);
    const after = await writeKeys(client, 'after', WRITES_AFTER_KILL);
    assert.equal(after.size, WRITES_AFTER_KILL, 'the new leader acknowledges every write');
    for (const [k, v] of after) acked.set(k, v);

    await cluster.stopAll();
    await cluster.startAll();
    await findLeader(client, cluster);

    const missing: string[] = [];
    for (const [key, value] of acked) {
      const r = await client.get(enc.encode(key), WRITE_TIMEOUT_MS);
      if (!r.found || dec.decode(r.value) !== value) missing.push(key);
    }
    assert.deepEqual(missing, [], `acknowledged writes lost after restart (${acked.size} acknowledged)`);

    // Every replica, the once-killed leader included, converges on the same applied index.
    const leaderStatus = await client.status(cluster.specs.get(await findLeader(client, cluster))!.kvAddr);
    const deadline = Date.now() + LEADER_WAIT_MS;
    for (const spec of cluster.specs.values()) {
      for (;;) {
        const s = await client.status(spec.kvAddr, 1_000).catch(() => undefined);
        if (s && s.applied >= leaderStatus.commit) break;
        if (Date.now() > deadline) throw new Error(`${spec.id} did not catch up to ${leaderStatus.commit}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    t.diagnostic(`${acked.size} acknowledged writes all readable after restart; all replicas at ≥ ${leaderStatus.commit}`);
  } catch (err) {
    (err as Error).message += `\n${logTails(cluster)}`;
    throw err;
  } finally {
    client.close();
    await cluster.stopAll();
    process.off('exit', killOnExit);
    rmSync(root, { recursive: true, force: true });
  }
});
