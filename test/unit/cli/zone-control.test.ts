// The zone's control channel (a test/chaos hook) and the data node slot it acts on: a stopped
// node's in-process client fails like a dead node (UNAVAILABLE), and it starts again on the same
// address with its chunks, or empty after its directory was wiped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { createInterface } from 'node:readline';
import { status } from '@grpc/grpc-js';
import { crc32c } from '@node-rs/crc32';
import { pino } from 'pino';
import { HostedDataNode } from '../../../services/cli/zone/hosted-data-node.ts';
import {
  formatControlReply, parseControlCommand, parseControlReply, serveControlChannel,
} from '../../../services/cli/zone/zone-control.ts';

const log = pino({ level: 'silent' });

test('control commands: node-stop and node-start with one node id, repair-pass with none; anything else is refused', () => {
  assert.deepEqual(parseControlCommand('node-stop zone-1-data-2'), { kind: 'node-stop', nodeId: 'zone-1-data-2' });
  assert.deepEqual(parseControlCommand('  node-start zone-3-data-1 \n'), { kind: 'node-start', nodeId: 'zone-3-data-1' });
  assert.deepEqual(parseControlCommand('repair-pass'), { kind: 'repair-pass' });
  for (const bad of ['', 'node-stop', 'node-stop a b', 'reboot zone-1-data-1', 'repair-pass now']) {
    assert.throws(() => parseControlCommand(bad), /unknown control command/);
  }
  const reply = { ok: false, cmd: 'node-stop x', error: 'no data node x' };
  assert.deepEqual(parseControlReply(formatControlReply(reply)), reply);
  assert.equal(parseControlReply('READY {}'), undefined);
});

async function readChunk(node: HostedDataNode, id: string): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const f of node.chunkClient.getChunk(id).frames()) parts.push(f.data);
  return Buffer.concat(parts);
}

async function failureCode(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return (err as { code?: unknown }).code;
  }
  throw new Error('expected a failure');
}

test('a hosted data node stops like a dead node and starts again on its address, wiped or not', { timeout: 30_000 }, async () => {
  const root = mkdtempSync(join(tmpdir(), 'zs-hosted-node-'));
  const dir = join(root, 'data-1');
  const node = new HostedDataNode({ id: 'zone-1-data-1', zone: 'zone-1', dir, listen: '127.0.0.1:0', advertisedAddress: '127.0.0.1:1', log });
  try {
    await node.start();
    const address = node.address;
    assert.notEqual(address, '127.0.0.1:0');
    assert.equal(node.advertisedAddress, '127.0.0.1:1');
    const data = Buffer.from('chunk bytes of the control test');
    const chunkId = 'ab'.repeat(16);
    await node.chunkClient.putChunk({ chunkId, length: data.length, crc32c: crc32c(data) }, [data]);

    // Through the control channel, as the zone process serves it.
    const input = new PassThrough();
    const output = new PassThrough();
    serveControlChannel({
      input, output,
      target: {
        stopDataNode: (id) => (id === node.id ? node.stop() : Promise.reject(new Error(`no data node ${id}`))), startDataNode: () => node.start(),
        runRepairPass: () => Promise.resolve({ rewritten: 2, bytesRebuilt: 4096, ms: 7 }),
      },
    });
    const replies = createInterface({ input: output })[Symbol.asyncIterator]();
    const send = async (line: string): Promise<unknown> => {
      input.write(`${line}\n`);
      return parseControlReply((await replies.next()).value as string);
    };

    assert.deepEqual(await send('node-stop zone-1-data-1'), { ok: true, cmd: 'node-stop zone-1-data-1' });
    assert.equal(node.running, undefined);
    assert.equal(await failureCode(readChunk(node, chunkId)), status.UNAVAILABLE);
    assert.equal(await failureCode(node.chunkClient.putChunk({ chunkId: 'cd'.repeat(16), length: 1, crc32c: crc32c(Buffer.from('x')) }, [Buffer.from('x')])), status.UNAVAILABLE);
    assert.equal(await failureCode(node.chunkClient.getChunk(chunkId).info()), status.UNAVAILABLE);
    assert.equal(await failureCode(node.chunkClient.statChunk!(chunkId)), status.UNAVAILABLE);

    assert.deepEqual(await send('node-start zone-1-data-1'), { ok: true, cmd: 'node-start zone-1-data-1' });
    assert.equal(node.address, address, 'same port after a restart');
    assert.deepEqual(await readChunk(node, chunkId), data);
    assert.equal(Number((await node.chunkClient.statChunk!(chunkId, true)).length), data.length);

    assert.deepEqual(await send('repair-pass'), { ok: true, cmd: 'repair-pass', result: { rewritten: 2, bytesRebuilt: 4096, ms: 7 } },
      'a command that returns something replies with it');

    const refused = await send('node-stop zone-9-data-9') as { ok: boolean; error: string };
    assert.equal(refused.ok, false);
    assert.match(refused.error, /no data node zone-9-data-9/);

    // Disk loss: stopped, directory emptied, started again empty.
    await send('node-stop zone-1-data-1');
    for (const e of readdirSync(dir)) rmSync(join(dir, e), { recursive: true, force: true });
    await send('node-start zone-1-data-1');
    assert.equal(node.address, address);
    assert.equal(await failureCode(readChunk(node, chunkId)), 'ChunkNotFound', 'the in-process client answers like the store');
    input.end();
  } finally {
    await node.stop();
    rmSync(root, { recursive: true, force: true });
  }
});
