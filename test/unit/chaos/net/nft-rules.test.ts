// The nft text a fault list becomes: one drop rule per ordered zone pair whose packets are lost,
// matching only the two zones' own addresses; `slow` makes none; nothing inside a zone.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  createTableScript, deleteTableArgs, droppedPairs, faultRulesScript, listsTable, newTableName, NFT_TABLE_PREFIX,
} from '../../../chaos/net/nft-rules.ts';
import type { NetworkFault } from '../../../chaos/net/partition-plan.ts';

const ZONES = [1, 2, 3].map((i) => ({ zone: `zone-${i}`, host: `127.0.0.1${i}` }));
const T = 'zonestore_chaos_42_1_abcdef';
const FLUSH = `flush chain ip ${T} zone_faults`;
const drop = (from: number, to: number): string =>
  `add rule ip ${T} zone_faults ip saddr 127.0.0.1${from} ip daddr 127.0.0.1${to} drop`;
const script = (faults: NetworkFault[]): string => faultRulesScript(T, ZONES, faults);
const expected = (...rules: string[]): string => [FLUSH, ...rules, ''].join('\n');

test('the table: created (never adopted), one filter chain on the output hook, deleted whole', () => {
  assert.equal(createTableScript(T), [
    `create table ip ${T}`,
    `add chain ip ${T} zone_faults { type filter hook output priority 0 ; policy accept ; }`,
    '',
  ].join('\n'));
  assert.deepEqual(deleteTableArgs(T), ['delete', 'table', 'ip', T]);
});

test('generated names carry the prefix, pid, counter and tag; unsafe names are refused', () => {
  assert.equal(newTableName(4242, 7, '0a1b2c'), `${NFT_TABLE_PREFIX}4242_7_0a1b2c`);
  for (const bad of ['', '1abc', 'a b', 'x;flush ruleset', 'a-b', 'a'.repeat(64)]) {
    assert.throws(() => createTableScript(bad), /bad nft table name/, bad);
  }
});

test('no faults: the chain is flushed and empty', () => {
  assert.equal(script([]), expected());
});

test('isolate: the zone\'s packets both ways with each other zone', () => {
  assert.equal(script([{ kind: 'isolate', zone: 'zone-1' }]), expected(drop(1, 2), drop(1, 3), drop(2, 1), drop(3, 1)));
});

test('mute: only the zone\'s own packets (one way); it still hears the others', () => {
  assert.equal(script([{ kind: 'mute', zone: 'zone-2' }]), expected(drop(2, 1), drop(2, 3)));
});

test('cut: both directions between the two zones; the third is untouched', () => {
  assert.equal(script([{ kind: 'cut', from: 'zone-1', to: 'zone-3' }]), expected(drop(1, 3), drop(3, 1)));
});

test('cut oneWay: only from → to', () => {
  assert.equal(script([{ kind: 'cut', from: 'zone-3', to: 'zone-1', oneWay: true }]), expected(drop(3, 1)));
});

test('slow: no rule (delays need netem; the proxy does them)', () => {
  assert.equal(script([{ kind: 'slow', zone: 'zone-2', ms: 200, jitterMs: 50 }]), expected());
});

test('combined: the union of the drops, each pair once, slow still ignored', () => {
  const faults: NetworkFault[] = [
    { kind: 'mute', zone: 'zone-1' },
    { kind: 'cut', from: 'zone-1', to: 'zone-2' },
    { kind: 'cut', from: 'zone-3', to: 'zone-2', oneWay: true },
    { kind: 'slow', zone: 'zone-3', ms: 100 },
  ];
  assert.equal(script(faults), expected(drop(1, 2), drop(1, 3), drop(2, 1), drop(3, 2)));
});

test('rules match zones only by their own addresses and never a zone with itself', () => {
  const faults: NetworkFault[] = [{ kind: 'isolate', zone: 'zone-1' }, { kind: 'isolate', zone: 'zone-2' }, { kind: 'isolate', zone: 'zone-3' }];
  const rules = script(faults).split('\n').filter((l) => l.startsWith('add rule'));
  assert.equal(rules.length, 6, 'every ordered pair of distinct zones, nothing more');
  const hosts = new Set(ZONES.map((z) => z.host));
  for (const rule of rules) {
    const m = /^add rule ip \S+ zone_faults ip saddr (\S+) ip daddr (\S+) drop$/.exec(rule);
    assert.ok(m, rule);
    assert.ok(hosts.has(m[1]!) && hosts.has(m[2]!), `only zone addresses: ${rule}`);
    assert.notEqual(m[1], m[2], `never inside a zone: ${rule}`);
  }
  assert.ok(!/\/|0\.0\.0\.0|127\.0\.0\.1 /.test(script(faults)), 'no prefixes, no wildcard, not the shared 127.0.0.1');
  assert.deepEqual(droppedPairs(ZONES, faults).filter((p) => p.from.zone === p.to.zone), []);
});

test('zone addresses must be distinct 127.0.0.0/8 IPv4 addresses; faults must name known zones', () => {
  const bad = (host: string) => [{ zone: 'zone-1', host }, { zone: 'zone-2', host: '127.0.0.12' }];
  for (const host of ['10.0.0.1', '127.0.0.0/8', '127.0.0.256', '127.0.0.011', '::1', 'localhost', '127.0.0.12']) {
    assert.throws(() => faultRulesScript(T, bad(host), []), /loopback|already another zone/, host);
  }
  assert.throws(() => faultRulesScript(T, [ZONES[0]!, { ...ZONES[1]!, zone: 'zone-1' }], []), /listed twice/);
  assert.throws(() => script([{ kind: 'isolate', zone: 'zone-9' }]), /names zone zone-9/);
  assert.throws(() => script([{ kind: 'cut', from: 'zone-1', to: 'zone-4' }]), /names zone zone-4/);
});

test('listsTable reads `nft list tables` output exactly', () => {
  const out = `table inet filter\ntable ip ${T}\ntable ip ${T}_x\n`;
  assert.equal(listsTable(out, T), true);
  assert.equal(listsTable('table inet filter\n', T), false);
  assert.equal(listsTable(`table ip ${T}_x\n`, T), false);
});
