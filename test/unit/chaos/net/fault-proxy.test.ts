// The fault-injecting proxy with real sockets on loopback: bytes pass intact and in order; a
// dropped direction holds them (bounded: the sender is paused) and releases them on heal; a
// delay delays; reset resets; a one-way cut lets requests in but no answers out; a link that
// drops forward does not even connect upstream; links are told apart by source address; stop
// closes everything. Every server and socket is closed in teardown.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterEach, test } from 'node:test';
import { canListenOn, freePorts } from '../../../../services/common/free-ports.ts';
import { FaultProxy } from '../../../chaos/net/fault-proxy.ts';
import { delay, DROP, PASS, RESET } from '../../../chaos/net/link-mode.ts';

const HOST = '127.0.0.1';
const WAIT_MS = 5_000;
const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function waitUntil(what: string, cond: () => boolean, timeoutMs = WAIT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A target that echoes everything back and counts what it received and how often it was dialled. */
async function echoServer(host = HOST): Promise<{ server: Server; port: number; received: () => number; connections: () => number; remotes: string[] }> {
  let received = 0;
  let connections = 0;
  const remotes: string[] = [];
  const sockets = new Set<Socket>();
  const server = createServer({ allowHalfOpen: true }, (s) => {
    connections++;
    remotes.push(s.remoteAddress ?? '');
    sockets.add(s);
    s.on('data', (d: Buffer) => { received += d.length; s.write(d); });
    s.on('end', () => s.end());
    s.on('error', () => undefined);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, host, () => resolve()));
  cleanups.push(() => new Promise<void>((resolve) => {
    for (const s of sockets) s.destroy();
    server.close(() => resolve());
  }));
  return { server, port: (server.address() as { port: number }).port, received: () => received, connections: () => connections, remotes };
}

async function startProxy(targetPort: number, extra: Partial<Parameters<typeof FaultProxy.start>[0]> = {}): Promise<FaultProxy> {
  const proxy = await FaultProxy.start({ listenHost: HOST, target: { host: HOST, port: targetPort }, seed: 7, ...extra });
  cleanups.push(() => proxy.stop());
  return proxy;
}

interface TestClient {
  socket: Socket;
  data: () => Buffer;
  closed: () => boolean;
  /** The proxy's side finished (FIN or RST). */
  ended: () => boolean;
  error: () => NodeJS.ErrnoException | undefined;
}

async function dial(port: number, localAddress?: string): Promise<TestClient> {
  const chunks: Buffer[] = [];
  let closed = false;
  let ended = false;
  let error: NodeJS.ErrnoException | undefined;
  const socket = connect({ host: HOST, port, localAddress, allowHalfOpen: true });
  socket.on('data', (d: Buffer) => chunks.push(d));
  socket.on('error', (e) => { error = e; });
  socket.on('close', () => { closed = true; ended = true; });
  socket.on('end', () => { ended = true; });
  cleanups.push(() => { socket.destroy(); });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('error', reject);
  });
  return { socket, data: () => Buffer.concat(chunks), closed: () => closed, ended: () => ended, error: () => error };
}

test('pass: bytes go through intact and in order, both ways', async () => {
  const target = await echoServer();
  const proxy = await startProxy(target.port);
  const c = await dial(proxy.port);
  const sent: Buffer[] = [];
  for (let i = 0; i < 200; i++) {
    const b = Buffer.from(`message ${i};`);
    sent.push(b);
    c.socket.write(b);
  }
  const all = Buffer.concat(sent);
  await waitUntil('the echo', () => c.data().length === all.length);
  assert.ok(c.data().equals(all));
  assert.equal(proxy.stats.deliveredBytes.forward, all.length);
  assert.equal(proxy.stats.deliveredBytes.backward, all.length);
  c.socket.end();
  await waitUntil('the connection to close', () => c.closed() && proxy.stats.open === 0);
});

test('drop: held, not lost — released in order when the link heals', async () => {
  const target = await echoServer();
  const proxy = await startProxy(target.port);
  const c = await dial(proxy.port);
  c.socket.write('before;');
  await waitUntil('the first echo', () => c.data().length === 7);
  proxy.setMode('both', DROP);
  c.socket.write('during-1;');
  c.socket.write('during-2;');
  await sleep(200);
  assert.equal(c.data().toString(), 'before;');
  assert.equal(target.received(), 7);
  proxy.setMode('both', PASS);
  await waitUntil('the held bytes', () => c.data().toString() === 'before;during-1;during-2;');
});

test('one-way cut: requests arrive, answers are held', async () => {
  const target = await echoServer();
  const proxy = await startProxy(target.port);
  const c = await dial(proxy.port);
  proxy.setMode('backward', DROP);
  c.socket.write('ping');
  await waitUntil('the target to receive', () => target.received() === 4);
  await sleep(100);
  assert.equal(c.data().length, 0);
  proxy.setMode('backward', PASS);
  await waitUntil('the answer', () => c.data().toString() === 'ping');
});

test('drop forward: a new connection is not carried to the target until the link heals', async () => {
  const target = await echoServer();
  const proxy = await startProxy(target.port);
  proxy.setMode('forward', DROP);
  const c = await dial(proxy.port);
  c.socket.write('hello');
  await sleep(150);
  assert.equal(target.connections(), 0);
  proxy.setMode('forward', PASS);
  await waitUntil('the echo', () => c.data().toString() === 'hello');
  assert.equal(target.connections(), 1);
});

