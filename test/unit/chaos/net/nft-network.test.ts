// The nftables backend with real rules on real loopback sockets: servers on the zone addresses,
// clients bound to their zone's address. Needs root and nft (installed from Debian when missing
// and root); anywhere else the skip is declared up front with its reason, never taken mid-test.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { runNftOk } from '../../../chaos/net/nft-exec.ts';
import { NftNetwork } from '../../../chaos/net/nft-network.ts';
import { listsTable } from '../../../chaos/net/nft-rules.ts';
import { prepareNftables } from '../../../chaos/net/nft-setup.ts';

/**
 * Kernel rules are host-wide, unlike a proxy: dropping 127.0.0.11 ↔ 127.0.0.12 would break the
 * cluster tests that run beside this file (test-concurrency 2) on those addresses. So this file's
 * zones live on loopback addresses no other test uses.
 */
const ZONES = [1, 2, 3].map((i) => ({ zone: `zone-${i}`, host: `127.86.0.1${i}` }));
const HOST: Record<string, string> = Object.fromEntries(ZONES.map((z) => [z.zone, z.host]));
/** A dropped SYN is retransmitted after ~1 s, so a connect that has not completed in this is lost. */
const LOST_WITHIN_MS = 500;
/** A healthy loopback connect or datagram takes well under a millisecond; generous for a busy CI box. */
const ARRIVES_WITHIN_MS = 2_000;
const CHILD_TIMEOUT_MS = 30_000;

const skipReason = await prepareNftables();
if (skipReason) console.log(`# nft network tests skipped: ${skipReason}`);

const servers: Server[] = [];
const sockets: Socket[] = [];
const udp = new Map<string, UdpSocket>();
const tcpPort = new Map<string, number>();
const heard = new Map<string, string[]>();
let nft: NftNetwork | undefined;

before(async () => {
  if (skipReason) return;
  for (const z of ZONES) {
    const server = createServer((s) => { sockets.push(s); s.on('error', () => undefined); });
    await new Promise<void>((resolve, reject) => { server.once('error', reject); server.listen(0, z.host, () => resolve()); });
    servers.push(server);
    tcpPort.set(z.zone, (server.address() as { port: number }).port);
    const u = createSocket('udp4');
    await new Promise<void>((resolve, reject) => { u.once('error', reject); u.bind(0, z.host, () => resolve()); });
    u.on('error', () => undefined);
    heard.set(z.zone, []);
    u.on('message', (m) => heard.get(z.zone)!.push(m.toString()));
    udp.set(z.zone, u);
  }
  nft = await NftNetwork.start({ zones: ZONES });
});

after(async () => {
  await nft?.stop();
  for (const s of sockets) s.destroy();
  for (const u of udp.values()) u.close();
  await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
});

/** Whether a TCP connect from `from`'s address (or `localAddress`) to `to`'s server completes within `ms`. */
async function connects(from: string, to: string, ms: number, localAddress = HOST[from]!): Promise<boolean> {
  const socket = connect({ host: HOST[to]!, port: tcpPort.get(to)!, localAddress });
  sockets.push(socket);
  socket.on('error', () => undefined);
  try {
    return await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), ms);
      socket.once('connect', () => { clearTimeout(timer); resolve(true); });
      socket.once('close', () => { clearTimeout(timer); resolve(false); });
    });
  } finally {
    socket.destroy();
  }
}

