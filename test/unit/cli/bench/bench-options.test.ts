// Flags → a run's plan: defaults per scenario, refusals worded for the user, the listing layout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_ROUNDS_WITH_VS, planFromFlags, type BenchFlags } from '../../../../services/cli/bench/bench-options.ts';
import { flatListKey, nestedDirectories, nestedListKey, parseRatio, poolCount } from '../../../../services/cli/bench/scenario-config.ts';
import { splitEndpoint } from '../../../../services/cli/bench/bench-s3-client.ts';

const flags = (more: Partial<BenchFlags> = {}): BenchFlags => ({
  region: 'us-east-1', gateways: 'spread', concurrency: 8, keys: 'random', poolBytes: '1GiB', ratio: '70:30', partSize: '8MiB',
  partsInFlight: 4, listKeys: 2000, listLayout: 'flat', listFanout: 10, pageSize: 1000, seed: 1, opTimeout: 120, checksums: 'required',
  progress: true, ...more,
});

test('defaults: 10 s, one round alone and four side by side, sizes per scenario', () => {
  const put = planFromFlags('put', flags(), 1);
  assert.equal(put.durationMs, 10_000);
  assert.equal(put.ops, undefined);
  assert.equal(put.rounds, 1);
  assert.deepEqual(put.scenario.size, { kind: 'fixed', bytes: 4096 });
  assert.equal(planFromFlags('put', flags(), 2).rounds, DEFAULT_ROUNDS_WITH_VS);
  assert.deepEqual(planFromFlags('multipart', flags(), 1).scenario.size, { kind: 'fixed', bytes: 64 * 2 ** 20 });
  assert.equal(planFromFlags('small-files', flags(), 1).scenario.size.kind, 'range');
  const del = planFromFlags('delete', flags({ ops: 500 }), 1);
  assert.equal(del.scenario.keyCount, 500, 'delete prepares as many objects as operations asked');
  assert.equal(del.durationMs, undefined);
  assert.equal(planFromFlags('mixed', flags({ ratio: '80:20' }), 1).scenario.getPercent, 80);
});

test('refusals', () => {
  assert.throws(() => planFromFlags('put', flags({ duration: 5, ops: 10 }), 1), /--duration or --ops/);
  assert.throws(() => planFromFlags('multipart', flags({ partSize: '1MiB' }), 1), /at least 5MiB/);
  assert.throws(() => parseRatio('70'), /GET:PUT/);
  assert.throws(() => splitEndpoint('ftp://x'), /http/);
});

test('credentials may ride in the endpoint URL', () => {
  assert.deepEqual(splitEndpoint('http://AK%2F1:s3cr%40t@127.0.0.1:9000/'), {
    endpoint: 'http://127.0.0.1:9000', credentials: { accessKeyId: 'AK/1', secretAccessKey: 's3cr@t' },
  });
  assert.deepEqual(splitEndpoint('https://s3.example.com'), { endpoint: 'https://s3.example.com', credentials: undefined });
});

test('GET pool: --key-count objects unless --pool-bytes holds fewer', () => {
  const p = planFromFlags('get', flags({ size: '64MiB', poolBytes: '512MiB' }), 1).scenario;
  assert.equal(poolCount(p), 8);
  assert.equal(poolCount(planFromFlags('get', flags(), 1).scenario), 64);
});

test('the nested listing tree: every key sits in one of the leaf directories, spread evenly', () => {
  const dirs = nestedDirectories(3);
  assert.equal(dirs.length, 1 + 3 + 9);
  const counts = new Map<string, number>();
  for (let i = 0; i < 90; i++) {
    const key = nestedListKey(i, 3);
    const dir = key.slice(0, key.lastIndexOf('/') + 1);
    assert.ok(dirs.includes(dir), key);
    counts.set(dir, (counts.get(dir) ?? 0) + 1);
  }
  assert.deepEqual([...new Set(counts.values())], [10]);
  assert.ok(flatListKey(5) < flatListKey(40), 'flat keys sort in index order');
});