test('delay: each chunk waits at least the delay, jitter never reorders', async () => {
  const target = await echoServer();
  const proxy = await startProxy(target.port);
  const c = await dial(proxy.port);
  proxy.setMode('forward', delay(120, 60));
  const started = performance.now();
  let expected = '';
  for (let i = 0; i < 50; i++) {
    c.socket.write(`${i},`);
    expected += `${i},`;
  }
  await waitUntil('the echo', () => c.data().toString() === expected);
  const took = performance.now() - started;
  assert.ok(took >= 115, `took ${took.toFixed(0)} ms`);
  assert.ok(took < 2_000, `took ${took.toFixed(0)} ms`);
});

test('reset: the next byte resets the connection; idle ones live on; resetConnections resets all', async () => {
  const target = await echoServer();
  const proxy = await startProxy(target.port);
  const busy = await dial(proxy.port);
  const idle = await dial(proxy.port);
  await waitUntil('both connected upstream', () => target.connections() === 2);
  proxy.setMode('backward', RESET);
  busy.socket.write('x'); // reaches the target; its answer meets the reset
  await waitUntil('the busy connection to be reset', () => busy.closed());
  assert.equal(busy.error()?.code, 'ECONNRESET');
  assert.equal(target.received(), 1);
  assert.equal(idle.closed(), false);
  proxy.setMode('backward', PASS);
  assert.equal(proxy.resetConnections(), 1);
  await waitUntil('the idle connection to be reset', () => idle.closed());
  assert.equal(proxy.stats.resets, 2);
});

test('a dead target: the client is reset, not left hanging', async () => {
  const [deadPort] = await freePorts(1, HOST);
  const proxy = await startProxy(deadPort!);
  const c = await dial(proxy.port);
  await waitUntil('the client to be closed', () => c.closed());
  assert.equal(proxy.stats.refusedUpstream, 1);
});

test('bounded: a held flood pauses the sender instead of filling memory, and arrives intact', async () => {
  const target = await echoServer();
  const max = 256 * 1024;
  const proxy = await startProxy(target.port, { maxBufferedBytes: max });
  const c = await dial(proxy.port);
  proxy.setMode('forward', DROP);
  const flood = Buffer.alloc(8 * 1024 * 1024);
  for (let i = 0; i < flood.length; i += 4) flood.writeUInt32LE((i * 2654435761) >>> 0, i);
  c.socket.write(flood);
  await sleep(300);
  // The proxy holds at most one read past its bound; the rest waits in the kernel and the sender.
  assert.ok(proxy.stats.bufferedBytes <= max + 128 * 1024, `buffered ${proxy.stats.bufferedBytes}`);
  assert.ok(c.socket.writableLength > 0, 'the sender should be backed up');
  proxy.setMode('forward', PASS);
  await waitUntil('the whole echo', () => c.data().length === flood.length, 20_000);
  const digest = (b: Buffer) => createHash('sha256').update(b).digest('hex');
  assert.equal(digest(c.data()), digest(flood));
});

// Every 127.x address works on Linux (where CI runs): there a missing one fails; elsewhere skip, declared up front.
const NO_ZONE_ADDRESSES = process.platform === 'linux' ? false : 'zone addresses 127.0.0.11–12 exist only on Linux loopback';

test('links by source address: one zone cut off, another still through', { skip: NO_ZONE_ADDRESSES }, async () => {
  assert.ok(await canListenOn('127.0.0.12'), 'Linux loopback serves 127.0.0.12');
  const target = await echoServer();
  const proxy = await startProxy(target.port, { linkOf: (addr) => (addr === '127.0.0.11' ? 'zone-1' : addr === '127.0.0.12' ? 'zone-2' : undefined) });
  proxy.setMode('both', DROP, 'zone-1');
  const z1 = await dial(proxy.port, '127.0.0.11');
  const z2 = await dial(proxy.port, '127.0.0.12');
  z1.socket.write('one');
  z2.socket.write('two');
  await waitUntil('zone 2 through', () => z2.data().toString() === 'two');
  await sleep(100);
  assert.equal(z1.data().length, 0);
  proxy.setModes({ forward: PASS, backward: PASS }, 'zone-1');
  await waitUntil('zone 1 through after heal', () => z1.data().toString() === 'one');
});

test('stop closes every connection and frees the port', async () => {
  const target = await echoServer();
  const proxy = await startProxy(target.port);
  const a = await dial(proxy.port);
  proxy.setMode('both', DROP);
  const b = await dial(proxy.port);
  b.socket.write('held');
  await proxy.stop();
  await waitUntil('the clients to be closed', () => a.ended() && b.ended());
  assert.equal(proxy.stats.open, 0);
  const again = await FaultProxy.start({ listenHost: HOST, listenPort: proxy.port, target: { host: HOST, port: target.port } });
  await again.stop();
});

test('bad modes are refused', async () => {
  const target = await echoServer();
  const proxy = await startProxy(target.port);
  assert.throws(() => proxy.setMode('both', delay(-1)), /bad delay/);
  assert.throws(() => proxy.setMode('both', delay(50_000, 20_000)), /bad delay/);
});