/** Sends a tagged datagram from `from`'s UDP socket to `to`'s and says whether it arrived within `ms`. */
async function datagramArrives(from: string, to: string, ms: number): Promise<boolean> {
  const tag = `${from}->${to}#${Math.random().toString(36).slice(2)}`;
  const inbox = heard.get(to)!;
  // A send the kernel refuses (nft drops locally sent packets with EPERM) is a lost datagram too.
  udp.get(from)!.send(tag, (udp.get(to)!.address()).port, HOST[to], () => undefined);
  const deadline = Date.now() + ms;
  while (!inbox.includes(tag) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  return inbox.includes(tag);
}

test('no faults: every zone reaches every other', { skip: skipReason }, async () => {
  for (const a of ZONES) {
    for (const b of ZONES) {
      if (a === b) continue;
      assert.equal(await connects(a.zone, b.zone, ARRIVES_WITHIN_MS), true, `${a.zone} → ${b.zone}`);
    }
  }
});

test('isolate zone-1: it cannot connect out nor be connected to; zone-2 ↔ zone-3 still work', { skip: skipReason }, async () => {
  await nft!.apply([{ kind: 'isolate', zone: 'zone-1' }]);
  try {
    assert.equal(await connects('zone-1', 'zone-2', LOST_WITHIN_MS), false, '.11 → .12 lost');
    assert.equal(await connects('zone-3', 'zone-1', LOST_WITHIN_MS), false, '.13 → .11 lost');
    assert.equal(await connects('zone-2', 'zone-3', ARRIVES_WITHIN_MS), true, '.12 → .13 works');
    assert.equal(await connects('zone-3', 'zone-2', ARRIVES_WITHIN_MS), true, '.13 → .12 works');
    assert.equal(await connects('zone-1', 'zone-2', ARRIVES_WITHIN_MS, '127.0.0.1'), true,
      'only zone addresses are matched: 127.0.0.1 (no zone) still reaches zone-2');
  } finally {
    await nft!.heal();
  }
});

test('mute zone-1 (one-way): its packets are lost, the others\' arrive', { skip: skipReason }, async () => {
  await nft!.apply([{ kind: 'mute', zone: 'zone-1' }]);
  try {
    // A TCP handshake needs packets both ways, so a one-way loss breaks new connections in
    // either direction: zone-1's SYN is lost; zone-2's SYN reaches zone-1 but the SYN-ACK is lost.
    assert.equal(await connects('zone-1', 'zone-2', LOST_WITHIN_MS), false, '.11 → .12: SYN lost');
    assert.equal(await connects('zone-2', 'zone-1', LOST_WITHIN_MS), false, '.12 → .11: SYN-ACK lost');
    // Datagrams show the direction: zone-1 still hears, nobody hears zone-1.
    assert.equal(await datagramArrives('zone-2', 'zone-1', ARRIVES_WITHIN_MS), true, '.12 → .11 datagram arrives');
    assert.equal(await datagramArrives('zone-1', 'zone-2', LOST_WITHIN_MS), false, '.11 → .12 datagram lost');
    assert.equal(await datagramArrives('zone-2', 'zone-3', ARRIVES_WITHIN_MS), true, '.12 → .13 untouched');
  } finally {
    await nft!.heal();
  }
});

test('heal restores everything; the table is then empty', { skip: skipReason }, async () => {
  await nft!.apply([{ kind: 'cut', from: 'zone-1', to: 'zone-3' }, { kind: 'mute', zone: 'zone-2' }]);
  assert.equal(await datagramArrives('zone-1', 'zone-3', LOST_WITHIN_MS), false);
  await nft!.heal();
  assert.deepEqual(nft!.activeFaults, []);
  assert.equal(await connects('zone-1', 'zone-3', ARRIVES_WITHIN_MS), true);
  assert.equal(await connects('zone-2', 'zone-1', ARRIVES_WITHIN_MS), true);
  assert.equal(await datagramArrives('zone-1', 'zone-3', ARRIVES_WITHIN_MS), true);
  assert.equal(await datagramArrives('zone-2', 'zone-3', ARRIVES_WITHIN_MS), true);
  const listed = await runNftOk(['list', 'table', 'ip', nft!.tableName]);
  assert.doesNotMatch(listed.stdout, /drop/);
});

test('a fault naming an unknown zone is refused and the rules in force stay', { skip: skipReason }, async () => {
  await nft!.apply([{ kind: 'cut', from: 'zone-2', to: 'zone-3', oneWay: true }]);
  try {
    await assert.rejects(nft!.apply([{ kind: 'isolate', zone: 'zone-9' }]), /zone-9/);
    assert.equal(await datagramArrives('zone-2', 'zone-3', LOST_WITHIN_MS), false, 'the cut is still in force');
    assert.equal(await datagramArrives('zone-3', 'zone-2', ARRIVES_WITHIN_MS), true, 'one way only');
  } finally {
    await nft!.heal();
  }
});

/** Runs a child that starts a network, applies a fault and then ends by `ending`; returns its table and how it ended. */
async function childTable(ending: string): Promise<{ table: string; code: number | null; signal: string | null }> {
  const module = fileURLToPath(new URL('../../../chaos/net/nft-network.ts', import.meta.url));
  const script = `import { NftNetwork } from ${JSON.stringify(module)};
    const n = await NftNetwork.start({ zones: ${JSON.stringify(ZONES)} });
    await n.apply([{ kind: 'isolate', zone: 'zone-1' }]);
    console.log(n.tableName);
    ${ending};
    setTimeout(() => process.exit(3), ${CHILD_TIMEOUT_MS});`;
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { timeout: CHILD_TIMEOUT_MS },
      (err, out, errOut) => {
        const e = err as (Error & { code?: number | string; signal?: string; killed?: boolean }) | null;
        if (e?.killed) reject(new Error(`child outlived ${CHILD_TIMEOUT_MS} ms\n${errOut}`));
        else resolve({ table: out.trim(), code: typeof e?.code === 'number' ? e.code : (e ? null : 0), signal: e?.signal ?? null });
      });
  });
}

