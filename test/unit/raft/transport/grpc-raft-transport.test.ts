import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { GrpcRaftTransport } from '../../../../services/raft/transport/grpc-raft-transport.ts';
import { MessageType, type Message } from '../../../../services/raft/types.ts';
import { canListenOn } from '../../../../services/common/free-ports.ts';

const TEST_TIMEOUT_MS = 20_000;
const WAIT_MS = 8_000;
const log = pino({ level: 'silent' });

function msg(from: string, to: string, index: number): Message {
  return {
    type: MessageType.Append, from, to, term: 1, logTerm: 1, index, entries: [], commit: 0,
    reject: false, rejectHint: 0,
  };
}

async function waitFor(what: string, cond: () => boolean, timeoutMs = WAIT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function node(id: string, host: string, port = 0) {
  const inbox: Message[] = [];
  const unreachable: string[] = [];
  const t = new GrpcRaftTransport({
    id, listenAddress: `${host}:${port}`, peers: {}, log,
    onMessages: (ms) => inbox.push(...ms),
    onUnreachable: (p) => unreachable.push(p),
    limits: { reconnectInitialMs: 20, reconnectMaxMs: 200 },
  });
  return { t, inbox, unreachable };
}

// One loopback address per zone where the OS has them (Linux), else all on 127.0.0.1.
const [hostA, hostB, hostC] = (await canListenOn('127.0.0.12'))
  ? ['127.0.0.11', '127.0.0.12', '127.0.0.13'] : ['127.0.0.1', '127.0.0.1', '127.0.0.1'];

test('messages from one sender arrive in order; a down peer is reported, and heard again after it restarts', { timeout: TEST_TIMEOUT_MS }, async () => {
  const a = node('a', hostA);
  let b = node('b', hostB);
  const stops: Array<() => Promise<void>> = [() => a.t.stop(), () => b.t.stop()];
  try {
    await a.t.start();
    const bPort = await b.t.start();
    a.t.addPeer('b', `${hostB}:${bPort}`);
    a.t.addPeer('c', `${hostC}:1`); // nobody listens there
    await waitFor('link a→b', () => a.t.stats().peers.b!.connected || (a.t.send([msg('a', 'b', 0)]), false));
    b.inbox.length = 0;
    for (let i = 1; i <= 500; i++) {
      a.t.send([msg('a', 'b', i), msg('a', 'c', i)]);
      // The host sends once per Ready cycle, never hundreds of batches in one turn.
      if (i % 20 === 0) await new Promise((r) => setImmediate(r));
    }
    await waitFor('500 messages at b', () => b.inbox.filter((m) => m.index > 0).length >= 500);
    assert.deepEqual(b.inbox.filter((m) => m.index > 0).map((m) => m.index), Array.from({ length: 500 }, (_, i) => i + 1));
    assert.ok(a.unreachable.includes('c'), 'dropping messages to c reports it unreachable');

    await b.t.stop();
    b = node('b', hostB, bPort);
    stops[1] = () => b.t.stop();
    await b.t.start();
    await waitFor('b heard again after restart', () => {
      a.t.send([msg('a', 'b', 1000)]);
      return b.inbox.some((m) => m.index === 1000);
    });
  } finally {
    for (const s of stops) await s();
  }
});
