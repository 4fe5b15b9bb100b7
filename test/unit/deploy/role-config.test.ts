// Role configuration: flag over environment over config file over default, and validation
// errors that name the flag and the variable.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { z } from 'zod';
import {
  addCommonRoleOptions, commonRoleSchema, envNameOf, mergedOptions, metaPeersField, parseRoleConfig, portField, roleOption,
} from '../../../services/cli/roles/role-config.ts';

const schema = commonRoleSchema.extend({ metaPeers: metaPeersField, port: portField.default(9000) });

function parse(argv: string[], env: Record<string, string>): z.infer<typeof schema> {
  const saved = { ...process.env };
  try {
    for (const k of Object.keys(process.env)) if (k.startsWith('ZONESTORE_')) delete process.env[k];
    Object.assign(process.env, env);
    const cmd = new Command('gateway').exitOverride();
    addCommonRoleOptions(cmd);
    roleOption(cmd, '--meta-peers <list>', 'peers');
    roleOption(cmd, '--port <port>', 'port');
    cmd.parse(argv, { from: 'user' });
    return parseRoleConfig(schema, mergedOptions(cmd));
  } finally {
    process.env = saved;
  }
}

test('environment variable names: ZONESTORE_ + the flag in upper snake case', () => {
  assert.equal(envNameOf('--meta-peers'), 'ZONESTORE_META_PEERS');
  assert.equal(envNameOf('--health-port'), 'ZONESTORE_HEALTH_PORT');
});

test('a flag beats the environment, which beats the file, which beats the default', () => {
  const dir = mkdtempSync(join(tmpdir(), 'zs-role-config-'));
  try {
    const file = join(dir, 'c.json');
    writeFileSync(file, JSON.stringify({ zone: 'zone-file', port: 9001, healthPort: 9100, metaPeers: ['m1=a:1/a:2', 'm2=b:1/b:2'], gateway: { healthPort: 9200 } }));
    const c = parse(['--port', '9003'], { ZONESTORE_CONFIG: file, ZONESTORE_ZONE: 'zone-env', ZONESTORE_PORT: '9002' });
    assert.equal(c.port, 9003);
    assert.equal(c.zone, 'zone-env');
    assert.equal(c.healthPort, 9200);
    assert.equal(c.listenHost, '0.0.0.0');
    assert.deepEqual(c.metaPeers, { m1: { raftAddress: 'a:1', apiAddress: 'a:2' }, m2: { raftAddress: 'b:1', apiAddress: 'b:2' } });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('comma-separated peers from the environment; bad values are named with flag and variable', () => {
  const c = parse([], { ZONESTORE_ZONE: 'zone-1', ZONESTORE_META_PEERS: 'm1=meta-1:7001/meta-1:7000, m2=meta-2:7001/meta-2:7000' });
  assert.equal(c.metaPeers.m2!.apiAddress, 'meta-2:7000');
  assert.throws(() => parse(['--port', 'x'], { ZONESTORE_ZONE: 'Zone 1', ZONESTORE_META_PEERS: 'nonsense' }), (err: Error) => {
    assert.match(err.message, /--zone \(ZONESTORE_ZONE\)/);
    assert.match(err.message, /--meta-peers \(ZONESTORE_META_PEERS\): expected id=raftHost:port\/apiHost:port/);
    assert.match(err.message, /--port \(ZONESTORE_PORT\)/);
    return true;
  });
});

test('a config file key no option has is refused, not ignored', () => {
  const dir = mkdtempSync(join(tmpdir(), 'zs-role-config-'));
  try {
    const file = join(dir, 'c.json');
    writeFileSync(file, JSON.stringify({ zone: 'zone-1', metaPeers: 'm1=a:1/a:2', gatewayPortt: 1 }));
    assert.throws(() => parse(['--config', file], {}), /sets gatewayPortt, which no role has an option for/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