test('a process that exits without stop leaves no table behind (exit handler)', { skip: skipReason, timeout: CHILD_TIMEOUT_MS }, async () => {
  const { table, code } = await childTable('process.exit(0)');
  assert.equal(code, 0);
  assert.match(table, /^zonestore_chaos_\d+_\d+_[0-9a-f]+$/);
  assert.equal(listsTable((await runNftOk(['list', 'tables'])).stdout, table), false, `${table} deleted on exit`);
});

test('a process killed by SIGTERM deletes its table and still dies by the signal', { skip: skipReason, timeout: CHILD_TIMEOUT_MS }, async () => {
  const { table, signal } = await childTable("process.kill(process.pid, 'SIGTERM')");
  assert.equal(signal, 'SIGTERM');
  assert.match(table, /^zonestore_chaos_/);
  assert.equal(listsTable((await runNftOk(['list', 'tables'])).stdout, table), false, `${table} deleted on SIGTERM`);
});

test('stop deletes the table and is idempotent; apply after stop fails', { skip: skipReason }, async () => {
  const own = await NftNetwork.start({ zones: ZONES });
  await own.apply([{ kind: 'isolate', zone: 'zone-2' }]);
  assert.equal(listsTable((await runNftOk(['list', 'tables'])).stdout, own.tableName), true);
  await own.stop();
  await own.stop();
  assert.equal(listsTable((await runNftOk(['list', 'tables'])).stdout, own.tableName), false);
  assert.equal(await connects('zone-2', 'zone-3', ARRIVES_WITHIN_MS), true, 'its rules went with it');
  await assert.rejects(own.apply([]), /stopped/);
  const late = await NftNetwork.start({ zones: ZONES });
  const applied = late.apply([{ kind: 'mute', zone: 'zone-3' }]);
  const stopped = late.stop();
  await applied; // called before stop, so it runs (in order) before the table goes
  await stopped;
  assert.equal(listsTable((await runNftOk(['list', 'tables'])).stdout, late.tableName), false);
  await nft!.stop();
  assert.equal(listsTable((await runNftOk(['list', 'tables'])).stdout, nft!.tableName), false);
  await nft!.stop();
});
